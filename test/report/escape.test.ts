import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeText } from '../../src/report/index.ts';

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
