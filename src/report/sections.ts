/**
 * One PR comment shared by the suites of a matrix (`suite: <name>`): a
 * section per suite between its own hidden markers, sorted by name. Each job
 * rewrites only its section and keeps every other one as it read it. Pure:
 * strings in, strings out.
 */

/** GitHub refuses comment bodies over 65,536 characters; leave room for the marker line. */
export const MAX_COMMENT_CHARS = 65_000;

/** A suite's name as the markers hold it (config/action-inputs.ts validates the input the same way). */
const SUITE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function begin(suite: string): string {
  return `<!-- bench-action-suite:${suite} begin -->`;
}

function end(suite: string): string {
  return `<!-- bench-action-suite:${suite} end -->`;
}

const SECTION = /<!-- bench-action-suite:([A-Za-z0-9._-]+) begin -->\n([\s\S]*?)\n<!-- bench-action-suite:\1 end -->/g;

/** The sections of a shared comment's body, by suite; text outside them is not ours to keep. */
export function readSections(body: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const match of body.matchAll(SECTION)) {
    const [, suite, content] = match;
    if (suite && content !== undefined && !sections.has(suite)) sections.set(suite, content);
  }
  return sections;
}

function render(sections: ReadonlyMap<string, string>): string {
  const names = [...sections.keys()].sort();
  return names.map((suite) => `${begin(suite)}\n${sections.get(suite) ?? ''}\n${end(suite)}`).join('\n\n');
}

/**
 * The body with `suite`'s section set to `content` and the others as `body`
 * had them. When the whole would be too long for GitHub, this suite's section
 * shrinks to `tooLong` (the others are their jobs' to shorten).
 */
export function composeSections(body: string | null, suite: string, content: string, tooLong: string): string {
  if (!SUITE_NAME.test(suite)) throw new RangeError(`not a suite name: ${suite}`);
  const sections = readSections(body ?? '');
  sections.set(suite, `### Suite \`${suite}\`\n\n${content.trim()}`);
  const whole = render(sections);
  if (whole.length <= MAX_COMMENT_CHARS) return whole;
  sections.set(suite, `### Suite \`${suite}\`\n\n${tooLong}`);
  return render(sections);
}

/** Whether `body` holds `suite`'s section exactly as `composed` has it. */
export function holdsSection(body: string, composed: string, suite: string): boolean {
  const mine = readSections(composed).get(suite);
  return mine !== undefined && readSections(body).get(suite) === mine;
}
