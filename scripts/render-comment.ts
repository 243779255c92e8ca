// Renders a PR comment's markdown as GitHub shows it, in headless Chromium,
// to a PNG: docs/comment.png in the README is made this way (docs/comment.md).
//   node --import tsx scripts/render-comment.ts docs/comment-example.md docs/comment.png
// marked (GitHub-flavoured markdown; mermaid's own dependency) turns the markdown into
// HTML; the style is GitHub's comment box in light mode, written here, not copied.
import { readFileSync } from 'node:fs';
import { marked } from 'marked';
import { launchChromium } from '../test/support/chromium.ts';

const [input = 'docs/comment-example.md', output = 'docs/comment.png'] = process.argv.slice(2);
const body = await marked.parse(readFileSync(input, 'utf8'), { gfm: true });
const html = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #fff; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
.box { width: 860px; margin: 16px; border: 1px solid #d1d9e0; border-radius: 6px; }
.head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; border-radius: 6px 6px 0 0; color: #59636e; }
.head b { color: #1f2328; }
.md { padding: 8px 16px 16px; }
h3 { font-size: 1.25em; margin: 16px 0 8px; } h4 { font-size: 1em; margin: 16px 0 8px; }
table { border-collapse: collapse; margin: 8px 0; display: block; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; } tr:nth-child(2n) { background: #f6f8fa; }
code { background: #eff1f3; border-radius: 6px; padding: .2em .4em; font-size: 85%; }
blockquote { margin: 0; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
details summary { cursor: pointer; } sub { color: #59636e; }
</style></head><body><div class="box"><div class="head"><b>github-actions</b> bot commented</div><div class="md">${body}</div></div></body></html>`;
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 900, height: 600, deviceScaleFactor: 1 });
  await page.setContent(html, { waitUntil: 'load' });
  const box = await page.$('.box');
  if (!box) throw new Error('render-comment: nothing rendered');
  await box.screenshot({ path: output as `${string}.png` });
  console.log(`Wrote ${output}`);
} finally {
  await browser.close();
}
