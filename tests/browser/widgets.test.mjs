// Browser tests of the softmax widget and the self-checking exercises, in
// Debian's headless Chromium driven by playwright-core.
//
// `bash tests/run.sh` prepares what they need (see there):
//   target/browser-book/book/   the fixture book tests/fixtures/widgets, built
//   target/browser-book/golden.json   golden vectors from the Rust core
//                               (cargo run --example widget_golden)
//   book/                       the real book, built
// Screenshots go to target/browser-artifacts/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { THEMES, start } from './harness.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const repo = path.resolve(import.meta.dirname, '../..');
const fixtureBook = process.env.LEMMA_FIXTURE_BOOK ?? path.join(repo, 'target/browser-book/book');
const realBook = process.env.LEMMA_REAL_BOOK ?? path.join(repo, 'book');
const goldenPath = process.env.LEMMA_GOLDEN ?? path.join(repo, 'target/browser-book/golden.json');
const artifacts = process.env.LEMMA_ARTIFACTS ?? path.join(repo, 'target/browser-artifacts');
const golden = JSON.parse(fs.readFileSync(goldenPath, 'utf8'));
const scenario = (name) => {
  const s = golden.scenarios.find((x) => x.name === name);
  assert.ok(s, `golden scenario ${name}`);
  return s;
};
const selfcheckTable = JSON.parse(fs.readFileSync(path.join(repo, 'tests/data/selfcheck.json'), 'utf8'));
const realPages = () => fs.readdirSync(realBook)
  .filter((f) => f.endsWith('.html') && !['404.html', 'print.html', 'toc.html'].includes(f)).sort();

// ---------------------------------------------------------------------------
// A static server on the loopback interface: /fixture/ and /book/.

let base;
let browser;
let close;

before(async () => {
  ({ base, browser, close } = await start((pathname) => {
    const [, root, ...rest] = pathname.split('/');
    const dir = root === 'fixture' ? fixtureBook : root === 'book' ? realBook : null;
    let file = dir && path.join(dir, ...rest);
    if (file && !file.startsWith(dir)) return null;
    if (file && fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    return file;
  }));
  fs.mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await close?.();
});

/** A fresh page that records console errors and uncaught exceptions. */
async function open(url, options = {}) {
  const { theme, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...contextOptions });
  if (theme) {
    await context.addInitScript((t) => localStorage.setItem('mdbook-theme', t), theme);
  }
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(base + url);
  return { page, context, errors };
}

async function openWidget(options) {
  const o = await open('/fixture/widget.html', options);
  if (options?.javaScriptEnabled !== false) {
    await o.page.waitForSelector('[data-lemma-widget][data-lemma-live]');
  }
  o.widget = o.page.locator('[data-lemma-widget]').first();
  return o;
}

async function done({ context, errors }) {
  await context.close();
  assert.deepEqual(errors, [], 'no console errors');
}

/** Everything the widget shows, read from the DOM. */
function read(widget) {
  return widget.evaluate((root) => {
    const texts = (sel) => Array.from(root.querySelectorAll(sel), (e) => e.textContent);
    return {
      t: root.dataset.lemmaT,
      y: root.dataset.lemmaY,
      p_text: texts('[data-lemma-p]'),
      z_text: texts('[data-lemma-z]'),
      loss_text: root.querySelector('[data-lemma-loss]').textContent,
      t_text: root.querySelector('[data-lemma-t-out]').textContent,
      status: root.querySelector('[data-lemma-status]').textContent,
      top: Array.from(root.querySelectorAll('[data-lemma-row]'))
        .filter((r) => r.hasAttribute('data-lemma-top'))
        .map((r) => Number(r.dataset.lemmaRow)),
      marks: texts('.lw-top'),
      widths: Array.from(root.querySelectorAll('.lw-fill'), (e) => parseFloat(e.style.width)),
      table_p: texts('[data-lemma-table-p]'),
      table_t: root.querySelector('[data-lemma-table-t]').textContent,
      logits: Array.from(root.querySelectorAll('[data-lemma-logit]'), (e) => Number(e.value)),
      disabled: Array.from(root.querySelectorAll('input, select, button'), (e) => e.disabled),
    };
  });
}

/** The widget shows exactly what the Rust core computed for `name`. */
async function assertShows(widget, name) {
  const s = scenario(name);
  const got = await read(widget);
  assert.equal(Number(got.t), s.t, `${name}: data-lemma-t`);
  assert.equal(Number(got.y), s.y, `${name}: data-lemma-y`);
  assert.deepEqual(got.p_text, s.p_text, `${name}: probabilities`);
  assert.deepEqual(got.table_p, s.p_text, `${name}: table`);
  assert.deepEqual(got.z_text, s.z_text, `${name}: logits`);
  assert.equal(got.loss_text, s.loss_text, `${name}: loss`);
  assert.equal(got.t_text, s.t_text, `${name}: temperature`);
  assert.equal(got.table_t, s.t_text, `${name}: table caption`);
  assert.equal(got.status, s.status, `${name}: live summary`);
  assert.deepEqual(got.top, s.top, `${name}: top classes`);
  assert.deepEqual(got.marks, s.p.map((_, i) => (s.top.includes(i) ? '\u2605 top' : '')), `${name}: top marks`);
  got.widths.forEach((w, i) => assert.ok(Math.abs(w - s.p[i] * 100) < 0.01, `${name}: bar ${i} is ${w}%`));
  return got;
}

/** Moves a range slider the way a drag ends: value set, input and change. */
async function slide(locator, value) {
  await locator.fill(String(value));
}

const logit = (w, i) => w.locator(`[data-lemma-logit="${i}"]`);
const temperature = (w) => w.locator('[data-lemma-temperature]');

/** Moves the temperature slider to the stop `t`. */
async function setT(w, t) {
  const stops = JSON.parse(await temperature(w).getAttribute('data-lemma-t-stops'));
  const i = stops.indexOf(t);
  assert.ok(i >= 0, `T = ${t} is a stop: ${stops}`);
  await slide(temperature(w), i);
}

// ---------------------------------------------------------------------------

test('the page script agrees with the Rust core on every golden vector', async () => {
  const o = await openWidget();
  const result = await o.page.evaluate((g) => {
    const W = window.lemmaWidget;
    const bad = [];
    const rel = (a, b) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
    for (const s of g.scenarios) {
      const js = W.shown(s.z, s.t, s.y, s.labels);
      js.p.forEach((p, i) => {
        if (!(rel(p, s.p[i]) <= g.relative_tolerance)) bad.push(`${s.name}: p[${i}] ${p} vs ${s.p[i]}`);
      });
      if (!(rel(js.loss, s.loss) <= g.relative_tolerance)) bad.push(`${s.name}: loss ${js.loss} vs ${s.loss}`);
      for (const k of ['p_text', 'z_text', 'loss_text', 't_text', 'status', 'top']) {
        if (JSON.stringify(js[k]) !== JSON.stringify(s[k])) bad.push(`${s.name}: ${k} ${JSON.stringify(js[k])} vs ${JSON.stringify(s[k])}`);
      }
    }
    let toFixedWouldDiffer = 0;
    for (const [v, d, want] of g.fixed) {
      const got = W.fixed(v, d);
      if (got !== want) bad.push(`fixed(${v}, ${d}) = ${got}, core prints ${want}`);
      if (Math.abs(v) < 1e21 && v.toFixed(d) !== want) toFixedWouldDiffer += 1;
    }
    for (const [v, n, want] of g.sig) {
      const got = W.sig(v, n);
      if (got !== want) bad.push(`sig(${v}, ${n}) = ${got}, core prints ${want}`);
    }
    for (const [v, want] of g.p) {
      const got = W.format.p(v);
      if (got !== want) bad.push(`format.p(${v}) = ${got}, core prints ${want}`);
    }
    for (const c of g.selfcheck) {
      const got = W.judge(Number(c.answer), c.typed, c.tolerance);
      const want = c.verdict === 'parses' ? null : c.verdict;
      if (want === null) {
        if (got.verdict === 'invalid') bad.push(`judge: ${JSON.stringify(c.typed)} parses in the core`);
      } else if (got.verdict !== want || (c.direction && got.direction !== c.direction)) {
        bad.push(`judge(${c.answer}, ${JSON.stringify(c.typed)}, ${c.tolerance}) = ${got.verdict}/${got.direction}, core: ${want}/${c.direction}`);
      }
    }
    return { bad, toFixedWouldDiffer, counts: [g.scenarios.length, g.fixed.length, g.sig.length, g.selfcheck.length] };
  }, golden);
  assert.ok(golden.p.some(([, t]) => /e\u2212/.test(t)), 'small probabilities print in scientific form');
  assert.deepEqual(result.bad, []);
  // The golden vectors do hold exact ties that `toFixed` gets wrong.
  assert.ok(result.toFixedWouldDiffer > 0, 'some golden case separates the core rule from toFixed');
  assert.ok(golden.fixed.some(([v, d, s]) => v === 0.125 && d === 2 && s === '0.12'));
  await done(o);
});

test('without JavaScript the widget shows the build-time state', async () => {
  const o = await openWidget({ javaScriptEnabled: false });
  const got = await assertShows(o.widget, 'lesson');
  assert.ok(got.disabled.every(Boolean), 'controls are disabled without the script');
  assert.deepEqual(got.logits, [2, 1, 0.5]);
  await o.widget.screenshot({ path: path.join(artifacts, 'widget-light-nojs.png') });
  await done(o);
});

test('the script makes the controls live without moving anything', async () => {
  const still = await openWidget({ javaScriptEnabled: false });
  const before = await still.widget.boundingBox();
  await done(still);
  const o = await openWidget();
  const got = await assertShows(o.widget, 'lesson');
  assert.ok(got.disabled.every((d) => !d), 'controls are enabled');
  const live = await o.widget.boundingBox();
  // (mdBook's own sidebar opens with its script, so only the size compares.)
  assert.deepEqual([live.width, live.height], [before.width, before.height], 'same size with and without the script');
  await done(o);
});

test('logit sliders: the value is the logit, and the readouts follow', async () => {
  const o = await openWidget();
  await slide(logit(o.widget, 0), 2.1);
  await assertShows(o.widget, 'lesson z0=2.1');
  await o.widget.locator('[data-lemma-reset]').click();
  await assertShows(o.widget, 'lesson');
  await slide(logit(o.widget, 1), 3);
  await assertShows(o.widget, 'lesson z1=3');
  await o.widget.locator('[data-lemma-reset]').click();
  await slide(logit(o.widget, 2), -4.5);
  await assertShows(o.widget, 'lesson z2=-4.5');
  await done(o);
});

test('temperature slider: it stops at the marked temperatures, each golden one', async () => {
  const o = await openWidget();
  const slider = await temperature(o.widget).evaluate((e) => ({
    stops: JSON.parse(e.dataset.lemmaTStops), min: Number(e.min), max: Number(e.max), step: e.step,
    marks: Array.from(e.closest('.lw-slider').querySelectorAll('.lw-marks > span'), (m) => m.textContent),
  }));
  assert.deepEqual(slider.stops, golden.t_stops);
  assert.deepEqual([slider.min, slider.max, slider.step], [0, golden.t_stops.length - 1, '1']);
  assert.deepEqual(slider.marks, golden.t_stops.map(String), 'a mark under the track for every stop');
  for (const [t, name] of [[0.5, 'lesson T=0.5'], [0.2, 'lesson T=0.2'], [0.1, 'lesson T=0.1'], [2, 'lesson T=2'],
    [5, 'lesson T=5'], [0.05, 'lesson T=0.05'], [10, 'lesson T=10']]) {
    await setT(o.widget, t);
    await assertShows(o.widget, name);
    assert.equal(await temperature(o.widget).getAttribute('aria-valuetext'), `T = ${scenario(name).t_text}`);
  }
  await done(o);
});

test('true class: choosing it moves the loss, not the bars', async () => {
  const o = await openWidget();
  await o.widget.locator('[data-lemma-true-class]').selectOption('1');
  await assertShows(o.widget, 'lesson y=1');
  assert.equal(await o.widget.locator('[data-lemma-y-name]').textContent(), 'dog');
  await o.widget.locator('[data-lemma-true-class]').selectOption('2');
  await assertShows(o.widget, 'lesson y=2');
  await o.widget.locator('[data-lemma-reset]').click();
  await assertShows(o.widget, 'lesson');
  await done(o);
});

test('keyboard: arrow keys, Home and End move the sliders (and not the page)', async () => {
  const o = await openWidget();
  const url = o.page.url();
  await logit(o.widget, 0).focus();
  await o.page.keyboard.press('ArrowRight');
  await assertShows(o.widget, 'lesson z0=2.1');
  await o.page.keyboard.press('ArrowLeft');
  await assertShows(o.widget, 'lesson');
  await temperature(o.widget).focus();
  await o.page.keyboard.press('ArrowLeft');
  await assertShows(o.widget, 'lesson T=0.5');
  await o.page.keyboard.press('Home');
  await assertShows(o.widget, 'lesson T=0.05');
  await o.page.keyboard.press('End');
  await assertShows(o.widget, 'lesson T=10');
  await o.widget.locator('[data-lemma-true-class]').focus();
  await o.page.keyboard.press('ArrowDown');
  assert.equal(await o.widget.getAttribute('data-lemma-y'), '1');
  await o.widget.locator('[data-lemma-reset]').focus();
  await o.page.keyboard.press('Enter');
  await assertShows(o.widget, 'lesson');
  assert.equal(o.page.url(), url, 'mdBook did not turn the page');
  // Every control is reachable with Tab and has an accessible name.
  const names = await o.widget.evaluate((root) =>
    Array.from(root.querySelectorAll('input, select, button'), (e) => {
      const label = (e.labels?.[0] ?? e).cloneNode(true);
      label.querySelectorAll('[aria-hidden]').forEach((h) => h.remove());
      return label.textContent.trim();
    }));
  assert.deepEqual(names, ['cat logit', 'dog logit', 'fox logit', 'Temperature', 'True class catdogfox', 'Reset']);
  assert.equal(await o.page.locator('[aria-live]').count(), 1 + 0, 'one live region on the widget page');
  await done(o);
});

test('the temperature exercise with the keyboard: each T the chapter names in a few presses, the order always visible', async () => {
  const o = await openWidget();
  for (const [i, v] of [2.0, 1.0, 0.5].entries()) await slide(logit(o.widget, i), v);
  await temperature(o.widget).focus();
  const shownNumber = (t) => Number(t.replace('\u2212', '-'));
  // From T = 1.0 down to 0.1, then up to 5.0, as the chapter asks.
  let presses = 0;
  const goTo = async (t, key) => {
    let n = 0;
    while (Number((await read(o.widget)).t) !== t) {
      await o.page.keyboard.press(key);
      n += 1;
      assert.ok(n <= 5, `T = ${t} within five presses of ${key}`);
    }
    presses += n;
    const got = await read(o.widget);
    const s = golden.scenarios.find((x) => x.t === t && x.name.startsWith('lesson') && x.y === 0 && x.z[0] === 2 && x.z[1] === 1);
    assert.ok(s, `golden scenario at T = ${t}`);
    assert.deepEqual(got.p_text, s.p_text, `T = ${t}: the core's numbers`);
    assert.deepEqual(got.top, [0], `cat wins at T = ${t}`);
    // The order of the classes can be read off the screen: no two
    // probabilities print the same, and they fall as the logits do.
    const shownP = got.p_text.map(shownNumber);
    assert.ok(shownP[0] > shownP[1] && shownP[1] > shownP[2], `T = ${t}: the order is visible in ${got.p_text}`);
    assert.equal(got.status, s.status);
    return got;
  };
  await goTo(1, 'ArrowLeft');
  await goTo(0.5, 'ArrowLeft');
  await goTo(0.2, 'ArrowLeft');
  const cold = await goTo(0.1, 'ArrowLeft');
  assert.match(cold.p_text[1], /^\d\.\de\u2212\d+$/, 'a tiny probability in scientific form with a true minus');
  await goTo(0.5, 'ArrowRight');
  await goTo(1, 'ArrowRight');
  await goTo(2, 'ArrowRight');
  await goTo(5, 'ArrowRight');
  assert.equal(presses, 8, 'eight presses for the whole exercise');
  await done(o);
});

test('the lesson exercise, step by step: the winner never changes', async () => {
  const o = await openWidget();
  for (const [i, v] of [2.0, 1.0, 0.5].entries()) await slide(logit(o.widget, i), v);
  const at = async (t) => {
    await setT(o.widget, t);
    const got = await read(o.widget);
    assert.equal(Number(got.t), t);
    assert.deepEqual(got.top, [0], `cat wins at T=${t}`);
    assert.ok(got.status.includes('top: cat,'), got.status);
    const s = golden.scenarios.find((x) => x.t === t && x.name.startsWith('lesson') && x.y === 0 && x.z[0] === 2);
    assert.deepEqual(got.p_text, s.p_text);
    return s.p;
  };
  // Lower T from 1.0 to 0.1: the top probability rises.
  let last = -1;
  for (const t of [1, 0.5, 0.2, 0.1]) {
    const p = await at(t);
    assert.ok(p[0] > last, `p(cat) rises as T falls: ${p[0]} at T=${t}`);
    last = p[0];
  }
  assert.equal((await read(o.widget)).p_text[0], '1.000');
  // Raise T to 5.0: the bars flatten toward uniform, the winner stays.
  let spread = Infinity;
  for (const t of [1, 2, 5, 10]) {
    const p = await at(t);
    const s = Math.max(...p) - Math.min(...p);
    assert.ok(s < spread, `bars flatten as T rises: spread ${s} at T=${t}`);
    spread = s;
    const widths = (await read(o.widget)).widths;
    assert.ok(widths[0] > widths[1] && widths[1] > widths[2], `order of the bars kept at T=${t}: ${widths}`);
  }
  assert.ok(spread < 0.06, 'nearly uniform at T=10');
  await done(o);
});

test('edge cases: escaped labels, large logits, ties', async () => {
  const o = await open('/fixture/edge.html');
  await o.page.waitForSelector('[data-lemma-widget][data-lemma-live]');
  const [big, tied] = [o.page.locator('[data-lemma-widget]').nth(0), o.page.locator('[data-lemma-widget]').nth(1)];
  const names = await big.evaluate((r) => Array.from(r.querySelectorAll('.lw-name'), (e) => [e.textContent, e.children.length]));
  assert.deepEqual(names, [['<b>cat</b> & co', 0], ['"dog"', 0], ["fox's", 0]]);
  const b = await read(big);
  assert.deepEqual(b.p_text, ['0.731', '0.269', '0.000']);
  assert.equal(b.loss_text, '1000.313');
  assert.deepEqual(b.logits, [1000, 999, 0]);
  const t = await read(tied);
  assert.deepEqual(t.top, [0, 1, 2], 'all tied classes are marked');
  assert.ok(t.status.includes('(tied)'));
  // Moving a slider of the large widget keeps the numbers right.
  await slide(big.locator('[data-lemma-logit="1"]'), 1000);
  const after = await read(big);
  assert.deepEqual(after.p_text, ['0.500', '0.500', '0.000']);
  assert.deepEqual(after.top, [0, 1]);
  await done(o);
});

test('self-check: right answers accepted, wrong ones rejected, no navigation', async () => {
  const o = await open('/fixture/exercises.html');
  await o.page.evaluate(() => { window.__stay = true; });
  const url = o.page.url();
  const form = o.page.locator('form.lemma-selfcheck').nth(0);
  const verdict = form.locator('output');
  const tryAnswer = async (f, text, how) => {
    await f.locator('[data-lemma-input]').fill(text);
    if (how === 'enter') await f.locator('[data-lemma-input]').press('Enter');
    else await f.locator('button[type=submit]').click();
    const out = f.locator('output');
    return [await out.getAttribute('data-lemma-verdict'), await out.textContent()];
  };
  let [v, msg] = await tryAnswer(form, '0.629');
  assert.equal(v, 'correct');
  assert.match(msg, /^\u2713 Correct to 3 decimals/);
  [v, msg] = await tryAnswer(form, '0.7', 'enter');
  assert.equal(v, 'incorrect');
  assert.match(msg, /too high/);
  [v] = await tryAnswer(form, '62.9%');
  assert.equal(v, 'correct');
  [v] = await tryAnswer(form, '6.29e-1');
  assert.equal(v, 'correct');
  [v] = await tryAnswer(form, '0.628');
  assert.equal(v, 'incorrect');
  [v, msg] = await tryAnswer(form, 'abc');
  assert.equal(v, 'invalid');
  assert.match(msg, /Type a number/);
  assert.equal(await verdict.getAttribute('aria-live'), 'polite');
  const tol = o.page.locator('form.lemma-selfcheck').nth(1);
  [v, msg] = await tryAnswer(tol, '1.46');
  assert.equal(v, 'correct');
  assert.match(msg, /within \u00b10\.01/);
  [v] = await tryAnswer(tol, '1.48');
  assert.equal(v, 'incorrect');
  [v] = await tryAnswer(tol, '1.455');
  assert.equal(v, 'correct');
  assert.equal(o.page.url(), url, 'the form did not navigate');
  assert.equal(await o.page.evaluate(() => window.__stay), true, 'the page did not reload');
  await done(o);
});

test('self-check in Chromium: the shared table of typed answers, judged as the core judges them', async () => {
  const o = await open('/fixture/exercises.html');
  const wrong = await o.page.evaluate((cases) => {
    const out = [];
    for (const c of cases) {
      const r = window.lemmaWidget.judge(Number(c.answer), c.typed, c.tolerance, c.digits);
      const name = r.verdict === 'incorrect' ? r.direction : r.verdict;
      if (name !== c.verdict) out.push(`${JSON.stringify(c)}: ${name}`);
    }
    return out;
  }, selfcheckTable.cases);
  assert.deepEqual(wrong, []);
  // Through the form: the answer box, the button and the verdict.
  const form = o.page.locator('form.lemma-selfcheck').nth(0);
  await form.evaluate((f) => { f.dataset.lemmaAnswer = '4.605170185988091'; f.dataset.lemmaDigits = '1'; });
  for (const [typed, verdict, message] of [
    ['4.6', 'correct', '\u2713 Correct to 1 decimal.'],
    ['4.60', 'incorrect', '\u2717 Not quite: at 2 decimals, 4.60 is too low. Try again.'],
    ['5', 'imprecise', 'Give at least one decimal (you gave 0 decimals).'],
  ]) {
    await form.locator('[data-lemma-input]').fill(typed);
    await form.locator('button[type=submit]').click();
    assert.equal(await form.locator('output').getAttribute('data-lemma-verdict'), verdict, typed);
    assert.equal(await form.locator('output').textContent(), message, typed);
  }
  await done(o);
});

test('no page of the book scrolls sideways at 360 and 390 px; wide boxes scroll inside, with a cue', { skip: !fs.existsSync(path.join(realBook, 'index.html')) && 'book/ not built' }, async () => {
  for (const width of [360, 390]) {
    for (const p of realPages()) {
      const o = await open(`/book/${p}`, { viewport: { width, height: 800 } });
      await o.page.waitForFunction(() => window.lemmaWidget !== undefined);
      const r = await o.page.evaluate(() => {
        const content = document.querySelector('#mdbook-content') ?? document.querySelector('.content');
        const boxes = Array.from(document.querySelectorAll('main pre > code, main .lemma-table, main .lemma-math, main .table-wrapper'));
        const wide = boxes.filter((b) => b.scrollWidth - b.clientWidth > 1);
        return {
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          content: content.scrollWidth - content.clientWidth,
          uncued: wide.filter((b) => !b.dataset.lemmaScroll || b.tabIndex !== 0 || getComputedStyle(b).boxShadow === 'none')
            .map((b) => `${b.tagName.toLowerCase()}.${b.className}`),
          tables: Array.from(document.querySelectorAll('main .lemma-table'), (t) => t.scrollWidth - t.clientWidth),
          wide: wide.length,
        };
      });
      assert.equal(r.page, 0, `${p} at ${width}px: the page does not pan`);
      assert.equal(r.content, 0, `${p} at ${width}px: the content does not scroll sideways`);
      assert.deepEqual(r.uncued, [], `${p} at ${width}px: every box that scrolls shows it and takes focus`);
      assert.ok(r.tables.every((d) => d <= 0), `${p} at ${width}px: lemma's tables fit (${r.tables})`);
      if (width === 390 && ['temperature.html', 'trap.html', 'cross-entropy.html', 'softmax.html'].includes(p)) {
        await o.page.screenshot({ path: path.join(artifacts, `book-${p.replace('.html', '')}-phone-390.png`), fullPage: true });
      }
      await done(o);
    }
  }
});

test('every widget of the book has its own accessible name', { skip: !fs.existsSync(path.join(realBook, 'index.html')) && 'book/ not built' }, async () => {
  const names = [];
  for (const p of realPages()) {
    const o = await open(`/book/${p}`);
    for (const n of await o.page.locator('[data-lemma-widget]').evaluateAll((ws) => ws.map((w) => w.getAttribute('aria-label')))) names.push(n);
    await done(o);
  }
  assert.ok(names.length >= 4, `the book's widgets: ${names}`);
  assert.equal(new Set(names).size, names.length, `distinct names: ${names}`);
  assert.ok(names.every((n) => n && n !== 'Softmax widget'), `${names}`);
});

/** WCAG contrast ratio of two CSS colours (rgb/rgba on an opaque base). */
function contrastIn(page, pairs) {
  return page.evaluate((ps) => {
    const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const over = (fg, bg) => { const a = fg[3] ?? 1; return [0, 1, 2].map((i) => fg[i] * a + bg[i] * (1 - a)); };
    return ps.map(([a, b]) => {
      const B = rgb(b);
      const A = over(rgb(a), B);
      const [l1, l2] = [lum(A), lum(B)].sort((x, y) => y - x);
      return (l1 + 0.05) / (l2 + 0.05);
    });
  }, pairs);
}

const LEMMA = ['.lemma-widget', '.lemma-exercise', '.lemma-table', '.lemma-math', '.lemma-answer'];

test('contrast: axe-core finds no violation on lemma\'s elements, and their controls\' borders reach 3:1, in all five themes', { skip: !fs.existsSync(path.join(realBook, 'index.html')) && 'book/ not built' }, async () => {
  const problems = [];
  let checked = 0;
  for (const theme of THEMES) {
    for (const p of realPages()) {
      const o = await open(`/book/${p}`, { theme });
      const present = await o.page.locator(LEMMA.join(', ')).count();
      if (present === 0) {
        await done(o);
        continue;
      }
      await o.page.waitForFunction(() => window.lemmaWidget !== undefined);
      // Open every answer and give every self-check a verdict of each kind,
      // so their text is on the page when axe looks.
      await o.page.evaluate(() => document.querySelectorAll('details.lemma-answer').forEach((d) => { d.open = true; }));
      await o.page.addScriptTag({ path: axePath });
      const forms = o.page.locator('form.lemma-selfcheck');
      // Each self-check is looked at with a wrong answer, then a right one
      // (the answer itself at full precision), so both verdicts' colours
      // are checked.
      for (const verdict of ['incorrect', 'correct']) {
        for (let i = 0; i < await forms.count(); i++) {
          const f = forms.nth(i);
          const typed = verdict === 'correct' ? await f.getAttribute('data-lemma-answer') : '-1e9';
          await f.locator('[data-lemma-input]').fill(typed);
          await f.locator('button[type=submit]').click();
          assert.equal(await f.locator('output').getAttribute('data-lemma-verdict'), verdict, `${p}: form ${i}`);
        }
        const result = await o.page.evaluate(async (sel) => {
          const include = sel.filter((s) => document.querySelector(s)).map((s) => [s]);
          const r = await window.axe.run({ include }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
          return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.any.map((a) => a.message).join('; ')})`).join(' | ')}`);
        }, LEMMA);
        for (const v of result) problems.push(`${theme} ${p} (${verdict}): ${v}`);
        if (await forms.count() === 0) break;
      }
      // Component boundaries (WCAG 1.4.11): the border of each text box,
      // button and select against what is behind it.
      const borders = await o.page.evaluate((sel) => {
        const bgOf = (el) => {
          for (let e = el.parentElement; e; e = e.parentElement) {
            const c = getComputedStyle(e).backgroundColor;
            if (!/rgba\(.*, 0\)$/.test(c) && c !== 'transparent') return c;
          }
          return 'rgb(255, 255, 255)';
        };
        return Array.from(document.querySelectorAll(sel.map((s) => `${s} input[type=text], ${s} button, ${s} select`).join(', ')),
          (e) => [getComputedStyle(e).borderTopColor, bgOf(e), e.outerHTML.slice(0, 60)]);
      }, LEMMA);
      const ratios = await contrastIn(o.page, borders.map(([a, b]) => [a, b]));
      ratios.forEach((r, i) => { if (r < 3) problems.push(`${theme} ${p}: border ${r.toFixed(2)}:1 of ${borders[i][2]}`); });
      checked += 1;
      if (p === 'trap.html' && (theme === 'light' || theme === 'coal')) {
        await o.page.locator('main').screenshot({ path: path.join(artifacts, `book-trap-${theme}.png`) });
      }
      await done(o);
    }
  }
  fs.writeFileSync(path.join(artifacts, 'contrast-problems.json'), JSON.stringify(problems, null, 1));
  assert.ok(checked >= 5 * 4, `pages checked: ${checked}`);
  assert.deepEqual(problems, []);
});

test('exercises carry the same names in their chapter, its answer boxes, the answer key and print.html', { skip: !fs.existsSync(path.join(realBook, 'index.html')) && 'book/ not built' }, async () => {
  const key = await open('/book/answer-key.html');
  const keyNames = await key.page.locator('main table a[href*="#exercise-"]').evaluateAll((as) =>
    as.map((a) => [a.getAttribute('href').split('#')[0], a.textContent]));
  await done(key);
  assert.ok(keyNames.length >= 5, `the key lists the exercises: ${keyNames}`);
  const inChapters = [];
  for (const p of realPages()) {
    const o = await open(`/book/${p}`);
    const got = await o.page.evaluate(() => ({
      questions: Array.from(document.querySelectorAll('main p > strong:first-child'), (s) => s.textContent)
        .filter((t) => /^Exercise\b/.test(t)),
      boxes: Array.from(document.querySelectorAll('main .lemma-exercise'), (e) => ({
        id: e.id, name: e.querySelector('.lemma-exercise-name')?.textContent ?? null,
      })),
    }));
    const mine = keyNames.filter(([href]) => href === p).map(([, n]) => n);
    assert.deepEqual(got.questions, mine.map((n) => `${n}.`), `${p}: every question is named as in the key`);
    assert.deepEqual(got.boxes.map((b) => b.id), mine.map((_, i) => `exercise-${i + 1}`), `${p}: anchors`);
    got.boxes.forEach((b, i) => { if (b.name !== null) assert.equal(b.name, mine[i], `${p}: the answer box names its exercise`); });
    inChapters.push(...got.questions);
    await done(o);
  }
  const print = await open('/book/print.html');
  const printed = await print.page.evaluate(() => Array.from(document.querySelectorAll('main p > strong:first-child'), (s) => s.textContent)
    .filter((t) => /^Exercise\b/.test(t)));
  await done(print);
  assert.deepEqual(printed, keyNames.map(([, n]) => `${n}.`), 'print.html names them as the key does, in its order');
  assert.deepEqual([...inChapters].sort(), [...printed].sort());
});

test('search finds formulas as readable text, and prose shows true minus signs', { skip: !fs.existsSync(path.join(realBook, 'index.html')) && 'book/ not built' }, async () => {
  const file = fs.readdirSync(realBook).find((f) => /^searchindex.*\.js$/.test(f));
  assert.ok(file, 'a search index');
  // mdBook writes it as `JSON.parse('...')`: a JavaScript string literal.
  const js = fs.readFileSync(path.join(realBook, file), 'utf8');
  const literal = js.slice(js.indexOf("JSON.parse('") + "JSON.parse(".length, js.lastIndexOf("')") + 1);
  const index = JSON.parse(new Function(`return ${literal};`)());
  const docs = Object.entries(index.index.documentStore.docs).map(([id, d]) => [index.doc_urls[id], d.body ?? '']);
  // The appendix quotes LaTeX source in code on purpose; no formula does.
  const raw = docs.filter(([url, body]) => !url.startsWith('writing-with-lemma.html') && /\\[a-zA-Z]+|[_^]\{/.test(body))
    .map(([url, body]) => `${url}: ${body.match(/.{0,30}(\\[a-zA-Z]+|[_^]\{).{0,30}/)[0]}`);
  assert.deepEqual(raw, [], 'no raw LaTeX in the search index');
  const ce = docs.find(([url]) => url.startsWith('cross-entropy.html'))[1];
  assert.match(ce, /L \( z , y \) = \u2212 ln/, 'a formula reads as its symbols');
  const o = await open('/book/writing-with-lemma.html');
  const prose = await o.page.locator('main').evaluate((m) => Array.from(m.querySelectorAll('p, li, td'))
    .filter((e) => !e.closest('pre, code')).map((e) => {
      const c = e.cloneNode(true);
      c.querySelectorAll('code, pre, math').forEach((x) => x.remove());
      return c.textContent;
    }).join('\n'));
  await done(o);
  assert.match(prose, /\u22120\.464/, 'a negative value in prose has a true minus');
  assert.deepEqual(prose.match(/(^|[\s(\[,])-\d[^\s]*/g) ?? [], [], 'no hyphen-minus before a number in prose');
});

test('screenshots in all five themes, wide and on a 375px phone', async () => {
  for (const theme of THEMES) {
    for (const [label, viewport] of [['wide', { width: 1100, height: 900 }], ['phone', { width: 375, height: 812 }]]) {
      const o = await openWidget({ theme, viewport, deviceScaleFactor: label === 'phone' ? 2 : 1 });
      assert.equal(await o.page.evaluate(() => document.documentElement.classList.contains(localStorage.getItem('mdbook-theme'))), true, `${theme} applied`);
      await setT(o.widget, 0.5);
      await assertShows(o.widget, 'lesson T=0.5');
      const overflow = await o.page.evaluate(() => {
        const root = document.querySelector('[data-lemma-widget]');
        return [document.documentElement.scrollWidth - window.innerWidth, root.scrollWidth - root.clientWidth];
      });
      assert.deepEqual(overflow, [0, 0], `${theme} ${label}: nothing sticks out`);
      await o.page.evaluate(() => document.activeElement?.blur());
      await o.widget.scrollIntoViewIfNeeded();
      await o.widget.screenshot({ path: path.join(artifacts, `widget-${theme}-${label}.png`) });
      await done(o);
    }
  }
  const o = await open('/fixture/exercises.html', { theme: 'navy' });
  await o.page.locator('[data-lemma-input]').first().fill('0.7');
  await o.page.locator('button[type=submit]').first().click();
  await o.page.locator('[data-lemma-input]').nth(1).fill('1.46');
  await o.page.locator('button[type=submit]').nth(1).click();
  await o.page.locator('main').screenshot({ path: path.join(artifacts, 'exercises-navy.png') });
  await done(o);
});

test('the real book loads the widget script without errors', { skip: !fs.existsSync(path.join(realBook, 'index.html')) && 'book/ not built' }, async () => {
  const pages = fs.readdirSync(realBook).filter((f) => f.endsWith('.html') && !['404.html', 'print.html', 'toc.html'].includes(f));
  assert.ok(pages.length > 0);
  for (const p of pages) {
    const o = await open(`/book/${p}`);
    assert.equal(await o.page.evaluate(() => typeof window.lemmaWidget), 'object', `${p}: script loaded`);
    const widgets = await o.page.locator('[data-lemma-widget]').count();
    const live = await o.page.locator('[data-lemma-widget][data-lemma-live]').count();
    assert.equal(live, widgets, `${p}: every widget is live`);
    await done(o);
  }
});
