// Browser tests of the figures drawn by `plot` statements, in Debian's
// headless Chromium driven by playwright-core, on the real book (book/,
// built by `bash tests/run.sh` before this runs). Every figure of every
// lesson chapter and of the authoring appendix, in all five mdBook themes, wide and on a 390px phone:
// it is shown, fits the column, its text and axes take the theme's text
// colour, its series colours stand out from the page, and its data table
// is collapsed. Screenshots go to target/browser-artifacts/plot-*.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { THEMES, start, within } from './harness.mjs';

const repo = path.resolve(import.meta.dirname, '../..');
const book = process.env.LEMMA_REAL_BOOK ?? path.join(repo, 'book');
const artifacts = process.env.LEMMA_ARTIFACTS ?? path.join(repo, 'target/browser-artifacts');
// The lesson chapters, and the appendix, which shows every kind of chart.
const CHAPTERS = ['scores', 'softmax', 'cross-entropy', 'temperature', 'trap', 'writing-with-lemma'];

let base;
let browser;
let close;

before(async () => {
  ({ base, browser, close } = await start(within(book)));
  fs.mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await close?.();
});

/** Relative luminance of a CSS `rgb(...)` colour. */
function luminance(css) {
  const m = css.match(/[\d.]+/g);
  assert.ok(m && m.length >= 3, `a colour: ${css}`);
  const [r, g, b] = m.slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a, b) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

for (const [label, viewport] of [['wide', { width: 1100, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
  test(`every figure in all five themes, ${label}`, async () => {
    let shots = 0;
    for (const theme of THEMES) {
      const context = await browser.newContext({ viewport });
      await context.addInitScript((t) => localStorage.setItem('mdbook-theme', t), theme);
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      for (const chapter of CHAPTERS) {
        await page.goto(`${base}/${chapter}.html`);
        const figures = page.locator('figure.lemma-plot');
        const n = await figures.count();
        assert.ok(n >= 1, `${chapter} has a figure`);
        for (let i = 0; i < n; i++) {
          const fig = figures.nth(i);
          await fig.scrollIntoViewIfNeeded();
          const facts = await fig.evaluate((f) => {
            const svg = f.querySelector('svg');
            const box = svg.getBoundingClientRect();
            const main = document.querySelector('main').getBoundingClientRect();
            // The first opaque background behind the figure.
            let bg = 'rgb(255, 255, 255)';
            for (let el = f; el; el = el.parentElement) {
              const c = getComputedStyle(el).backgroundColor;
              if (!/^rgba\(.*, 0\)$/.test(c) && c !== 'transparent') {
                bg = c;
                break;
              }
            }
            const text = getComputedStyle(svg.querySelector('text')).fill;
            const axis = getComputedStyle(svg.querySelector('.lp-axis line')).stroke;
            const mark = svg.querySelector('.lp-bar, .lp-line');
            const ms = getComputedStyle(mark);
            const series = mark.classList.contains('lp-bar') ? ms.fill : ms.stroke;
            const font = getComputedStyle(svg.querySelector('text')).fontFamily;
            const bodyFont = getComputedStyle(document.querySelector('main p') ?? document.body).fontFamily;
            return {
              width: box.width, height: box.height, left: box.left, right: box.right,
              mainLeft: main.left, mainRight: main.right, bg, text, axis, series, font, bodyFont,
              role: svg.getAttribute('role'), title: svg.querySelector('title')?.textContent ?? '',
              open: f.querySelector('details.lp-data').open, viewport: innerWidth,
              viewBox: svg.viewBox.baseVal ? svg.viewBox.baseVal.width : 0,
            };
          });
          const where = `${chapter} figure ${i} in ${theme} (${label})`;
          assert.equal(facts.role, 'img', where);
          assert.equal(facts.viewBox, 480, `${where}: the viewBox survives mdBook's lower-casing`);
          assert.ok(facts.title.length > 0, `${where}: a title`);
          assert.equal(facts.open, false, `${where}: the data table starts collapsed`);
          assert.ok(facts.width > 200 && facts.height > 100, `${where}: shown (${facts.width}x${facts.height})`);
          assert.ok(facts.right <= facts.viewport + 0.5 && facts.left >= -0.5, `${where}: fits the viewport`);
          assert.ok(contrast(facts.text, facts.bg) >= 4.5, `${where}: text ${facts.text} on ${facts.bg}`);
          assert.ok(contrast(facts.axis, facts.bg) >= 3, `${where}: axes ${facts.axis} on ${facts.bg}`);
          assert.ok(contrast(facts.series, facts.bg) >= 2, `${where}: series ${facts.series} on ${facts.bg}`);
          assert.equal(facts.font, facts.bodyFont, `${where}: the book's font`);
          await fig.locator('svg').screenshot({ path: path.join(artifacts, `plot-${chapter}-${i}-${theme}-${label}.png`) });
          shots += 1;
        }
      }
      assert.deepEqual(errors, [], `${theme}: no page errors`);
      await context.close();
    }
    assert.ok(shots >= 5 * THEMES.length, `screenshots taken: ${shots}`);
  });
}
