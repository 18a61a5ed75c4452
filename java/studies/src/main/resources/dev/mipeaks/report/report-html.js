// report.html: draws the selected problem from the JSON blocks above (no library, nothing fetched).
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const RUN = JSON.parse($('run-data').textContent);
  const BLOCKS = document.querySelectorAll('script.problem-data');
  const LAYERS = RUN.embedded_layers;
  const RULE_LABEL = { iqr: 'IQR (MI > Q3 + 1.5 IQR)', topk: 'top-' + RUN.top_k };
  const posOfIndex = new Map(RUN.problems.map((p, i) => [p.index, i]));
  const state = {
    pos: 0, layer: RUN.default_layer, rule: RUN.rules.includes('iqr') ? 'iqr' : RUN.rules[0],
    scale: 'linear', step: null, zoom: null, others: false,
  };
  const cache = new Map();
  let cur = null;

  // ---------- small helpers ----------
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') el.className = v; else if (k === 'text') el.textContent = v; else el.setAttribute(k, v);
    }
    for (const k of kids) el.append(k);
    return el;
  }
  function s(tag, attrs) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
    return el;
  }
  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return 'n/a';
    const a = Math.abs(v);
    if (a === 0) return '0';
    return a >= 1e-3 && a < 1e5 ? Number(v.toPrecision(4)).toString() : v.toExponential(3);
  }
  function niceTicks(lo, hi, n) {
    if (!(hi > lo)) return [lo];
    const raw = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((x) => x >= raw) || 10 * mag;
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return out;
  }
  // little-endian float32 from base64
  function f32(b64) {
    const bin = atob(b64);
    const dv = new DataView(new ArrayBuffer(bin.length));
    for (let i = 0; i < bin.length; i++) dv.setUint8(i, bin.charCodeAt(i));
    const out = new Float64Array(bin.length / 4);
    for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(i * 4, true);
    return out;
  }

  // ---------- colours ----------
  const STOPS = [[255, 255, 255], [255, 237, 160], [254, 178, 76], [240, 59, 32], [128, 0, 38]];
  function ramp(t) {
    t = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
    const i = Math.min(STOPS.length - 2, Math.floor(t)), f = t - i, a = STOPS[i], b = STOPS[i + 1];
    return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f));
  }
  const rgb = (c) => 'rgb(' + c[0] + ',' + c[1] + ',' + c[2] + ')';
  // position in [0, 1] of each step's value under the chosen scale
  function scaled(m) {
    const out = new Float64Array(m.length);
    if (m.length === 0) return out;
    if (state.scale === 'rank') {
      const idx = Array.from(m.keys()).sort((a, b) => m[a] - m[b]);
      idx.forEach((step, r) => { out[step] = m.length === 1 ? 1 : r / (m.length - 1); });
      return out;
    }
    let lo = Infinity, hi = -Infinity;
    for (const v of m) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    for (let i = 0; i < m.length; i++) out[i] = hi > lo ? (m[i] - lo) / (hi - lo) : 0;
    return out;
  }
  function minMax(m) {
    let lo = Infinity, hi = -Infinity;
    for (const v of m) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    return [lo, hi];
  }

  // ---------- data ----------
  function problem(pos) {
    if (cache.has(pos)) return cache.get(pos);
    const d = JSON.parse(BLOCKS[pos].textContent);
    d.values = {};
    d.peakSets = {};
    d.range = {};
    for (const l of LAYERS) {
      d.values[l] = f32(d.mi[String(l)]);
      d.range[l] = minMax(d.values[l]);
      d.peakSets[l] = {};
      for (const r of RUN.rules) d.peakSets[l][r] = new Set(d.peaks[String(l)][r]);
    }
    delete d.mi;
    if (cache.size >= 4) cache.delete(cache.keys().next().value);
    cache.set(pos, d);
    return d;
  }

  // ---------- token text: HTML-safe (textContent only), control characters visible ----------
  const ESC = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\v': '\\v', '\b': '\\b', '\0': '\\0' };
  function escapeOf(ch) {
    if (ESC[ch]) return ESC[ch];
    const c = ch.codePointAt(0);
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) || c === 0x200b || c === 0x2028 || c === 0x2029
        || c === 0xfeff || c === 0xad) {
      return '\\u' + c.toString(16).padStart(4, '0');
    }
    return null;
  }
  function appendTokenText(el, text) {
    if (text.length === 0) {
      el.classList.add('empty');
      el.textContent = '(empty)';
      return;
    }
    let plain = '';
    for (const ch of text) {
      const e = escapeOf(ch);
      if (e === null) { plain += ch; continue; }
      if (plain) { el.append(plain); plain = ''; }
      el.append(h('span', { class: 'ctl', text: e }));
    }
    if (plain) el.append(plain);
  }
  function shownToken(text) {
    if (text.length === 0) return '(empty)';
    let out = '';
    for (const ch of text) out += escapeOf(ch) ?? ch;
    return out;
  }

  // ---------- step details (tooltip and pinned panel) ----------
  function stepDetails(step) {
    const d = cur;
    const box = h('div', { 'data-step': step });
    box.append(h('div', { class: 'step-head' }, 'step ' + step + ' \u00b7 id ' + d.token_ids[step] + ' \u00b7 ',
      h('code', { text: shownToken(d.tokens[step]) })));
    const grid = h('div', { class: 'mi-grid' });
    for (const l of LAYERS) {
      const m = d.values[l], v = m[step], [lo, hi] = d.range[l];
      const peak = d.peakSets[l][state.rule].has(step);
      const row = h('div', { class: 'mi-row' + (l === state.layer ? ' current' : '') + (peak ? ' pk' : ''),
        'data-layer': l, title: 'layer ' + l + (peak ? ': ' + state.rule + ' peak' : '') });
      const bar = h('div', { class: 'mi-bar' });
      bar.style.width = (hi > lo ? Math.max(2, 100 * (v - lo) / (hi - lo)) : 2) + '%';
      row.append(h('span', { text: 'L' + l }), h('span', { class: 'mi-val', text: fmt(v) }),
        h('span', { class: 'pk-mark', text: peak ? '\u25cf' : '' }), bar);
      grid.append(row);
    }
    box.append(grid);
    return box;
  }
  const tip = $('tip');
  function showTip(step, x, y) {
    if (step === null || step < 0 || !cur || step >= cur.tokens.length) { tip.hidden = true; return; }
    tip.textContent = '';
    tip.append(stepDetails(step));
    tip.hidden = false;
    const r = tip.getBoundingClientRect();
    tip.style.left = Math.max(4, Math.min(window.innerWidth - r.width - 8, x + 14)) + 'px';
    tip.style.top = (y + 16 + r.height > window.innerHeight ? Math.max(4, y - r.height - 10) : y + 16) + 'px';
  }
  function hideTip() { tip.hidden = true; }
  function pin(step, scroll) {
    state.step = step;
    const det = $('detail');
    det.textContent = '';
    const old = document.querySelector('.tok.pinned');
    if (old) old.classList.remove('pinned');
    if (step === null || !cur || step >= cur.tokens.length) {
      state.step = null;
      det.append(h('span', { class: 'hint', text: 'click a token or a point to pin its MI per layer here' }));
    } else {
      det.append(stepDetails(step));
      const el = document.querySelector('.tok[data-step="' + step + '"]');
      if (el) {
        el.classList.add('pinned');
        if (scroll) el.scrollIntoView({ block: 'nearest' });
      }
    }
    drawTrajectory();
    drawHeatmap();
    writeHash();
  }

  // ---------- header, selectors ----------
  function header() {
    document.title = 'MI peaks: ' + RUN.name;
    $('title').textContent = 'MI peaks: ' + RUN.name;
    if (RUN.notice) { $('notice').textContent = RUN.notice; $('notice').hidden = false; }
    const t = $('run-info');
    const row = (k, v) => t.append(h('tr', {}, h('th', { text: k }), h('td', { text: v })));
    row('model', RUN.model);
    row('dataset', RUN.dataset || 'n/a');
    row('estimator', RUN.estimator);
    row('layers', RUN.layers.join(', ') + (LAYERS.length < RUN.layers.length
      ? '  (this page embeds layers ' + LAYERS.join(', ') + '; `mipeaks report --html-layers all` embeds every one)' : ''));
    row('problems', RUN.problems.length + ' analysed, ' + RUN.skipped + ' skipped');
    row('max new tokens', RUN.max_new_tokens < 0 ? 'n/a' : String(RUN.max_new_tokens));
    if (RUN.created) row('created', RUN.created);
  }
  function fillSelectors() {
    const ls = $('layer');
    for (const l of LAYERS) ls.append(h('option', { value: l, text: String(l) }));
    const rs = $('rule');
    for (const r of RUN.rules) rs.append(h('option', { value: r, text: RULE_LABEL[r] || r }));
    const ps = $('problem');
    RUN.problems.forEach((p, i) => ps.append(h('option', { value: i })));
    labelProblems();
  }
  function labelProblems() {
    const opts = $('problem').options;
    RUN.problems.forEach((p, i) => {
      opts[i].textContent = '#' + p.index + ' ' + p.id + ' \u2014 ' + p.steps + ' steps, '
        + p.peaks[String(state.layer)][state.rule] + ' peaks';
    });
  }
  function syncControls() {
    $('problem').value = String(state.pos);
    $('layer').value = String(state.layer);
    $('rule').value = state.rule;
    $('scale').value = state.scale;
    $('all-layers').checked = state.others;
  }

  // ---------- URL fragment ----------
  function readHash() {
    const q = new URLSearchParams(location.hash.replace(/^#/, ''));
    const idx = q.get('problem');
    if (idx !== null && posOfIndex.has(Number(idx))) state.pos = posOfIndex.get(Number(idx));
    const l = Number(q.get('layer'));
    if (q.get('layer') !== null && LAYERS.includes(l)) state.layer = l;
    if (RUN.rules.includes(q.get('rule'))) state.rule = q.get('rule');
    if (['linear', 'rank'].includes(q.get('scale'))) state.scale = q.get('scale');
    const st = q.get('step');
    state.step = st !== null && /^\d+$/.test(st) ? Number(st) : null;
  }
  function writeHash() {
    const q = 'problem=' + RUN.problems[state.pos].index + '&layer=' + state.layer + '&rule=' + state.rule
      + (state.scale !== 'linear' ? '&scale=' + state.scale : '') + (state.step !== null ? '&step=' + state.step : '');
    try { history.replaceState(null, '', '#' + q); } catch (e) { /* some file:// contexts refuse; the view still works */ }
  }

  // ---------- the selected problem ----------
  function showProblem() {
    if (RUN.problems.length === 0) return;
    cur = problem(state.pos);
    state.zoom = null;
    $('problem-title').textContent = 'Problem #' + cur.index + ': ' + cur.id;
    $('problem-body').textContent = cur.problem ?? '(no problem text in the run)';
    $('problem-answer').textContent = cur.answer ?? 'n/a';
    renderTokens();
    refresh();
    const step = state.step;
    pin(step !== null && step < cur.tokens.length ? step : null, true);
  }
  function refresh() {
    syncControls();
    stats();
    colourTokens();
    markPeaks();
    legend();
    drawTrajectory();
    drawHeatmap();
    drawLayerChart();
    writeHash();
  }
  function stats() {
    const m = cur.values[state.layer], [lo, hi] = cur.range[state.layer], key = String(state.layer);
    const parts = [cur.tokens.length + ' steps', 'stop: ' + (cur.stop_reason ?? 'n/a')];
    for (const r of RUN.rules) parts.push((RULE_LABEL[r] || r) + ' peaks at layer ' + state.layer + ': ' + cur.peaks[key][r].length);
    if (cur.fence[key] !== undefined) parts.push('Q3 + 1.5 IQR = ' + fmt(cur.fence[key]) + ', median ' + fmt(cur.median[key]));
    if (m.length) parts.push('MI ' + fmt(lo) + ' to ' + fmt(hi));
    $('problem-stats').textContent = parts.join(' \u00b7 ');
  }
  function renderTokens() {
    const box = $('tokens');
    box.textContent = '';
    const frag = document.createDocumentFragment();
    cur.tokens.forEach((text, t) => {
      const el = h('span', { class: 'tok', 'data-step': t });
      appendTokenText(el, text);
      frag.append(el);
      // the escaped newline stays visible; a real line break follows it so the response keeps its shape
      for (const ch of text) if (ch === '\n') frag.append(document.createElement('br'));
    });
    box.append(frag);
    if (cur.tokens.length === 0) box.append(h('span', { class: 'hint', text: '(no generated steps)' }));
  }
  function colourTokens() {
    const t = scaled(cur.values[state.layer]);
    const spans = $('tokens').querySelectorAll('.tok');
    spans.forEach((el, i) => {
      const c = ramp(t[i]);
      el.style.backgroundColor = rgb(c);
      el.classList.toggle('dark', 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] < 140);
    });
  }
  function markPeaks() {
    const set = cur.peakSets[state.layer][state.rule];
    $('tokens').querySelectorAll('.tok').forEach((el, i) => el.classList.toggle('peak', set.has(i)));
  }
  function legend() {
    const g = $('legend');
    g.textContent = '';
    const m = cur.values[state.layer], [lo, hi] = cur.range[state.layer];
    const bar = h('span', { class: 'bar' });
    bar.style.background = 'linear-gradient(to right,' + [0, 0.25, 0.5, 0.75, 1].map((t) => rgb(ramp(t))).join(',') + ')';
    const ends = state.scale === 'rank' ? ['lowest', 'highest'] : [fmt(lo), fmt(hi)];
    g.append('MI ' + ends[0], bar, ends[1], h('span', { class: 'tok peak sample', text: 'peak' }));
  }

  // ---------- trajectory (SVG) ----------
  const TR = { w: 900, h: 280, l: 62, r: 14, t: 10, b: 34 };
  function drawTrajectory() {
    const box = $('trajectory');
    box.textContent = '';
    if (!cur) return;
    const W = Math.max(480, box.clientWidth || 900), H = TR.h;
    const svg = s('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H });
    box.append(svg);
    const m = cur.values[state.layer], T = m.length;
    if (T === 0) {
      const t = s('text', { x: TR.l, y: H / 2, class: 'empty-note' });
      t.textContent = 'no generated steps';
      svg.append(t);
      return;
    }
    const [a, b] = state.zoom || [0, T - 1];
    const x0 = a, x1 = b > a ? b : a + 1;
    const shown = state.others ? LAYERS : [state.layer];
    let lo = Infinity, hi = -Infinity;
    for (const l of shown) for (let i = a; i <= b; i++) { lo = Math.min(lo, cur.values[l][i]); hi = Math.max(hi, cur.values[l][i]); }
    const fence = cur.fence[String(state.layer)];
    if (fence !== undefined && state.rule === 'iqr') { lo = Math.min(lo, fence); hi = Math.max(hi, fence); }
    if (!(hi > lo)) { hi = lo + (Math.abs(lo) || 1) * 0.01; lo -= (Math.abs(lo) || 1) * 0.01; }
    const pad = (hi - lo) * 0.05;
    lo -= pad; hi += pad;
    const X = (i) => TR.l + (i - x0) / (x1 - x0) * (W - TR.l - TR.r);
    const Y = (v) => H - TR.b - (v - lo) / (hi - lo) * (H - TR.t - TR.b);
    const axis = s('g', { class: 'axis' });
    for (const v of niceTicks(lo, hi, 5)) {
      axis.append(s('line', { x1: TR.l, x2: W - TR.r, y1: Y(v), y2: Y(v), class: 'grid' }));
      const t = s('text', { x: TR.l - 6, y: Y(v) + 4, 'text-anchor': 'end' });
      t.textContent = fmt(v);
      axis.append(t);
    }
    for (const v of niceTicks(x0, x1, 10)) {
      if (v !== Math.round(v)) continue;
      axis.append(s('line', { x1: X(v), x2: X(v), y1: H - TR.b, y2: H - TR.b + 4 }));
      const t = s('text', { x: X(v), y: H - TR.b + 16, 'text-anchor': 'middle' });
      t.textContent = String(v);
      axis.append(t);
    }
    axis.append(s('line', { x1: TR.l, x2: W - TR.r, y1: H - TR.b, y2: H - TR.b }));
    axis.append(s('line', { x1: TR.l, x2: TR.l, y1: TR.t, y2: H - TR.b }));
    const xl = s('text', { x: (W + TR.l) / 2, y: H - 4, 'text-anchor': 'middle' });
    xl.textContent = 'step';
    const yl = s('text', { x: 12, y: (H - TR.b) / 2, transform: 'rotate(-90 12 ' + (H - TR.b) / 2 + ')', 'text-anchor': 'middle' });
    yl.textContent = 'MI, layer ' + state.layer;
    axis.append(xl, yl);
    svg.append(axis);
    const line = (l, cls) => {
      const v = cur.values[l];
      let pts = '';
      for (let i = a; i <= b; i++) pts += X(i).toFixed(1) + ',' + Y(v[i]).toFixed(1) + ' ';
      svg.append(s('polyline', { points: pts, class: cls, 'data-layer': l }));
    };
    if (state.others) for (const l of LAYERS) if (l !== state.layer) line(l, 'other-line');
    line(state.layer, 'mi-line');
    const med = cur.median[String(state.layer)];
    if (med !== undefined) svg.append(s('line', { x1: TR.l, x2: W - TR.r, y1: Y(med), y2: Y(med), class: 'median' }));
    if (fence !== undefined && state.rule === 'iqr') {
      svg.append(s('line', { x1: TR.l, x2: W - TR.r, y1: Y(fence), y2: Y(fence), class: 'fence' }));
    }
    for (const p of cur.peaks[String(state.layer)][state.rule]) {
      if (p < a || p > b) continue;
      svg.append(s('circle', { cx: X(p), cy: Y(m[p]), r: state.rule === 'topk' ? 4.5 : 3.5,
        class: 'peak-dot ' + state.rule, 'data-step': p }));
    }
    if (state.step !== null && state.step >= a && state.step <= b) {
      svg.append(s('line', { x1: X(state.step), x2: X(state.step), y1: TR.t, y2: H - TR.b, class: 'pinned' }));
    }
    const cursor = s('line', { y1: TR.t, y2: H - TR.b, class: 'cursor', visibility: 'hidden' });
    const brush = s('rect', { y: TR.t, height: H - TR.t - TR.b, class: 'brush', visibility: 'hidden' });
    const hit = s('rect', { x: TR.l, y: TR.t, width: W - TR.l - TR.r, height: H - TR.t - TR.b, fill: 'transparent' });
    svg.append(cursor, brush, hit);
    const stepAt = (ev) => {
      const r = svg.getBoundingClientRect();
      const i = Math.round(x0 + (ev.clientX - r.left - TR.l) / (W - TR.l - TR.r) * (x1 - x0));
      return Math.max(a, Math.min(b, i));
    };
    let down = null;
    hit.addEventListener('mousemove', (ev) => {
      const i = stepAt(ev);
      cursor.setAttribute('x1', X(i));
      cursor.setAttribute('x2', X(i));
      cursor.setAttribute('visibility', 'visible');
      if (down !== null) {
        brush.setAttribute('x', Math.min(X(down), X(i)));
        brush.setAttribute('width', Math.abs(X(i) - X(down)));
        brush.setAttribute('visibility', 'visible');
      }
      showTip(i, ev.clientX, ev.clientY);
    });
    hit.addEventListener('mouseleave', () => { cursor.setAttribute('visibility', 'hidden'); hideTip(); });
    hit.addEventListener('mousedown', (ev) => { down = stepAt(ev); ev.preventDefault(); });
    hit.addEventListener('mouseup', (ev) => {
      const i = stepAt(ev), d0 = down;
      down = null;
      if (d0 === null) return;
      if (Math.abs(i - d0) >= 2) { state.zoom = [Math.min(i, d0), Math.max(i, d0)]; drawTrajectory(); } else pin(i, true);
    });
    hit.addEventListener('dblclick', () => { state.zoom = null; drawTrajectory(); });
  }

  // ---------- layers x steps heat map (canvas) ----------
  function drawHeatmap() {
    const box = $('heatmap');
    box.textContent = '';
    if (!cur || cur.tokens.length === 0) return;
    const T = cur.tokens.length, W = Math.max(480, box.clientWidth || 900), left = 44;
    const rowH = Math.max(4, Math.min(16, Math.floor(260 / LAYERS.length))), H = rowH * LAYERS.length + 4;
    const cv = h('canvas', { width: W, height: H });
    box.append(cv);
    const g = cv.getContext('2d');
    const cols = Math.min(T, W - left - 8), cw = (W - left - 8) / cols;
    LAYERS.forEach((l, r) => {
      const m = cur.values[l], [lo, hi] = cur.range[l];
      for (let c = 0; c < cols; c++) {
        // a column covers several steps when T exceeds the pixels: it shows their maximum, so peaks stay visible
        const s0 = Math.floor(c * T / cols), s1 = Math.max(s0 + 1, Math.floor((c + 1) * T / cols));
        let v = -Infinity;
        for (let i = s0; i < s1; i++) v = Math.max(v, m[i]);
        g.fillStyle = rgb(ramp(hi > lo ? (v - lo) / (hi - lo) : 0));
        g.fillRect(left + c * cw, 2 + r * rowH, Math.ceil(cw), rowH);
      }
      g.fillStyle = l === state.layer ? '#d7301f' : '#6b7280';
      g.font = (l === state.layer ? 'bold ' : '') + Math.min(11, rowH + 2) + 'px sans-serif';
      if (rowH >= 8 || l === state.layer) g.fillText('L' + l, 4, 2 + r * rowH + rowH - 2);
    });
    const cr = LAYERS.indexOf(state.layer);
    g.strokeStyle = '#1f5fbf';
    g.lineWidth = 1.5;
    g.strokeRect(left, 2 + cr * rowH, W - left - 8, rowH);
    if (state.step !== null && state.step < T) {
      g.strokeStyle = '#7b2cbf';
      const x = left + (state.step + 0.5) / T * (W - left - 8);
      g.beginPath(); g.moveTo(x, 0); g.lineTo(x, H); g.stroke();
    }
    const at = (ev) => {
      const r = cv.getBoundingClientRect();
      const step = Math.floor((ev.clientX - r.left - left) / (W - left - 8) * T);
      const row = Math.floor((ev.clientY - r.top - 2) / rowH);
      return [Math.max(0, Math.min(T - 1, step)), Math.max(0, Math.min(LAYERS.length - 1, row))];
    };
    cv.addEventListener('mousemove', (ev) => { const [st] = at(ev); showTip(st, ev.clientX, ev.clientY); });
    cv.addEventListener('mouseleave', hideTip);
    cv.addEventListener('click', (ev) => {
      const [st, row] = at(ev);
      if (LAYERS[row] !== state.layer) { state.layer = LAYERS[row]; labelProblems(); refresh(); }
      pin(st, true);
    });
  }

  // ---------- the run: MI per layer ----------
  function drawLayerChart() {
    const box = $('layer-chart');
    box.textContent = '';
    const per = RUN.per_layer.filter((p) => p.mean !== null);
    const W = Math.max(480, Math.min(900, box.clientWidth || 900)), H = 220, L = 62, R = 14, Tp = 10, B = 34;
    const svg = s('svg', { width: W, height: H });
    box.append(svg);
    if (per.length === 0) return;
    let lo = Infinity, hi = -Infinity;
    for (const p of per) { lo = Math.min(lo, p.mean - (p.std || 0)); hi = Math.max(hi, p.mean + (p.std || 0)); }
    if (!(hi > lo)) { hi = lo + 1; }
    const n = RUN.per_layer.length;
    const X = (i) => L + (n === 1 ? 0.5 : i / (n - 1)) * (W - L - R);
    const Y = (v) => H - B - (v - lo) / (hi - lo) * (H - Tp - B);
    for (const v of niceTicks(lo, hi, 4)) {
      svg.append(s('line', { x1: L, x2: W - R, y1: Y(v), y2: Y(v), class: 'grid' }));
      const t = s('text', { x: L - 6, y: Y(v) + 4, 'text-anchor': 'end' });
      t.textContent = fmt(v);
      svg.append(t);
    }
    let up = '', dn = '', mid = '';
    RUN.per_layer.forEach((p, i) => {
      if (p.mean === null) return;
      up += X(i) + ',' + Y(p.mean + (p.std || 0)) + ' ';
      dn = X(i) + ',' + Y(p.mean - (p.std || 0)) + ' ' + dn;
      mid += X(i) + ',' + Y(p.mean) + ' ';
    });
    svg.append(s('polygon', { points: up + dn, class: 'band' }), s('polyline', { points: mid, class: 'mi-line' }));
    const step = Math.max(1, Math.ceil(n / 16));
    RUN.per_layer.forEach((p, i) => {
      if (i % step === 0 || i === n - 1) {
        const t = s('text', { x: X(i), y: H - B + 16, 'text-anchor': 'middle' });
        t.textContent = String(p.layer);
        svg.append(t);
      }
      if (p.mean === null) return;
      const c = s('circle', { cx: X(i), cy: Y(p.mean), r: 4, class: 'layer-pt' + (p.layer === state.layer ? ' current' : ''),
        'data-layer': p.layer });
      const title = s('title');
      title.textContent = 'layer ' + p.layer + ': mean ' + fmt(p.mean) + ', std ' + fmt(p.std)
        + (LAYERS.includes(p.layer) ? '' : ' (not embedded in this page)');
      c.append(title);
      c.addEventListener('click', () => {
        if (LAYERS.includes(p.layer)) { state.layer = p.layer; labelProblems(); refresh(); pin(state.step, false); }
      });
      svg.append(c);
    });
    const xl = s('text', { x: (W + L) / 2, y: H - 4, 'text-anchor': 'middle' });
    xl.textContent = 'layer';
    svg.append(xl);
    const tb = $('layer-table');
    tb.textContent = '';
    const head = h('tr', {}, ...['layer', 'mean MI', 'std', 'AOM'].concat(RUN.rules.map((r) => 'mean peaks (' + r + ')'))
      .map((k) => h('th', { text: k })));
    tb.append(head);
    for (const p of RUN.per_layer) {
      const tr = h('tr', { class: p.layer === state.layer ? 'current' : '' }, h('td', { text: String(p.layer) }),
        h('td', { class: 'num', text: fmt(p.mean) }), h('td', { class: 'num', text: fmt(p.std) }),
        h('td', { class: 'num', text: fmt(p.aom) }));
      for (const r of RUN.rules) tr.append(h('td', { class: 'num', text: fmt(p.mean_peaks[r]) }));
      tb.append(tr);
    }
  }

  // ---------- events ----------
  function go(pos) {
    if (pos < 0 || pos >= RUN.problems.length) return;
    state.pos = pos;
    state.step = null;
    showProblem();
  }
  $('problem').addEventListener('change', (e) => go(Number(e.target.value)));
  $('prev').addEventListener('click', () => go(state.pos - 1));
  $('next').addEventListener('click', () => go(state.pos + 1));
  $('layer').addEventListener('change', (e) => { state.layer = Number(e.target.value); labelProblems(); refresh(); pin(state.step, false); });
  $('rule').addEventListener('change', (e) => { state.rule = e.target.value; labelProblems(); refresh(); pin(state.step, false); });
  $('scale').addEventListener('change', (e) => { state.scale = e.target.value; refresh(); });
  $('all-layers').addEventListener('change', (e) => { state.others = e.target.checked; drawTrajectory(); });
  const toks = $('tokens');
  toks.addEventListener('mouseover', (ev) => {
    const el = ev.target.closest('.tok');
    if (el) showTip(Number(el.dataset.step), ev.clientX, ev.clientY);
  });
  toks.addEventListener('mouseleave', hideTip);
  toks.addEventListener('click', (ev) => {
    const el = ev.target.closest('.tok');
    if (el) pin(Number(el.dataset.step), false);
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.target.tagName === 'SELECT' || ev.target.tagName === 'INPUT') return;
    if (ev.key === 'j') go(state.pos + 1);
    else if (ev.key === 'k') go(state.pos - 1);
    else if ((ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') && state.step !== null) {
      pin(Math.max(0, Math.min(cur.tokens.length - 1, state.step + (ev.key === 'ArrowRight' ? 1 : -1))), true);
      ev.preventDefault();
    }
  });
  window.addEventListener('hashchange', () => { readHash(); labelProblems(); showProblem(); });
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { drawTrajectory(); drawHeatmap(); drawLayerChart(); }, 150);
  });

  header();
  readHash();
  fillSelectors();
  if (RUN.problems.length === 0) {
    $('problem-title').textContent = 'No analysed problems';
  } else {
    showProblem();
  }
  document.body.setAttribute('data-ready', 'true');
})();
