/**
 * What GitHub looks for in a comment's rendered text (docs.github.com, "Autolinked references and URLs", and its
 * mention rules), run on the text a reader sees: backslash escapes and entities are gone by then. Shared by the
 * escaping tests, so the rule a name is held to is written once.
 */
export const LIVE: readonly [string, RegExp][] = [
  ['mention', /(?<![\w`])@[a-z0-9][a-z0-9-]*(?:\/[a-z0-9][\w-]*)?/i],
  ['#N', /(?<![\w&])#\d+/],
  ['GH-N', /(?<!\w)GH-\d+/i],
  ['owner/repo#N', /[\w.-]+\/[\w.-]+#\d+/],
  ['user@sha', /[\w-]+@[0-9a-f]{7,40}/],
  ['issue URL', /https?:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(?:issues|pull)\/\d+/],
];

/** The text a reader sees in `markdown`: numeric entities decoded, backslash escapes dropped. */
export function rendered(markdown: string): string {
  return markdown.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))).replace(/\\(.)/g, '$1');
}

/** Each live mention or reference in `markdown` as a reader would see it, with what kind it is. */
export function liveIn(markdown: string): string[] {
  const seen = rendered(markdown);
  return LIVE.flatMap(([what, re]) =>
    [...seen.matchAll(new RegExp(re.source, `${re.flags.replace('g', '')}g`))].map((m) => `${what}: ${m[0]}`),
  );
}
