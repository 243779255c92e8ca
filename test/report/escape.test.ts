import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeText } from '../../src/report/index.ts';
import { LIVE, rendered } from '../support/live-text.ts';

test('zero-width and other invisible characters cannot make one name pass for another', () => {
  const invisible = [
    '\u200b',
    '\u200c',
    '\u200d',
    '\u2060',
    '\ufeff',
    '\u00ad',
    '\u034f',
    '\u061c',
    '\u180e',
    '\u3164',
    '\ufe0f',
    '\u{e0041}',
    '\u202e',
    '\u2066',
  ];
  for (const c of invisible) {
    const escaped = escapeText(`cache${c}/get`);
    assert.equal(escaped, 'cache /get', `U+${c.codePointAt(0)?.toString(16)} survived`);
  }
  // Visible non-ASCII names stay as they are.
  assert.equal(escapeText('größe/µs/日本'), 'größe/µs/日本');
});

test('www. cannot become a link, in any case', () => {
  for (const name of ['www.evil.example/login', 'see WWW.evil.example', 'x (www.evil.example)', '*www.evil.example*']) {
    const escaped = escapeText(name);
    // GitHub links www. followed by a domain in comments; the entity-encoded dot reads the same but is not linked.
    assert.doesNotMatch(escaped, /www\./i, escaped);
    assert.match(escaped, /www&#46;evil\.example/i);
  }
});

test('names render with no live mention or reference: a zero-width space follows every mark', () => {
  const names = [
    '@user',
    'ping @octocat please',
    '@org/team',
    'fix for #1',
    '#1',
    'GH-1',
    'see gh-12',
    'owner/repo#1',
    'cc (@a-b, @c)',
    'owner@0123456789abcdef',
    'rust-lang/rust@1234567',
    'https://github.com/owner/repo/issues/1',
    'bench/＠user/＃3',
  ];
  for (const name of names) {
    // The patterns do find something in the name as given, so the check below means something.
    assert.ok(
      LIVE.some(([, re]) => re.test(name)) || /[＠＃]/.test(name),
      `no pattern finds anything in ${JSON.stringify(name)}`,
    );
    const seen = rendered(escapeText(name));
    for (const [what, re] of LIVE) assert.doesNotMatch(seen, re, `${what} live in ${JSON.stringify(seen)}`);
    // Nothing else changed: without our zero-width spaces the reader sees the name as it was.
    assert.equal(seen.replaceAll('\u200b', ''), name);
  }
});

test('a mark followed by a space or nothing is left alone: nothing can start there', () => {
  assert.equal(escapeText('main @ b0bd943'), 'main @ b0bd943');
  assert.equal(escapeText('C#'), 'C\\#');
});
