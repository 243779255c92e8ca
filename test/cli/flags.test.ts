import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as compare from '../../src/cli/commands/compare.ts';
import * as dashboard from '../../src/cli/commands/dashboard.ts';
import * as history from '../../src/cli/commands/history.ts';
import * as merge from '../../src/cli/commands/merge.ts';
import * as parse from '../../src/cli/commands/parse.ts';
import * as report from '../../src/cli/commands/report.ts';
import * as shard from '../../src/cli/commands/shard.ts';
import { MAIN_HELP, parseCliArgs } from '../../src/cli/commands.ts';
import { helpText, parseFlags } from '../../src/cli/flags.ts';
import { ExitCode, InputError, UsageError } from '../../src/common/errors.ts';

const COMMANDS = [parse, compare, report, history, dashboard, shard, merge];

test("each command's --help is generated from its flag table: every flag, its value name and its default", () => {
  for (const { HELP, FLAGS } of COMMANDS) {
    const command = parseCliArgs([HELP.name, '--help']);
    assert.equal(command.kind, 'help');
    const text = command.kind === 'help' ? command.text : '';
    assert.equal(text, helpText(HELP, FLAGS));
    assert.ok(text.startsWith(`Usage: bench-action ${HELP.name} ${HELP.usage}\n`), HELP.name);
    for (const flag of FLAGS) {
      const left = `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
      assert.ok(text.includes(left), `${HELP.name} --help lacks ${left}`);
      if (flag.default !== undefined) assert.ok(text.includes(`(default: ${flag.default})`), `${flag.name} default`);
      if (flag.oldName !== undefined) assert.ok(text.includes(`(--${flag.oldName} is its old name)`), flag.name);
    }
    assert.match(text, /-h, --help +this help$/);
    assert.ok(MAIN_HELP.includes(`bench-action ${HELP.name} ${HELP.usage}`), `main help lists ${HELP.name}`);
  }
});

test("a flag's default comes from the table: absent flags read as their default", () => {
  const parsed = parseFlags('dashboard', ['dir'], dashboard.FLAGS);
  assert.ok(parsed);
  assert.deepEqual(dashboard.read(parsed), {
    kind: 'dashboard',
    input: 'dir',
    output: 'dashboard.html',
    title: 'Benchmark history',
  });
  const command = parseCliArgs(['compare', 'a', 'b']);
  assert.equal(command.kind === 'compare' && command.threshold, Number(compare.DEFAULT_THRESHOLD) / 100);
});

test('bad usage and bad input have distinct exit codes, as errors.ts promises', () => {
  assert.equal(new UsageError('x').exitCode, ExitCode.usage);
  assert.equal(new InputError('f', 'x').exitCode, ExitCode.badInput);
  const codes = Object.values(ExitCode);
  assert.equal(new Set(codes).size, codes.length, 'one code per cause');
  assert.ok(MAIN_HELP.includes(`${ExitCode.usage} bad usage`) && MAIN_HELP.includes(`${ExitCode.badInput} bad input`));
});
