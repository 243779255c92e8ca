/** Text for report cells. Every string that comes from results data goes through `escapeText`. */
import type { Verdict } from '../compare/types.ts';
import type { Interval, RunMeta } from '../schema/types.ts';

/**
 * Characters that render as nothing or reorder what follows: C0/C1 controls,
 * line and paragraph separators, bidi marks, embeddings, overrides and
 * isolates, zero-width spaces and joiners, word joiner and invisible
 * operators, soft hyphen, combining grapheme joiner, Hangul fillers, variation
 * selectors, the BOM and Unicode tag characters. A name holding one could pass
 * for another name.
 */
const INVISIBLE =
  // The class names invisible and combining characters one by one, on purpose.
  // eslint-disable-next-line no-misleading-character-class
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/gu;

/** U+200B: invisible, and no word character or digit, so nothing GitHub looks for follows a mark that has it. */
const ZWSP = '\u200b';

/**
 * Makes untrusted text inert in GitHub markdown, inside or outside a table,
 * while the raw markdown stays readable (`f64\[0\]/std::fmt`, not entities):
 * - markdown and HTML punctuation gets CommonMark's backslash escape
 *   (`\|` keeps a table cell, `\<` opens no tag, `\&` starts no entity,
 *   `\$` opens no math);
 * - mentions and references, which GitHub finds in the rendered text (after
 *   entities and backslashes are gone), get a zero-width space after their
 *   mark: every `@` (`@user`, `@org/team`, `user@sha`) and `#` (`#1`,
 *   `owner/repo#1`) that something follows (a space cannot start a name), the `-` of `GH-1`, and `:`
 *   where it could start an emoji (`:name:`) or a scheme (`https://github.com/o/r/issues/1`); see
 *   docs/github.md, "Names cannot ping anyone";
 * - the dot of `www.` gets an entity (an autolink found while parsing);
 * - line breaks, control, bidi and invisible characters become spaces, so
 *   text cannot leave its cell or disguise itself (and the only zero-width
 *   spaces left are ours).
 */
export function escapeText(text: string): string {
  return text
    .replace(INVISIBLE, ' ')
    .replace(/[\\`*_[\]<>#!~|${}&]/g, (c) => `\\${c}`)
    .replace(/[@#\uff20\uff03](?=\S)/g, `$&${ZWSP}`)
    .replace(/(gh)-(?=\d)/gi, `$1-${ZWSP}`)
    .replace(/:(?=[A-Za-z0-9_+-]+:|\/\/)/g, `&#58;${ZWSP}`)
    .replace(/(www)\./gi, '$1&#46;');
}

/**
 * At most `max` characters (code points) of `text`, with an ellipsis when cut: names in headings and cells stay
 * readable.
 */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/** A name from results data, cut to `max` characters and made inert. */
export function escapeName(text: string, max = NAME_MAX): string {
  return escapeText(shorten(text, max));
}

/** Longest benchmark, pair or check name shown in a table cell; headings and the verdict line use less. */
export const NAME_MAX = 160;

/**
 * GitHub refuses comment bodies over 65,536 characters. JS length counts
 * UTF-16 units, never fewer than the characters (code points), and 65,536 of
 * them are at most 262,144 UTF-8 bytes, so a body within it passes whichever
 * way GitHub counts. Cuts at a line, closes an open <details>, and says so.
 */
export function capLength(markdown: string, max: number): string {
  if (markdown.length <= max) return markdown;
  const note =
    "\n\n_The report was cut here to fit GitHub's 65,536-character limit; the job summary's report file (report-path) and the JSON report have it all._\n";
  const closing = '\n\n</details>';
  let cut = markdown.slice(0, Math.max(0, max - note.length - closing.length));
  const lastLine = cut.lastIndexOf('\n');
  if (lastLine > 0) cut = cut.slice(0, lastLine);
  const open = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  return `${cut}${open > 0 ? closing : ''}${note}`;
}

function significant(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '-∞' : 'n/a';
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
}

const TIME_SCALE: readonly [number, string][] = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

/** A measured value with its unit; ns values get a readable scale. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '–';
  if (unit === 'ns') {
    const [scale, name] = TIME_SCALE.find(([s]) => Math.abs(value) >= s) ?? [1, 'ns'];
    return `${significant(value / scale)} ${name}`;
  }
  return `${significant(value)} ${escapeText(unit)}`;
}

/** A "how many times" factor, e.g. 1.32x. */
export function formatFactor(factor: number): string {
  if (!Number.isFinite(factor)) return '∞x';
  return factor >= 100 ? `${factor.toFixed(0)}x` : factor >= 10 ? `${factor.toFixed(1)}x` : `${factor.toFixed(2)}x`;
}

/** A worsening factor (above 1 = worse) as `1.25x slower` / `1.32x faster`. */
export function formatSpeed(worsening: number): string {
  if (worsening >= 1) return `${formatFactor(worsening)} slower`;
  return `${formatFactor(1 / worsening)} faster`;
}

/** A head/base ratio as a signed percent change. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return ratio > 0 ? '+∞%' : 'n/a';
  const pct = (ratio - 1) * 100;
  const text = Math.abs(pct) >= 100 ? pct.toFixed(0) : pct.toFixed(1);
  return `${pct >= 0 ? '+' : ''}${text}%`;
}

export function formatInterval(ci: Interval | null, as: (x: number) => string): string {
  return ci === null ? '–' : `${as(ci.lower)} … ${as(ci.upper)}`;
}

export function formatQ(q: number | null): string {
  if (q === null) return '–';
  return q < 0.001 ? '<0.001' : q.toFixed(3);
}

export function shortSha(sha: string | null): string {
  // Inside a code span entities do not decode, so keep only what a SHA is made of.
  const clean = sha?.replace(/[^0-9a-zA-Z]/g, '').slice(0, 7) ?? '';
  return clean === '' ? 'unknown commit' : `\`${clean}\``;
}

export function describeRunner(run: RunMeta): string {
  const r = run.runner;
  if (r === null) return 'unknown runner';
  const name = r.name ? `${r.name}, ` : '';
  return escapeText(`${name}${r.os}/${r.arch}, ${r.cpuModel}, ${r.cores} cores`);
}

/**
 * A run's timestamp as `2026-11-26 18:05:27 UTC`: one we parsed and print
 * ourselves needs no escaping (escaping put `18&#58;05` into terminals); text
 * that is not a date is data, escaped.
 */
export function formatTimestamp(timestamp: string): string {
  const ms = Date.parse(timestamp);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(timestamp) || Number.isNaN(ms)) return escapeText(timestamp);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * "✅ all 7 claims met", "❌ 2 of 7 claims not met", "⚠️ 7 of 7 claims not measured"
 * or both ("❌ 1 of 7 claims not met, ⚠️ 2 not measured"): a claim whose benchmark
 * is missing from the run was not checked, which is not the same as failing it.
 * Null when there are no claims.
 */
export function claimsPhrase(claims: ReadonlyArray<{ status: string }>): string | null {
  if (claims.length === 0) return null;
  const failed = claims.filter((c) => c.status === 'fail').length;
  const missing = claims.filter((c) => c.status === 'missing').length;
  const all = plural(claims.length, 'claim');
  if (failed === 0 && missing === 0) return `✅ all ${all} met`;
  if (failed === 0) return `⚠️ ${missing} of ${all} not measured`;
  return `❌ ${failed} of ${all} not met${missing > 0 ? `, ⚠️ ${missing} not measured` : ''}`;
}

/** How each verdict reads in the report's tables. */
export const VERDICT_LABEL: Record<Verdict, string> = {
  regression: '❌ regression',
  improvement: '🚀 improvement',
  inconclusive: '❔ inconclusive',
  unchanged: 'unchanged',
  new: '🆕 new',
  missing: 'missing',
  control: '🎛️ control',
  muted: '🔇 muted',
};

/** Table order: what fails the build first. */
export const VERDICT_ORDER: Record<Verdict, number> = {
  regression: 0,
  improvement: 1,
  inconclusive: 2,
  new: 3,
  missing: 4,
  unchanged: 5,
  control: 6,
  muted: 7,
};
