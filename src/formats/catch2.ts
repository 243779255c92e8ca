/**
 * Catch2 benchmarks (`BENCHMARK("name") { ... }`), v2 and v3, from the
 * console reporter (the default) or the XML reporter (`-r xml`).
 *
 * Console: a table per test case; each benchmark is three rows,
 *   Fibonacci 20                                   100             2     8.3712 ms
 *                                            41.731 us      41.25 us     42.622 us
 *                                             3.256 us      2.163 us      5.353 us
 * (samples, iterations, estimated run time; mean, low mean, high mean; std
 * dev, low std dev, high std dev). A name too long for its column is wrapped
 * onto rows of its own before that first row; the parts are joined with a
 * space. XML: `<BenchmarkResults name>` with `<mean value lowerBound
 * upperBound ci>` and `<standardDeviation value>` in ns, unrounded.
 *
 * Catch2 reports no median and no samples: mean serves as median, the bootstrap
 * interval of the mean is the interval. Ids are the benchmark names, as
 * github-action-benchmark names them; a name used in several test cases gets
 * `<test case>/` in front, so none is lost.
 */
import { XMLParser } from 'fast-xml-parser';
import { InputError } from '../common/errors.ts';
import type { Benchmark, Estimates } from '../schema/types.ts';
import { nonEmpty, nsFactor, splitId, type FileOutcome } from './common.ts';

const NUMBER = String.raw`\d+(?:\.\d+)?(?:[eE][-+]?\d+)?`;
const DURATION = String.raw`(${NUMBER}) ?(ns|us|µs|μs|ms|s)`;
export const CATCH2_TABLE_HEADER = /^benchmark name\s+samples\s+iterations\s+(?:estimated|est run time)\s*$/m;
const START = new RegExp(String.raw`^(.*?)\s*\b(\d+)\s+(\d+)\s+${DURATION}\s*$`);
const VALUES = new RegExp(String.raw`^\s+${DURATION}\s+${DURATION}\s+${DURATION}\s*$`);
const RULE = /^-{20,}$/;
const END = /^={20,}$/;
/** Catch2's default `--benchmark-confidence-interval`; the console does not print it. */
const DEFAULT_CI = 0.95;
const ANSI = /\u001b\[[0-9;]*m/g;

interface Found {
  testCase: string;
  name: string;
  estimates: Estimates;
}

function ns(value: string, unit: string): number {
  return Number(value) * (nsFactor(unit) ?? 1);
}

function readConsole(file: string, text: string): { found: Found[]; warnings: string[] } {
  const lines = text.split(/\r?\n/).map((l) => l.replace(ANSI, '').trimEnd());
  const found: Found[] = [];
  const warnings: string[] = [];
  let testCase = '';
  let inTable = false;
  let nameParts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (RULE.test(line)) {
      // A test case header: a rule, its name (then indented section names), a rule.
      inTable = false;
      const next = lines[i + 1] ?? '';
      if (next.trim() === '' || RULE.test(next)) continue;
      testCase = next.trim();
      while (i + 1 < lines.length && !RULE.test(lines[i + 1] ?? '')) i++;
      i++;
      continue;
    }
    if (CATCH2_TABLE_HEADER.test(line)) {
      inTable = true;
      nameParts = [];
      // The two header rows after this one, then the rule.
      while (i + 1 < lines.length && !RULE.test(lines[i + 1] ?? '')) i++;
      i++;
      continue;
    }
    if (!inTable) continue;
    if (END.test(line)) {
      inTable = false;
      continue;
    }
    const start = START.exec(line);
    if (!start) {
      if (line.trim() === '') nameParts = [];
      else if (!VALUES.test(line)) nameParts.push(line.trim());
      continue;
    }
    const name = [...nameParts, (start[1] ?? '').trim()].filter((p) => p !== '').join(' ');
    nameParts = [];
    const mean = VALUES.exec(lines[i + 1] ?? '');
    const sd = VALUES.exec(lines[i + 2] ?? '');
    if (name === '' || !mean || !sd) {
      warnings.push(
        `${file}: benchmark${name ? ` '${name}'` : ''} at line ${i + 1} has no mean and std dev rows this reader understands; left out`,
      );
      continue;
    }
    const m = ns(mean[1] ?? '', mean[2] ?? '');
    found.push({
      testCase,
      name,
      estimates: {
        median: m,
        mean: m,
        stdDev: ns(sd[1] ?? '', sd[2] ?? ''),
        ci: { lower: ns(mean[3] ?? '', mean[4] ?? ''), upper: ns(mean[5] ?? '', mean[6] ?? ''), level: DEFAULT_CI },
      },
    });
    i += 2;
  }
  return { found, warnings };
}

type XmlNode = Record<string, unknown>;

function children(node: XmlNode, tag: string): XmlNode[] {
  const value = node[tag];
  return Array.isArray(value) ? (value.filter((v) => typeof v === 'object' && v !== null) as XmlNode[]) : [];
}

function attr(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[`@${name}`];
  return typeof value === 'string' ? value : undefined;
}

const NESTING = ['Catch', 'Catch2TestRun', 'Group', 'TestCase', 'Section'] as const;

function readXml(file: string, text: string): { found: Found[]; warnings: string[] } {
  let doc: XmlNode;
  try {
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      parseAttributeValue: false,
      isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
    });
    doc = parser.parse(text, true) as XmlNode;
  } catch (error) {
    throw new InputError(file, `invalid XML: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  const found: Found[] = [];
  const warnings: string[] = [];
  const walk = (node: XmlNode, testCase: string) => {
    for (const result of children(node, 'BenchmarkResults')) {
      const name = attr(result, 'name') ?? '';
      const mean = children(result, 'mean')[0];
      const sd = children(result, 'standardDeviation')[0];
      const nums = [attr(mean, 'value'), attr(mean, 'lowerBound'), attr(mean, 'upperBound'), attr(sd, 'value')].map(
        Number,
      );
      const level = Number(attr(mean, 'ci') ?? DEFAULT_CI);
      if (name === '' || nums.some((n) => !Number.isFinite(n)) || !(level > 0 && level < 1)) {
        warnings.push(
          `${file}: BenchmarkResults${name ? ` '${name}'` : ''} in test case '${testCase}' lacks a readable mean or standardDeviation; left out`,
        );
        continue;
      }
      const [m = 0, lower = 0, upper = 0, stdDev = 0] = nums;
      found.push({ testCase, name, estimates: { median: m, mean: m, stdDev, ci: { lower, upper, level } } });
    }
    for (const tag of NESTING) {
      for (const child of children(node, tag))
        walk(child, tag === 'TestCase' ? (attr(child, 'name') ?? testCase) : testCase);
    }
  };
  walk(doc, '');
  return { found, warnings };
}

export function isCatch2Xml(text: string): boolean {
  return /^\s*(?:<\?xml[^>]*\?>\s*)?<(?:Catch|Catch2TestRun)\b/.test(text);
}

export function readCatch2(file: string, text: string): FileOutcome {
  const { found, warnings } = isCatch2Xml(text) ? readXml(file, text) : readConsole(file, text);
  const cases = new Map<string, Set<string>>();
  for (const f of found) cases.set(f.name, (cases.get(f.name) ?? new Set()).add(f.testCase));
  const benchmarks = found.map((f): Benchmark => {
    const id = (cases.get(f.name)?.size ?? 0) > 1 ? `${f.testCase}/${f.name}` : f.name;
    return {
      id,
      ...splitId(id),
      metric: 'time',
      source: 'catch2',
      unit: 'ns',
      direction: 'lower',
      estimates: f.estimates,
      throughput: null,
      samples: null,
    };
  });
  if (benchmarks.length === 0 && warnings.length > 0)
    throw new InputError(file, `no readable Catch2 benchmarks (${warnings[0]?.slice(file.length + 2)})`);
  return { benchmarks: nonEmpty(file, benchmarks), warnings };
}
