/**
 * Stores a results file compactly for the corpus: samples rounded to four
 * significant digits (far below run-to-run noise), no indentation, gzip.
 *   npx tsx evaluation/verdicts/compact.ts results.json out.json.gz
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Results } from '../../src/schema/types.ts';
import { formatIssues, validateResults } from '../../src/schema/validate.ts';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: compact.ts <results.json> <out.json.gz>');
  process.exit(2);
}
const outcome = validateResults(JSON.parse(readFileSync(input, 'utf8')));
if (!outcome.ok) {
  console.error(`${input}: ${formatIssues(outcome.issues)}`);
  process.exit(2);
}
const round = (x: number) => Number(x.toPrecision(4));
const results: Results = {
  ...outcome.value,
  benchmarks: outcome.value.benchmarks.map((b) => ({ ...b, samples: b.samples?.map(round) ?? null })),
};
writeFileSync(output, gzipSync(JSON.stringify(results), { level: 9 }));
