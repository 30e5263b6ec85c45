// The self-check rule of theme/lemma-widget.js on the shared table of typed
// answers (tests/data/selfcheck.json), in node, without a browser. The same
// table is held by a cargo test (preprocessor/src/exercise.rs) and, in
// Chromium, by widgets.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const repo = path.resolve(import.meta.dirname, '../..');

/** The script's `window.lemmaWidget`, run in a bare context. */
export function loadScript() {
  const window = {};
  // 'loading': the script waits for DOMContentLoaded, which never comes here.
  const document = { readyState: 'loading', addEventListener: () => {}, querySelectorAll: () => [] };
  const context = vm.createContext({ window, document, BigInt, DataView, ArrayBuffer, Math, Number, String, JSON });
  vm.runInContext(fs.readFileSync(path.join(repo, 'theme/lemma-widget.js'), 'utf8'), context);
  return window.lemmaWidget;
}

/** The verdict name of the table (`high`/`low` for a wrong answer). */
export function verdictName(r) {
  return r.verdict === 'incorrect' ? r.direction : r.verdict;
}

const table = JSON.parse(fs.readFileSync(path.join(repo, 'tests/data/selfcheck.json'), 'utf8'));

test('the self-check judges the shared table of typed answers as the core does (node)', () => {
  const W = loadScript();
  assert.ok(table.cases.length > 40);
  const wrong = [];
  for (const c of table.cases) {
    const r = W.judge(Number(c.answer), c.typed, c.tolerance, c.digits);
    if (verdictName(r) !== c.verdict) wrong.push(`${JSON.stringify(c)}: ${verdictName(r)} (${r.message})`);
  }
  assert.deepEqual(wrong, []);
});

test('the self-check says why, in the reader\'s terms', () => {
  const W = loadScript();
  assert.equal(W.judge(4.605170185988091, '4.6').message, '\u2713 Correct to 1 decimal.');
  assert.equal(W.judge(4.605170185988091, '4.60').message, '\u2717 Not quite: at 2 decimals, 4.60 is too low. Try again.');
  assert.equal(W.judge(0.6285, '0.6', null, '2').message, 'Give at least two decimals (you gave 1 decimal).');
  assert.equal(W.judge(1.4644, '1.5', '0.01').message, '\u2717 Not quite: 1.5 is too high (allowed: \u00b10.01 of the answer). Try again.');
  assert.equal(W.judge(-0.4643, '-0.465').message, '\u2717 Not quite: at 3 decimals, \u22120.465 is too low. Try again.');
});
