// Browser tests of the calibration widget (theme/lemma-calibration.js) on
// the real book's calibration chapter, in Debian's headless Chromium driven
// by playwright-core.
//
// `bash tests/run.sh` prepares what they need:
//   book/                              the real book, built
//   target/browser-book/golden.json    golden points from the Rust core
//                                      (cargo run --example widget_golden)
// Screenshots go to target/browser-artifacts/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { THEMES, start, within } from './harness.mjs';

const repo = path.resolve(import.meta.dirname, '../..');
const realBook = process.env.LEMMA_REAL_BOOK ?? path.join(repo, 'book');
const goldenPath = process.env.LEMMA_GOLDEN ?? path.join(repo, 'target/browser-book/golden.json');
const artifacts = process.env.LEMMA_ARTIFACTS ?? path.join(repo, 'target/browser-artifacts');
const golden = JSON.parse(fs.readFileSync(goldenPath, 'utf8'));
const digits = golden.calibration.find((c) => c.name === 'digits test split');
const PAGE = '/calibration.html';

let base;
let browser;
let close;

before(async () => {
  assert.ok(fs.existsSync(path.join(realBook, 'calibration.html')), `the book is built in ${realBook}`);
  ({ base, browser, close } = await start(within(realBook)));
  fs.mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await close?.();
});

/** The calibration page, with console errors recorded. */
async function open(options = {}) {
  const { theme, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...contextOptions });
  if (theme) await context.addInitScript((t) => localStorage.setItem('mdbook-theme', t), theme);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(base + PAGE);
  if (options.javaScriptEnabled !== false) await page.waitForSelector('[data-lemma-widget="calibration"][data-lemma-live]');
  const widget = page.locator('[data-lemma-widget="calibration"]');
  return { page, context, errors, widget };
}

async function done({ context, errors }) {
  await context.close();
  assert.deepEqual(errors, [], 'no console errors');
}

/** What the widget shows, read from the DOM. */
function read(widget) {
  return widget.evaluate((root) => {
    const text = (sel) => root.querySelector(sel).textContent;
    const svg = root.querySelector('svg[data-lemma-y0]');
    const y0 = Number(svg.dataset.lemmaY0);
    const y1 = Number(svg.dataset.lemmaY1);
    return {
      t: Number(root.dataset.lemmaT),
      accuracy: Number(root.dataset.lemmaAccuracy),
      confidence: Number(root.dataset.lemmaConfidence),
      nll: Number(root.dataset.lemmaNll),
      ece: Number(root.dataset.lemmaEce),
      texts: {
        t: text('[data-lemma-cal-t]'),
        accuracy: text('[data-lemma-cal-accuracy]'),
        confidence: text('[data-lemma-cal-confidence]'),
        nll: text('[data-lemma-cal-nll]'),
        ece: text('[data-lemma-cal-ece]'),
      },
      status: text('[data-lemma-status]'),
      heights: Array.from(root.querySelectorAll('[data-lemma-bin]'), (b) => Number(b.getAttribute('height')) / (y0 - y1)),
      gaps: Array.from(root.querySelectorAll('[data-lemma-gap]'), (b) => Number(b.getAttribute('height')) / (y0 - y1)),
      disabled: Array.from(root.querySelectorAll('input, button'), (e) => e.disabled),
      table: Array.from(root.querySelectorAll('[data-lemma-bin-row]'), (tr) => [
        tr.querySelector('[data-lemma-bin-count]').textContent,
        tr.querySelector('[data-lemma-bin-confidence]').textContent,
        tr.querySelector('[data-lemma-bin-accuracy]').textContent,
      ]),
    };
  });
}

const close12 = (a, b) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

/** The widget shows the core's golden point `p`. */
function assertShows(got, p, what) {
  assert.ok(close12(got.accuracy, p.accuracy), `${what}: accuracy ${got.accuracy} vs ${p.accuracy}`);
  assert.ok(close12(got.confidence, p.confidence), `${what}: confidence ${got.confidence} vs ${p.confidence}`);
  assert.ok(close12(got.nll, p.nll), `${what}: NLL ${got.nll} vs ${p.nll}`);
  assert.ok(close12(got.ece, p.ece), `${what}: ECE ${got.ece} vs ${p.ece}`);
  assert.deepEqual(got.texts, p.texts, `${what}: readouts`);
  assert.equal(got.heights.length, p.bin_accuracy.length, `${what}: a bar per bin`);
  got.heights.forEach((h, m) => {
    const want = p.bin_accuracy[m] ?? 0;
    assert.ok(Math.abs(h - want) < 1e-3, `${what}: bar ${m} is ${h}, the bin's accuracy ${want}`);
  });
  assert.deepEqual(got.table, p.bin_table, `${what}: the data table under the diagram`);
  assert.equal(got.gaps.length, p.bin_accuracy.length, `${what}: a gap per bin`);
  got.gaps.forEach((g, m) => {
    const want = p.bin_accuracy[m] === null ? 0 : Math.abs(p.bin_accuracy[m] - p.bin_confidence[m]);
    assert.ok(Math.abs(g - want) < 1e-3, `${what}: gap ${m} is ${g}, the bin's |accuracy - confidence| ${want}`);
  });
}

const point = (t) => {
  const p = digits.points.find((x) => x.t === t);
  assert.ok(p, `golden point at T = ${t}`);
  return p;
};

// ---------------------------------------------------------------------------

test('the script computes what the core computes, on every golden point', async () => {
  const o = await open();
  const result = await o.page.evaluate((cases) => {
    const root = document.querySelector('[data-lemma-widget="calibration"]');
    const pageZ = JSON.parse(root.dataset.lemmaLogits);
    const pageY = JSON.parse(root.dataset.lemmaLabels);
    const out = [];
    for (const c of cases) {
      const z = c.z ?? pageZ;
      const y = c.y ?? pageY;
      for (const p of c.points) {
        const s = window.lemmaCalibration.calibration(z, y, p.t, c.bins);
        out.push({ name: c.name, t: p.t, s, texts: window.lemmaCalibration.texts(s, p.t), status: window.lemmaCalibration.status(window.lemmaCalibration.texts(s, p.t)) });
      }
    }
    return out;
  }, golden.calibration);
  const want = golden.calibration.flatMap((c) => c.points.map((p) => ({ name: c.name, p })));
  assert.equal(result.length, want.length);
  assert.ok(want.length >= 4 * 7, 'every case at every golden temperature');
  result.forEach((r, i) => {
    const { name, p } = want[i];
    const what = `${name} at T = ${p.t}`;
    for (const k of ['accuracy', 'confidence', 'nll', 'ece']) {
      assert.ok(close12(r.s[k], p[k]), `${what}: ${k} ${r.s[k]} vs the core's ${p[k]}`);
    }
    assert.deepEqual(r.s.binCount, p.bin_count, `${what}: bin counts (boundaries included)`);
    r.s.binAccuracy.forEach((a, m) => assert.ok(a === null ? p.bin_accuracy[m] === null : close12(a, p.bin_accuracy[m]), `${what}: bin ${m}`));
    r.s.binConfidence.forEach((c, m) => assert.ok(c === null ? p.bin_confidence[m] === null : close12(c, p.bin_confidence[m]), `${what}: bin ${m}'s mean confidence`));
    assert.deepEqual(r.texts, p.texts, `${what}: printed`);
    assert.equal(r.status, p.status, `${what}: summary`);
  });
  await done(o);
});

test('without JavaScript the widget shows the core\'s picture at T = 1, controls inert', async () => {
  const o = await open({ javaScriptEnabled: false });
  const got = await read(o.widget);
  assertShows(got, point(1), 'build time');
  assert.equal(got.status, point(1).status);
  assert.ok(got.disabled.every(Boolean), 'every control is disabled until the script runs');
  await done(o);
});

test('the script makes the controls live without moving anything', async () => {
  const o = await open();
  const got = await read(o.widget);
  assertShows(got, point(1), 'live at T = 1');
  assert.ok(got.disabled.every((d) => !d), 'every control is enabled');
  await done(o);
});

test('the fitted-T button shows the test split at the temperature fitted on validation', async () => {
  const o = await open();
  await o.widget.locator('[data-lemma-cal-fitted]').click();
  const got = await read(o.widget);
  assert.equal(got.t, digits.fitted, 'the exact fitted temperature');
  const p = point(digits.fitted);
  assertShows(got, p, 'fitted');
  assert.equal(got.status, p.status, 'the live summary');
  assert.ok(got.ece < point(1).ece, 'the ECE falls');
  await o.widget.screenshot({ path: path.join(artifacts, 'calibration-fitted.png') });
  await done(o);
});

test('the slider moves T (its value is log2 T), the accuracy never moves, reset returns', async () => {
  const o = await open();
  const slider = o.widget.locator('[data-lemma-cal-temperature]');
  const accuracies = new Set();
  for (const t of [0.25, 0.5, 2, 8, 32]) {
    await slider.fill(String(Math.log2(t)));
    const got = await read(o.widget);
    assert.equal(got.t, t, `T = ${t}`);
    assertShows(got, point(t), `slider at T = ${t}`);
    assert.equal(got.status, point(t).status, `summary at T = ${t}`);
    accuracies.add(got.texts.accuracy);
  }
  assert.equal(accuracies.size, 1, 'the accuracy is the same at every temperature');
  await o.widget.locator('[data-lemma-reset]').click();
  assertShows(await read(o.widget), point(1), 'after reset');
  await done(o);
});

test('keyboard: the arrow keys move the temperature and the summary follows', async () => {
  const o = await open();
  const slider = o.widget.locator('[data-lemma-cal-temperature]');
  await slider.focus();
  const before = await read(o.widget);
  await o.page.keyboard.press('ArrowRight');
  const after = await read(o.widget);
  assert.ok(after.t > before.t, `T rose: ${before.t} -> ${after.t}`);
  assert.match(after.status, new RegExp(`^T = ${after.texts.t.replace('.', '\\.')};`));
  await done(o);
});

test('screenshots: five themes wide, and a 390px phone with no sideways scroll', async () => {
  for (const theme of THEMES) {
    const o = await open({ theme });
    await o.widget.scrollIntoViewIfNeeded();
    await o.widget.screenshot({ path: path.join(artifacts, `calibration-${theme}.png`) });
    await done(o);
  }
  const o = await open({ theme: 'navy', viewport: { width: 390, height: 844 } });
  const sideways = await o.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(sideways <= 0, `the page scrolls sideways by ${sideways}px`);
  const box = await o.widget.boundingBox();
  assert.ok(box.width <= 390, `the widget fits: ${box.width}px`);
  await o.widget.scrollIntoViewIfNeeded();
  await o.widget.screenshot({ path: path.join(artifacts, 'calibration-navy-390.png') });
  await done(o);
});
