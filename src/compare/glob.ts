import picomatch from 'picomatch';

/**
 * Benchmark-id globs for per-benchmark thresholds, controls and history file
 * names, matched by picomatch. Ids look like paths (group/function/parameter),
 * so `*` and `?` stay within one segment and `**` crosses segments, as in
 * .gitignore. Those are the only wildcards: ids carry brackets, braces,
 * parentheses and `|` (pytest's `test_x[1]`, Criterion's `fib(20)`), and
 * those match themselves.
 */
const OPTIONS: picomatch.PicomatchOptions = {
  dot: true,
  nobrace: true,
  nobracket: true,
  noextglob: true,
  nonegate: true,
};

export function globToRegExp(glob: string): RegExp {
  // picomatch groups on parentheses and `|` and counts with `{m,n}` whatever the options; a backslash is its escape.
  return picomatch.makeRe(glob.replace(/[\\(){}|]/g, '\\$&'), OPTIONS);
}
