/* Calibration widgets (mdbook-lemma's `widget calibration(...)`): a
 * reliability diagram of a matrix of logits, redrawn as the temperature
 * moves, with the accuracy, mean confidence, NLL and ECE beside it.
 *
 * The page already holds the picture at the widget's own temperature,
 * computed by the numeric core when the book was built; this script makes
 * the slider and the buttons live (they are rendered `disabled`). It
 * computes as preprocessor/src/numeric/calibration.rs does, in plain double
 * precision, and prints with the rounding of lemma-widget.js (which must be
 * loaded first: it provides `window.lemmaWidget`). The browser tests hold it
 * to the core on golden points. The HTML hooks are documented in
 * preprocessor/src/widget/calibration.rs. */
(function () {
  'use strict';

  /** Everything the widget shows at temperature t: z is the matrix of
   * logits (an array of rows), y the labels, bins the number of equal-width
   * confidence bins, a confidence on a boundary m/bins going to the lower
   * bin. */
  function calibration(z, y, t, bins) {
    var n = z.length;
    var count = [], hits = [], confSum = [];
    for (var m = 0; m < bins; m++) { count.push(0); hits.push(0); confSum.push(0); }
    var right = 0, conf = 0, nll = 0;
    for (var i = 0; i < n; i++) {
      var row = z[i];
      var top = 0;
      for (var j = 1; j < row.length; j++) if (row[j] > row[top]) top = j;
      // With d_j = (z_j - z_top) / t, the top class's term is exp(0) = 1:
      // p_top = 1 / (1 + S) and -ln p_y = log1p(S) - d_y, S the sum of the
      // other terms.
      var s = 0;
      for (j = 0; j < row.length; j++) if (j !== top) s += Math.exp((row[j] - row[top]) / t);
      var p = 1 / (1 + s);
      nll += Math.log1p(s) - (row[y[i]] - row[top]) / t;
      var ok = top === y[i] ? 1 : 0;
      var b = Math.min(bins - 1, Math.max(0, Math.ceil(p * bins) - 1));
      count[b] += 1;
      hits[b] += ok;
      confSum[b] += p;
      right += ok;
      conf += p;
    }
    var ece = 0, mce = 0, accuracy = [], meanConf = [];
    for (m = 0; m < bins; m++) {
      if (count[m] === 0) { accuracy.push(null); meanConf.push(null); continue; }
      var a = hits[m] / count[m];
      var gap = Math.abs(a - confSum[m] / count[m]);
      accuracy.push(a);
      meanConf.push(confSum[m] / count[m]);
      ece += (count[m] / n) * gap;
      mce = Math.max(mce, gap);
    }
    return {
      accuracy: right / n, confidence: conf / n, nll: nll / n, ece: ece, mce: mce,
      binAccuracy: accuracy, binConfidence: meanConf, binCount: count,
    };
  }

  /** The readouts as printed (preprocessor/src/widget/calibration.rs). */
  function texts(s, t) {
    var f = window.lemmaWidget;
    return {
      t: f.format.t(t),
      accuracy: f.fixed(s.accuracy, 3),
      confidence: f.fixed(s.confidence, 3),
      nll: f.format.loss(s.nll),
      ece: f.fixed(s.ece, 4),
    };
  }

  /** The live summary line. */
  function status(x) {
    return 'T = ' + x.t + '; accuracy ' + x.accuracy + ', mean confidence ' + x.confidence +
      ', NLL ' + x.nll + ' nats, ECE ' + x.ece;
  }

  function initCalibration(root) {
    if (root.dataset.lemmaLive) return;
    var z = JSON.parse(root.dataset.lemmaLogits);
    var y = JSON.parse(root.dataset.lemmaLabels);
    var bins = Number(root.dataset.lemmaBins);
    var t0 = Number(root.dataset.lemmaT0);
    var fitted = root.dataset.lemmaFitted ? Number(root.dataset.lemmaFitted) : null;
    var one = function (sel) { return root.querySelector(sel); };
    var svg = one('svg[data-lemma-y0]');
    var yZero = Number(svg.dataset.lemmaY0), yOne = Number(svg.dataset.lemmaY1);
    var bars = Array.prototype.slice.call(root.querySelectorAll('[data-lemma-bin]'));
    var gaps = Array.prototype.slice.call(root.querySelectorAll('[data-lemma-gap]'));
    var tableRows = Array.prototype.slice.call(root.querySelectorAll('[data-lemma-bin-row]'));
    var f = window.lemmaWidget;
    var yOf = function (v) { return yZero - v * (yZero - yOne); };
    var slider = one('[data-lemma-cal-temperature]');
    var fit = one('[data-lemma-cal-fitted]');
    var reset = one('[data-lemma-reset]');
    var state = { t: t0 };

    function render(announce) {
      var s = calibration(z, y, state.t, bins);
      var x = texts(s, state.t);
      bars.forEach(function (bar, m) {
        var a = s.binAccuracy[m];
        var top = a === null ? yZero : yOf(a);
        bar.setAttribute('y', top.toFixed(2));
        bar.setAttribute('height', (yZero - top).toFixed(2));
        bar.setAttribute('data-lemma-count', String(s.binCount[m]));
      });
      tableRows.forEach(function (tr, m) {
        var a = s.binAccuracy[m], c = s.binConfidence[m];
        tr.querySelector('[data-lemma-bin-count]').textContent = String(s.binCount[m]);
        tr.querySelector('[data-lemma-bin-confidence]').textContent = c === null ? 'none' : f.fixed(c, 3);
        tr.querySelector('[data-lemma-bin-accuracy]').textContent = a === null ? 'none' : f.fixed(a, 3);
      });
      gaps.forEach(function (rect, m) {
        var a = s.binAccuracy[m], c = s.binConfidence[m];
        var top = a === null ? yZero : yOf(Math.max(a, c));
        var bottom = a === null ? yZero : yOf(Math.min(a, c));
        rect.setAttribute('y', top.toFixed(2));
        rect.setAttribute('height', (bottom - top).toFixed(2));
      });
      one('[data-lemma-cal-t]').textContent = x.t;
      one('[data-lemma-cal-accuracy]').textContent = x.accuracy;
      one('[data-lemma-cal-confidence]').textContent = x.confidence;
      one('[data-lemma-cal-nll]').textContent = x.nll;
      one('[data-lemma-cal-ece]').textContent = x.ece;
      slider.setAttribute('aria-valuetext', 'T = ' + x.t);
      root.dataset.lemmaT = String(state.t);
      root.dataset.lemmaAccuracy = String(s.accuracy);
      root.dataset.lemmaConfidence = String(s.confidence);
      root.dataset.lemmaNll = String(s.nll);
      root.dataset.lemmaEce = String(s.ece);
      if (announce) one('[data-lemma-status]').textContent = status(x);
    }

    /** The slider's value is log2 of the temperature. */
    var setT = function (t, announce) {
      if (!(Number.isFinite(t) && t > 0)) return;
      state.t = t;
      slider.value = String(Math.log2(t));
      render(announce);
    };
    var fromSlider = function (announce) {
      var t = Math.pow(2, Number(slider.value));
      if (Number.isFinite(t) && t > 0) {
        state.t = t;
        render(announce);
      }
    };
    slider.addEventListener('input', function () { fromSlider(false); });
    slider.addEventListener('change', function () { fromSlider(true); });
    reset.addEventListener('click', function () { setT(t0, true); });
    var controls = [slider, reset];
    if (fit && fitted !== null) {
      fit.addEventListener('click', function () { setT(fitted, true); });
      controls.push(fit);
    }
    controls.forEach(function (c) { c.disabled = false; });
    root.dataset.lemmaLive = '';
  }

  function init() {
    if (!window.lemmaWidget) return;
    Array.prototype.forEach.call(document.querySelectorAll('[data-lemma-widget="calibration"]'), initCalibration);
  }

  window.lemmaCalibration = { calibration: calibration, texts: texts, status: status, init: init };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
