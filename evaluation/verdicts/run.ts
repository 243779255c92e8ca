/**
 * Regenerates docs/verdicts.md from the recorded corpus:
 *   npm run bench:verdicts [-- --corpus DIR] [--out FILE]
 * The corpus is recorded by evaluation/verdicts/record.sh.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { Results } from '../../src/schema/types.ts';
import { formatIssues, validateResults } from '../../src/schema/validate.ts';
import { evaluate, type Corpus, type EvaluationOptions } from './evaluate.ts';
import { checkGoals, renderEvaluation } from './report.ts';
import { evaluateChangePoints, renderChangePointEvaluation, type ChangePointEvalOptions } from './changepoints.ts';
import { evaluateInstructions, renderInstructions, type InstructionEvaluation } from './instructions.ts';
import { RECORDS_MARKER, renderCriterionCounts, type CountsRecord } from './criterion-counts.ts';
import { evaluateSequential, renderSequential, type SequentialEvalOptions } from './sequential.ts';
import {
  DEPENDENCE_OPTIONS,
  dependenceSentence,
  evaluateDependence,
  renderDependence,
  replaceGenerated,
  type DependenceOptions,
} from './sequential-dependence.ts';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'evaluation/verdicts/corpus' },
    'instructions-corpus': { type: 'string', default: 'evaluation/verdicts/corpus-instructions' },
    out: { type: 'string', default: 'docs/verdicts.md' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'Usage: npm run bench:verdicts -- [--corpus evaluation/verdicts/corpus] [--instructions-corpus evaluation/verdicts/corpus-instructions] [--out docs/verdicts.md]',
  );
  process.exit(0);
}

function readRun(path: string): Results {
  const outcome = validateResults(JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')));
  if (!outcome.ok) throw new Error(`${path}: ${formatIssues(outcome.issues)}`);
  return outcome.value;
}

/** The Criterion-counts section: its prose with the records' table in place of RECORDS_MARKER. */
function criterionCountsSection(prose: string, recordsDir: string): string {
  if (!existsSync(prose)) return '';
  const records = readdirSync(recordsDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(recordsDir, name), 'utf8')) as CountsRecord);
  return readFileSync(prose, 'utf8').replace(RECORDS_MARKER, renderCriterionCounts(records).trimEnd());
}

function readRuns(dir: string): Results[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json.gz'))
    .sort()
    .map((name) => readRun(join(dir, name)));
}

const corpusDir = values.corpus;
const meta = JSON.parse(readFileSync(join(corpusDir, 'meta.json'), 'utf8')) as {
  provenance: string;
  changedBenchmark?: string;
};
const corpus: Corpus = { runs: readRuns(join(corpusDir, 'runs')) };
const changed = readRuns(join(corpusDir, 'changed'));
if (meta.changedBenchmark && changed.length > 0) corpus.changed = { runs: changed, benchmark: meta.changedBenchmark };

// The controls SARK's workflow declares: the third-party caches timed beside sark-cache.
const controls = [
  'cache_*/moka',
  'cache_*/moka/*',
  'cache_*/quick_cache',
  'cache_*/quick_cache/*',
  'cache_*/lru_mutex',
  'cache_*/lru_mutex/*',
  'cache_*/dashmap',
  'cache_*/dashmap/*',
];
const options: EvaluationOptions = {
  threshold: 0.1,
  effects: [0.05, 0.1, 0.15, 0.25],
  stableSpread: 0.03,
  noisySpread: 0.1,
  rounds: 3,
  sameRunnerDraws: 40,
  seed: 7,
  controls,
};
const started = performance.now();
const evaluation = evaluate(corpus, options);
const changeOptions: ChangePointEvalOptions = {
  length: 30,
  steps: [0.05, 0.1, 0.2],
  after: [1, 2, 3, 5, 10, 15],
  tolerance: 3,
  draws: 4,
  noise: [null, 0.02, 0.05],
  seed: 11,
};
const changes = evaluateChangePoints(corpus.runs, changeOptions);
const sequentialOptions: SequentialEvalOptions = {
  threshold: 0.1,
  effects: [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.5],
  draws: 40,
  noise: [null, 0.02, 0.05],
  seed: 26,
};
const sequential = evaluateSequential(corpus.runs, sequentialOptions);
// The rule's independence assumption, by simulation: how wrong it gets when consecutive pairs are correlated.
const dependenceOptions: DependenceOptions = DEPENDENCE_OPTIONS;
const dependence = evaluateDependence(dependenceOptions);
// docs/statistics.md quotes the rates in its prose: generated too, so the two pages cannot disagree.
const statistics = 'docs/statistics.md';
writeFileSync(
  statistics,
  replaceGenerated(
    readFileSync(statistics, 'utf8'),
    'sequential-dependence',
    dependenceSentence(dependence, dependenceOptions),
  ),
);
// What a confirmation round costs is measured by end-to-end runs, not from the corpus: recorded by hand, with the load.
const costFile = 'evaluation/verdicts/confirmation-cost.md';
const costText = existsSync(costFile) ? `\n${readFileSync(costFile, 'utf8')}` : '';
// Instruction counts, when their corpus was recorded (record-instructions.sh).
const instructionsDir = values['instructions-corpus'];
let instructions: InstructionEvaluation | null = null;
let instructionsText = '';
if (existsSync(join(instructionsDir, 'meta.json'))) {
  const im = JSON.parse(readFileSync(join(instructionsDir, 'meta.json'), 'utf8')) as {
    provenance: string;
    changed: string[];
    suiteSeconds: number[];
    criterionQuickSeconds: number | null;
  };
  const changedRuns = new Map<string, Results[]>();
  const changedDir = join(instructionsDir, 'changed');
  for (const name of readdirSync(changedDir)
    .filter((n) => n.endsWith('.json.gz'))
    .sort()) {
    const change = name.replace(/-\d+\.json\.gz$/, '');
    changedRuns.set(change, [...(changedRuns.get(change) ?? []), readRun(join(changedDir, name))]);
  }
  instructions = evaluateInstructions({
    provenance: im.provenance,
    runs: readRuns(join(instructionsDir, 'runs')),
    changed: changedRuns,
    touched: im.changed,
    suiteSeconds: im.suiteSeconds,
    criterionQuickSeconds: im.criterionQuickSeconds,
  });
  instructionsText = `\n${renderInstructions(instructions, im.provenance)}`;
}
// Counts of public crates' plain Criterion benches, recorded end to end through the action by
// record-criterion-counts.sh: the section's prose, with its table and figures rendered from the records.
const criterionCountsText = criterionCountsSection(
  'evaluation/verdicts/criterion-counts.md',
  'evaluation/verdicts/criterion-counts',
);
writeFileSync(
  values.out,
  `${renderEvaluation(evaluation, options, meta.provenance)}\n${renderChangePointEvaluation(changes, changeOptions)}\n${renderSequential(sequential, sequentialOptions)}\n${renderDependence(dependence, dependenceOptions)}${costText}${instructionsText}${criterionCountsText}`,
);
console.log(
  `Evaluated ${evaluation.runs} runs x ${evaluation.benchmarks} benchmarks in ${((performance.now() - started) / 1000).toFixed(1)} s; wrote ${values.out}.`,
);
for (const goal of checkGoals(evaluation))
  console.log(`${goal.met === null ? 'N/A    ' : goal.met ? 'met    ' : 'NOT MET'} ${goal.text}`);
if (instructions) {
  console.log(
    `${instructions.falseAlarms === 0 ? 'met    ' : 'NOT MET'} A/A: instruction counts give no false alarm (${instructions.falseAlarms} of ${instructions.comparisons})`,
  );
  for (const c of instructions.changes)
    console.log(
      `${c.detected === c.comparisons && c.comparisons > 0 ? 'met    ' : 'NOT MET'} instruction counts detect every run of ${c.change} (${c.detected}/${c.comparisons})`,
    );
}
