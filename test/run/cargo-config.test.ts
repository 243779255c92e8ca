import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readCargoConfig, runConfig } from '../../src/run/cargo-config.ts';

const HOST = 'x86_64-unknown-linux-gnu';

describe("cargo's configuration for a bench run directly: [env] and the runner", () => {
  it('applies [env] as cargo does: the nearer file wins, unforced keys leave the environment alone, relative ones are read against the config', () => {
    const near = {
      path: '/w/crate/.cargo/config.toml',
      text: '[env]\nA = "near"\nKEEP = "config"\nFORCED = { value = "config", force = true }\nREL = { value = "data", relative = true }\n',
    };
    const far = { path: '/w/.cargo/config.toml', text: '[env]\nA = "far"\nB = "far"\n' };
    const config = runConfig([near, far], HOST, { KEEP: 'outside', FORCED: 'outside' });
    assert.deepEqual(config.env, { A: 'near', FORCED: 'config', REL: '/w/crate/data', B: 'far' });
    assert.equal(config.runner, null);
    assert.deepEqual(config.notes, []);
  });

  it("takes the host's runner from the nearest file that sets one, a path with a slash read against it, and CARGO_TARGET_<TRIPLE>_RUNNER before all", () => {
    const near = { path: '/w/crate/.cargo/config.toml', text: `[target.${HOST}]\nrunner = "./tools/run --quiet"\n` };
    const far = { path: '/w/.cargo/config.toml', text: `[target.${HOST}]\nrunner = ["far"]\n` };
    assert.deepEqual(runConfig([near, far], HOST, {}).runner, ['/w/crate/tools/run', '--quiet']);
    assert.deepEqual(runConfig([far], HOST, {}).runner, ['far'], 'a bare name is left to PATH');
    const fromEnv = runConfig([near], HOST, { CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER: 'valgrind -q' });
    assert.deepEqual(fromEnv.runner, ['valgrind', '-q']);
    const other = { path: '/w/.cargo/config.toml', text: '[target.aarch64-unknown-linux-gnu]\nrunner = "qemu"\n' };
    assert.equal(runConfig([other], HOST, {}).runner, null, "another target's runner is not the host's");
  });

  it('names what it does not apply: cfg() runners, build.target, a file that does not parse', () => {
    const cfg = {
      path: '/w/.cargo/config.toml',
      text: '[target.\'cfg(unix)\']\nrunner = "x"\n[build]\ntarget = "t"\n',
    };
    const broken = { path: '/w/crate/.cargo/config.toml', text: '[env\n' };
    const { notes, runner } = runConfig([broken, cfg], HOST, {});
    assert.equal(runner, null);
    assert.equal(notes.length, 3, notes.join('\n'));
    assert.match(notes[0] ?? '', /\/w\/crate\/\.cargo\/config\.toml does not parse/);
    assert.match(notes[1] ?? '', /target\.'cfg\(unix\)'/);
    assert.match(notes[2] ?? '', /build\.target/);
  });

  it("finds the files cargo reads, nearest first, `config` before `config.toml` in one directory, $CARGO_HOME's last", async () => {
    const root = mkdtempSync(join(tmpdir(), 'bench-cargo-config-'));
    const crate = join(root, 'ws', 'crate');
    const home = join(root, 'home');
    for (const dir of [join(crate, '.cargo'), join(root, 'ws', '.cargo'), home]) mkdirSync(dir, { recursive: true });
    writeFileSync(join(crate, '.cargo', 'config'), '# legacy name\n');
    writeFileSync(join(crate, '.cargo', 'config.toml'), '# shadowed\n');
    writeFileSync(join(root, 'ws', '.cargo', 'config.toml'), '# workspace\n');
    writeFileSync(join(home, 'config.toml'), '# home\n');
    const files = await readCargoConfig(crate, { CARGO_HOME: home });
    assert.deepEqual(
      files.map((f) => f.path),
      [join(crate, '.cargo', 'config'), join(root, 'ws', '.cargo', 'config.toml'), join(home, 'config.toml')],
    );
  });
});
