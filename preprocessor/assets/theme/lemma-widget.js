/*
 * lemma-widget.js: live softmax widgets and self-checking exercises for the
 * Lemma book. No framework, no network.
 *
 * The page is complete without this script: mdbook-lemma renders every
 * widget's initial state at build time with its Rust core. This script
 * enables the controls and recomputes on every change. It computes softmax
 * and cross-entropy the way the core does (preprocessor/src/numeric) and
 * prints numbers by the core's one rule (preprocessor/src/format.rs): the
 * exact binary value, rounded half to even. `Number.prototype.toFixed` is not
 * used for anything shown: it rounds exact ties away from zero.
 *
 * The functions are exposed as `window.lemmaWidget` so that the browser
 * tests run them on golden vectors computed by the core.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------------
  // Exact decimal rounding, with BigInt.

  var view = new DataView(new ArrayBuffer(8));

  /** |x| = m * 2^e exactly, for finite x. */
  function decompose(x) {
    view.setFloat64(0, Math.abs(x));
    var hi = view.getUint32(0);
    var lo = view.getUint32(4);
    var bits = (hi >>> 20) & 0x7ff;
    var m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    if (bits === 0) {
      return { m: m, e: -1074 };
    }
    return { m: m | (1n << 52n), e: bits - 1075 };
  }

  function pow10(k) {
    return 10n ** BigInt(k);
  }

  /** |x| * 10^k rounded half to even, as a BigInt (x finite, k integer). */
  function roundScaled(x, k) {
    var d = decompose(x);
    var num = d.m;
    var den = 1n;
    if (d.e >= 0) num <<= BigInt(d.e); else den <<= BigInt(-d.e);
    if (k >= 0) num *= pow10(k); else den *= pow10(-k);
    var q = num / den;
    var twice = 2n * (num - q * den);
    if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
    return q;
  }

  /** Sign of |x| - 10^k, exactly (x finite, non-zero). */
  function cmpPow10(x, k) {
    var d = decompose(x);
    var l = d.m;
    var r = 1n;
    if (d.e >= 0) l <<= BigInt(d.e); else r <<= BigInt(-d.e);
    if (k >= 0) r *= pow10(k); else l *= pow10(-k);
    return l < r ? -1 : l > r ? 1 : 0;
  }

  /** floor(log10(|x|)), exactly (x finite, non-zero). */
  function magnitude(x) {
    var k = Math.floor(Math.log10(Math.abs(x)));
    while (cmpPow10(x, k) < 0) k -= 1;
    while (cmpPow10(x, k + 1) >= 0) k += 1;
    return k;
  }

  /** Fixed notation with `d` decimals, as Rust's `{:.d}` (and `dp=d`) prints;
   * a value that rounds to zero has no minus sign. */
  function fixed(x, d) {
    var q = roundScaled(x, d);
    var s = q.toString();
    if (d > 0) {
      s = s.padStart(d + 1, '0');
      s = s.slice(0, s.length - d) + '.' + s.slice(s.length - d);
    }
    return (x < 0 && q !== 0n ? '-' : '') + s;
  }

  /** `n` significant digits in fixed notation (lemma's `sig=n`). */
  function sig(x, n) {
    if (x === 0) return fixed(0, n - 1);
    var e = magnitude(x);
    if (roundScaled(x, n - 1 - e) === pow10(n)) e += 1;
    return fixed(x, Math.max(n - 1 - e, 0));
  }

  /** `n` significant digits in scientific notation, as Rust's `{:.(n-1)e}`
   * (lemma's `sci=n`): `4.5e-5`. */
  function sci(x, n) {
    if (x === 0) return fixed(0, n - 1) + 'e0';
    var e = magnitude(x);
    var q = roundScaled(x, n - 1 - e);
    if (q === pow10(n)) {
      e += 1;
      q = roundScaled(x, n - 1 - e);
    }
    var digits = q.toString();
    var mant = n > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    return (x < 0 ? '-' : '') + mant + 'e' + e;
  }

  /** A minus sign as a reader sees it (U+2212), for the hyphen. */
  function minus(text) {
    return text.replace(/-/g, '\u2212');
  }

  // The formats of the widget's readouts (preprocessor/src/widget.rs): a
  // probability that is not zero but would read 0.000 gets 2 significant
  // digits in scientific form (widget::p_text).
  var format = {
    p: function (x) {
      var f = fixed(x, 3);
      return x === 0 || f !== '0.000' ? f : minus(sci(x, 2));
    },
    loss: function (x) { return fixed(x, 3); },
    logit: function (x) { return minus(fixed(x, 2)); },
    t: function (x) { return sig(x, 3); },
  };

  // ---------------------------------------------------------------------
  // The numeric core, as preprocessor/src/numeric computes it.

  function diffs(z, t) {
    var m = -Infinity;
    for (var i = 0; i < z.length; i++) m = Math.max(m, z[i]);
    return z.map(function (v) { return (v - m) / t; });
  }

  function sum(xs) {
    var s = 0;
    for (var i = 0; i < xs.length; i++) s += xs[i];
    return s;
  }

  function softmax(z, t) {
    var e = diffs(z, t).map(Math.exp);
    var s = sum(e);
    return e.map(function (v) { return v / s; });
  }

  /** -log p_y = L - d_y with L = log(sum exp(d)) = log1p(S), S the sum
   * over every class but the (first) largest, whose term is exp(0) = 1:
   * log1p keeps a tiny loss (p_y near 1) to full relative precision,
   * where log(1 + S) would round it away. */
  function crossEntropy(z, y, t) {
    var d = diffs(z, t);
    var top = d.indexOf(0);
    var s = 0;
    for (var i = 0; i < d.length; i++) if (i !== top) s += Math.exp(d[i]);
    return Math.log1p(s) - d[y];
  }

  /** Everything a widget shows for a state. */
  function shown(z, t, y, labels) {
    var p = softmax(z, t);
    var loss = crossEntropy(z, y, t);
    var max = Math.max.apply(null, p);
    var top = [];
    for (var i = 0; i < p.length; i++) if (p[i] === max) top.push(i);
    var pText = p.map(format.p);
    var lossText = format.loss(loss);
    var tText = format.t(t);
    var names = top.map(function (i) { return labels[i]; }).join(', ');
    var status = 'T = ' + tText + '; top: ' + names + (top.length > 1 ? ' (tied)' : '') +
      ', p = ' + pText[top[0]] + '; loss for ' + labels[y] + ' = ' + lossText + ' nats';
    return {
      p: p, loss: loss, top: top, p_text: pText, z_text: z.map(format.logit),
      loss_text: lossText, t_text: tText, status: status,
    };
  }

  /** The temperature a slider position means: its stop. */
  function temperatureOf(stops, v) {
    return stops[Math.max(0, Math.min(stops.length - 1, Math.round(Number(v))))];
  }

  /** The slider position of a temperature (the nearest stop). */
  function sliderOf(stops, t) {
    var best = 0;
    for (var i = 0; i < stops.length; i++) {
      if (Math.abs(Math.log(stops[i] / t)) < Math.abs(Math.log(stops[best] / t))) best = i;
    }
    return String(best);
  }

  var TOP_MARK = '\u2605 top';

  // ---------------------------------------------------------------------
  // Widgets.

  function initWidget(root) {
    if (root.dataset.lemmaLive) return;
    var z0 = JSON.parse(root.dataset.lemmaZ0);
    var t0 = Number(root.dataset.lemmaT0);
    var y0 = Number(root.dataset.lemmaY0);
    var labels = JSON.parse(root.dataset.lemmaLabels);
    var all = function (sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); };
    var one = function (sel) { return root.querySelector(sel); };
    var logits = all('[data-lemma-logit]');
    var temp = one('[data-lemma-temperature]');
    var stops = JSON.parse(temp.dataset.lemmaTStops);
    var trueClass = one('[data-lemma-true-class]');
    var reset = one('[data-lemma-reset]');
    var rows = all('[data-lemma-row]');
    var state = { z: z0.slice(), t: t0, y: y0 };

    function render(announce) {
      var s = shown(state.z, state.t, state.y, labels);
      rows.forEach(function (row, i) {
        var isTop = s.top.indexOf(i) >= 0;
        if (isTop) row.setAttribute('data-lemma-top', ''); else row.removeAttribute('data-lemma-top');
        row.querySelector('.lw-top').textContent = isTop ? TOP_MARK : '';
        row.querySelector('.lw-fill').style.width = (s.p[i] * 100).toFixed(2) + '%';
        row.querySelector('[data-lemma-p]').textContent = s.p_text[i];
        row.querySelector('[data-lemma-z]').textContent = s.z_text[i];
      });
      all('[data-lemma-table-p]').forEach(function (c, i) { c.textContent = s.p_text[i]; });
      all('[data-lemma-table-z]').forEach(function (c, i) { c.textContent = s.z_text[i]; });
      all('[data-lemma-table-top]').forEach(function (c, i) { c.textContent = s.top.indexOf(i) >= 0 ? 'yes' : 'no'; });
      one('[data-lemma-table-t]').textContent = s.t_text;
      one('[data-lemma-t-out]').textContent = s.t_text;
      one('[data-lemma-loss]').textContent = s.loss_text;
      one('[data-lemma-y-name]').textContent = labels[state.y];
      temp.setAttribute('aria-valuetext', 'T = ' + s.t_text);
      root.dataset.lemmaT = String(state.t);
      root.dataset.lemmaY = String(state.y);
      // The one live region is updated when a change is complete (a key
      // press, the end of a drag), not on every step of a drag.
      if (announce) one('[data-lemma-status]').textContent = s.status;
    }

    logits.forEach(function (input) {
      var i = Number(input.dataset.lemmaLogit);
      var update = function (announce) {
        var v = Number(input.value);
        if (Number.isFinite(v)) {
          state.z[i] = v;
          render(announce);
        }
      };
      input.addEventListener('input', function () { update(false); });
      input.addEventListener('change', function () { update(true); });
    });
    var updateT = function (announce) {
      var t = temperatureOf(stops, temp.value);
      if (Number.isFinite(t) && t > 0) {
        state.t = t;
        render(announce);
      }
    };
    temp.addEventListener('input', function () { updateT(false); });
    temp.addEventListener('change', function () { updateT(true); });
    trueClass.addEventListener('change', function () {
      state.y = Number(trueClass.value);
      render(true);
    });
    reset.addEventListener('click', function () {
      state = { z: z0.slice(), t: t0, y: y0 };
      logits.forEach(function (input, i) { input.value = String(z0[i]); });
      temp.value = sliderOf(stops, t0);
      trueClass.value = String(y0);
      render(true);
    });
    logits.concat([temp, trueClass, reset]).forEach(function (c) { c.disabled = false; });
    root.dataset.lemmaLive = '';
  }

  // ---------------------------------------------------------------------
  // Self-checking exercises: the rule of preprocessor/src/check.rs.

  /** A decimal literal: sign, all its digits, and the power of ten of the
   * last one (as `Dec::parse`). */
  function parseDec(text) {
    var neg = false;
    var rest = text;
    if (rest[0] === '-') { neg = true; rest = rest.slice(1); } else if (rest[0] === '+') rest = rest.slice(1);
    var exp = 0;
    var i = rest.search(/[eE]/);
    var mant = rest;
    if (i >= 0) {
      var es = rest.slice(i + 1);
      if (!/^[+-]?[0-9]+$/.test(es)) return null;
      exp = Number(es);
      if (exp > 2147483647 || exp < -2147483648) return null;
      mant = rest.slice(0, i);
    }
    var dot = mant.indexOf('.');
    var int = dot >= 0 ? mant.slice(0, dot) : mant;
    var frac = dot >= 0 ? mant.slice(dot + 1) : '';
    if (int === '' && frac === '') return null;
    if (!/^[0-9]*$/.test(int) || !/^[0-9]*$/.test(frac)) return null;
    return { neg: neg, digits: int + frac, decimals: frac.length, exp: exp };
  }

  /** A number typed by the reader (as `Stated::parse`): its value as
   * `±int × 10^q`, where `q`, the quantum, is the power of ten of the last
   * digit typed, and the words for that precision. */
  function parseStated(text) {
    var t = String(text).replace(/\u2212/g, '-').trim();
    var d;
    var q;
    var words;
    var plural = function (n, w) { return n + ' ' + w + (n === 1 ? '' : 's'); };
    if (t.endsWith('%')) {
      var num = t.slice(0, -1).trimEnd();
      if (/[eE]/.test(num)) return null;
      d = parseDec(num);
      if (!d) return null;
      q = -d.decimals - 2;
      words = plural(d.decimals, 'decimal') + ' of a percent';
    } else {
      d = parseDec(t);
      if (!d) return null;
      if (/[eE]/.test(t)) {
        q = d.exp - d.decimals;
        words = plural(d.decimals + 1, 'significant digit');
      } else {
        q = -d.decimals;
        words = plural(d.decimals, 'decimal');
      }
    }
    var int = BigInt(d.digits);
    return { text: t, shown: t.replace(/^-/, '\u2212'), n: d.neg ? -int : int, q: q, words: words };
  }

  /** Sign of (n × 10^k) − x, exactly. */
  function cmpDecF64(n, k, x) {
    var d = decompose(x);
    var l = n;
    var r = x < 0 ? -d.m : d.m;
    if (d.e >= 0) r <<= BigInt(d.e); else l <<= BigInt(-d.e);
    if (k >= 0) l *= pow10(k); else r *= pow10(-k);
    return l < r ? -1 : l > r ? 1 : 0;
  }

  function nextUp(x) {
    if (x === 0) return Number.MIN_VALUE;
    view.setFloat64(0, x);
    var b = view.getBigUint64(0);
    view.setBigUint64(0, x > 0 ? b + 1n : b - 1n);
    return view.getFloat64(0);
  }

  function nextDown(x) {
    return -nextUp(-x);
  }

  /** Judges the reader's `typed` text against the `answer` (a number), as
   * preprocessor/src/exercise.rs `self_check` does, by the rule of `check`:
   * without a `tolerance`, the typed number holds when the answer, rounded
   * to the digits typed, equals it (a whole number states an exact value);
   * with one (text, absolute), when it lies within it. `digits` (optional)
   * is the least number of decimals accepted. Returns { verdict: 'correct'
   * | 'incorrect' | 'imprecise' | 'invalid', direction: 'high' | 'low' |
   * 'none', message }. tests/data/selfcheck.json holds both to one table. */
  function judge(answer, typed, tolerance, digits) {
    var s = parseStated(typed);
    if (!s) {
      return { verdict: 'invalid', direction: 'none', message: 'Type a number, such as 0.629, 62.9% or 6.29e\u22121.' };
    }
    if (!Number.isFinite(answer)) {
      return { verdict: 'invalid', direction: 'none', message: 'This exercise has no answer to check against.' };
    }
    var tol = tolerance === undefined || tolerance === null || tolerance === '' ? null : parseStated(tolerance);
    var least = digits === undefined || digits === null || digits === '' ? null : Number(digits);
    if (!tol && least !== null && s.q > -least) {
      var n = ['no', 'one', 'two', 'three', 'four', 'five', 'six'][least] || String(least);
      return {
        verdict: 'imprecise', direction: 'none',
        message: 'Give at least ' + n + ' decimal' + (least === 1 ? '' : 's') + ' (you gave ' + s.words + ').',
      };
    }
    var holds;
    var whole = !tol && /^[-+]?\d+$/.test(s.text);
    if (whole) {
      // A whole number states an exact value, up to floating-point
      // rounding (the core's WHOLE_SLACK).
      var w = Number(s.n);
      holds = Math.abs(answer - w) <= 1e-12 * Math.max(1, Math.abs(w));
    } else if (!tol) {
      var r = roundScaled(answer, -s.q);
      if (answer < 0) r = -r;
      holds = r === s.n;
    } else {
      var k = Math.min(s.q, tol.q);
      var sv = s.n * pow10(s.q - k);
      var tv = tol.n * pow10(tol.q - k);
      // The closed interval must meet [answer - 1 ulp, answer + 1 ulp], as
      // in the core (so that ± 0 means the nearest double).
      holds = cmpDecF64(sv - tv, k, nextUp(answer)) <= 0 && cmpDecF64(sv + tv, k, nextDown(answer)) >= 0;
    }
    // Wrong: on which side of the answer itself the typed number lies.
    var direction = holds ? 'none' : cmpDecF64(s.n, s.q, answer) > 0 ? 'high' : 'low';
    var message;
    if (holds) {
      message = tol ? '\u2713 Correct: within \u00b1' + tol.text + ' of the answer.'
        : whole ? '\u2713 Correct: exactly ' + s.shown + '.'
        : '\u2713 Correct to ' + s.words + '.';
    } else {
      var how = direction === 'high' ? 'too high' : 'too low';
      message = tol ? '\u2717 Not quite: ' + s.shown + ' is ' + how + ' (allowed: \u00b1' + tol.text + ' of the answer). Try again.'
        : whole ? '\u2717 Not quite: ' + s.shown + ' is ' + how + ' (a whole number claims the exact value; give decimals). Try again.'
        : '\u2717 Not quite: at ' + s.words + ', ' + s.shown + ' is ' + how + '. Try again.';
    }
    return { verdict: holds ? 'correct' : 'incorrect', direction: direction, message: message };
  }

  function initSelfCheck(form) {
    if (form.dataset.lemmaLive) return;
    var input = form.querySelector('[data-lemma-input]');
    var output = form.querySelector('[data-lemma-verdict]');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var answer = Number(form.dataset.lemmaAnswer);
      var result = judge(answer, input ? input.value : '', form.dataset.lemmaTolerance, form.dataset.lemmaDigits);
      if (output) {
        output.textContent = result.message;
        output.setAttribute('data-lemma-verdict', result.verdict);
      }
      if (input) input.setAttribute('aria-invalid', result.verdict === 'incorrect' || result.verdict === 'invalid' ? 'true' : 'false');
    });
    form.dataset.lemmaLive = '';
  }

  // ---------------------------------------------------------------------
  // Boxes that scroll sideways (code, tables, formulas): on a phone the page
  // itself must not pan, so wide content scrolls inside its box. A box that
  // does is marked `data-lemma-scroll` ("end": more to the right, "start":
  // more to the left, "both") for the CSS cue, and is made focusable so the
  // keyboard can scroll it.

  var SCROLLERS = 'main pre > code, main .lemma-table, main .lemma-math, main .table-wrapper';

  function markScroller(el) {
    var over = el.scrollWidth - el.clientWidth > 1;
    if (!over) {
      el.removeAttribute('data-lemma-scroll');
      if (el.dataset.lemmaScrollFocus) {
        el.removeAttribute('tabindex');
        delete el.dataset.lemmaScrollFocus;
      }
      return;
    }
    var left = el.scrollLeft > 1;
    var right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
    el.setAttribute('data-lemma-scroll', left && right ? 'both' : left ? 'start' : right ? 'end' : 'none');
    if (!el.hasAttribute('tabindex')) {
      el.setAttribute('tabindex', '0');
      el.dataset.lemmaScrollFocus = '';
    }
  }

  function initScrollers() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(SCROLLERS));
    var all = function () { boxes.forEach(markScroller); };
    boxes.forEach(function (el) {
      el.addEventListener('scroll', function () { markScroller(el); }, { passive: true });
    });
    if (typeof ResizeObserver === 'function') {
      var ro = new ResizeObserver(function (entries) {
        entries.forEach(function (e) { markScroller(e.target); });
      });
      boxes.forEach(function (el) { ro.observe(el); });
    } else {
      window.addEventListener('resize', all);
    }
    all();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-lemma-widget="softmax"]'), initWidget);
    Array.prototype.forEach.call(document.querySelectorAll('form.lemma-selfcheck'), initSelfCheck);
    initScrollers();
  }

  window.lemmaWidget = {
    roundScaled: roundScaled,
    magnitude: magnitude,
    fixed: fixed,
    sig: sig,
    sci: sci,
    format: format,
    softmax: softmax,
    crossEntropy: crossEntropy,
    shown: shown,
    temperatureOf: temperatureOf,
    sliderOf: sliderOf,
    parseStated: parseStated,
    judge: judge,
    init: init,
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
