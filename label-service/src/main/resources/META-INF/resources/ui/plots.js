// Scores: the reference model's results on the project's versions as plots (plain SVG drawn here, nothing loaded
// from elsewhere), from the dataset service: GET /api/projects/{id}/versions, GET /api/versions/{v}/evaluations
// (each COMPLETED evaluation's per-seed results and its summary) and GET /api/versions/{v}/compare?against=.
// 1. score by version: mean val (and test) accuracy over the seeds of the version's completed evaluations (the newest
//    result per seed, as the comparison pairs them), with their spread as error bars;
// 2. the confusion matrix of one evaluation (summed over its seeds), val or test, coloured by row share;
// 3. per-class accuracy deltas between two versions with the comparison's verdict and interval.
// The URL keeps the choices: #/scores?project=&version=&against=&evaluation=&side=&basis=.
import * as api from './api.js';
import * as data from './data.js';
import { el, problemText, setViewParams } from './app.js';

const NS = 'http://www.w3.org/2000/svg';

/** An SVG element; string children become text, attributes with null/undefined values are left out. */
export function svg(tag, attrs = {}, ...children) {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) n.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) n.append(c);
  return n;
}

const tip = text => svg('title', {}, text);
const pct = x => `${(x * 100).toFixed(1)}%`;
const points = x => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;

/** The seeds' results of a version's evaluations (newest first): the newest COMPLETED result per seed. */
export function seedResults(evaluations) {
  const bySeed = new Map();
  for (const e of evaluations.filter(x => x.status === 'COMPLETED' && x.metrics)) {
    const m = e.metrics;
    const runs = Array.isArray(m.seedResults) && m.seedResults.length ? m.seedResults : [m];
    runs.forEach((r, i) => {
      if (typeof r.valAccuracy !== 'number') return;
      // a run that does not name its seed still counts, as a seed of its own
      const seed = r.seed ?? `${e.id}#${i}`;
      if (!bySeed.has(seed)) bySeed.set(seed, { seed, val: r.valAccuracy, test: typeof r.testAccuracy === 'number' ? r.testAccuracy : null });
    });
  }
  return [...bySeed.values()];
}

/** Mean and spread: mean +- sd (sample) from 3 values on, min-max for 2, none for 1. */
export function spread(values) {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { n, mean, low: mean, high: mean, kind: 'one run' };
  if (n === 2) return { n, mean, low: Math.min(...values), high: Math.max(...values), kind: 'min-max' };
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, low: mean - sd, high: mean + sd, sd, kind: 'sd' };
}

function spreadText(s) {
  if (s.kind === 'sd') return `mean of n=${s.n} seeds ${pct(s.mean)}, sd ${(s.sd * 100).toFixed(1)} points`;
  if (s.kind === 'min-max') return `mean of n=2 seeds ${pct(s.mean)}, min ${pct(s.low)}, max ${pct(s.high)}`;
  return `n=1 seed: ${pct(s.mean)}`;
}

/** 1. Score by version: rows [{version, val: spread|null, test: spread|null}], oldest first. */
export function scoreChart(rows) {
  const W = 720, H = 300, left = 56, right = 16, top = 16, bottom = 64;
  const all = rows.flatMap(r => [r.val, r.test]).filter(Boolean);
  const lo = Math.max(0, Math.floor((Math.min(...all.map(s => s.low)) - 0.02) * 20) / 20);
  const hi = Math.min(1, Math.ceil((Math.max(...all.map(s => s.high)) + 0.02) * 20) / 20);
  const y = v => top + (H - top - bottom) * (hi - v) / Math.max(0.05, hi - lo);
  const step = (W - left - right) / Math.max(1, rows.length);
  const x = i => left + step * (i + 0.5);
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', id: 'score-chart',
    'aria-label': 'Accuracy by version: mean over seeds with its spread, validation and test' },
  tip('Accuracy by version: mean over seeds with its spread'));
  for (let t = lo; t <= hi + 1e-9; t += (hi - lo) > 0.3 ? 0.1 : 0.05) {
    chart.append(svg('line', { x1: left, x2: W - right, y1: y(t), y2: y(t), class: 'gridline' }),
      svg('text', { x: left - 6, y: y(t) + 4, class: 'axis', 'text-anchor': 'end' }, `${Math.round(t * 100)}%`));
  }
  chart.append(svg('text', { x: 12, y: (top + H - bottom) / 2, class: 'axis', 'text-anchor': 'middle',
    transform: `rotate(-90 12 ${(top + H - bottom) / 2})` }, 'accuracy'),
  svg('text', { x: (left + W - right) / 2, y: H - 6, class: 'axis', 'text-anchor': 'middle' }, 'version (oldest to newest)'));
  rows.forEach((r, i) => {
    chart.append(svg('text', { x: x(i), y: H - bottom + 18, class: 'axis', 'text-anchor': 'middle' },
      r.version.name.length > 14 ? `${r.version.name.slice(0, 13)}…` : r.version.name, tip(r.version.name)));
    if (!r.val && !r.test) {
      chart.append(svg('text', { x: x(i), y: H - bottom + 32, class: 'axis muted', 'text-anchor': 'middle' }, 'no score'));
    }
    for (const [side, s, dx] of [['val', r.val, -4], ['test', r.test, 4]]) {
      if (!s) continue;
      const cx = x(i) + (r.val && r.test ? dx : 0);
      const g = svg('g', { class: `score ${side}`, 'data-version': r.version.versionId },
        tip(`${r.version.name}, ${side}: ${spreadText(s)}`));
      if (s.high > s.low) {
        g.append(svg('line', { x1: cx, x2: cx, y1: y(s.low), y2: y(s.high), class: 'bar' }),
          svg('line', { x1: cx - 4, x2: cx + 4, y1: y(s.low), y2: y(s.low), class: 'bar' }),
          svg('line', { x1: cx - 4, x2: cx + 4, y1: y(s.high), y2: y(s.high), class: 'bar' }));
      }
      g.append(svg('circle', { cx, cy: y(s.mean), r: 5, class: `point ${side}` }));
      chart.append(g);
    }
  });
  // lines through the means, per side
  for (const side of ['val', 'test']) {
    const pts = rows.map((r, i) => r[side] && [x(i) + (r.val && r.test ? (side === 'val' ? -4 : 4) : 0), y(r[side].mean)]).filter(Boolean);
    if (pts.length > 1) chart.prepend(svg('polyline', { points: pts.map(p => p.join(',')).join(' '), class: `trend ${side}` }));
  }
  return chart;
}

/** 2. A confusion matrix (rows true, columns predicted), each cell coloured by its share of the row. */
export function confusionChart(classes, matrix, caption) {
  const k = classes.length, cell = k > 20 ? 22 : 36, left = 70, top = 60;
  const W = left + k * cell + 8, H = top + k * cell + 8;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, role: 'img', id: 'confusion-chart', 'aria-label': caption }, tip(caption));
  chart.append(svg('text', { x: left + k * cell / 2, y: 14, class: 'axis', 'text-anchor': 'middle' }, 'predicted class'),
    svg('text', { x: 12, y: top + k * cell / 2, class: 'axis', 'text-anchor': 'middle', transform: `rotate(-90 12 ${top + k * cell / 2})` }, 'true class'));
  classes.forEach((c, i) => {
    chart.append(svg('text', { x: left + i * cell + cell / 2, y: top - 8, class: 'axis', 'text-anchor': 'middle' }, c),
      svg('text', { x: left - 6, y: top + i * cell + cell / 2 + 4, class: 'axis', 'text-anchor': 'end' }, c));
  });
  matrix.forEach((row, r) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((count, c) => {
      const share = total ? count / total : 0;
      // white to the accent blue by share of the row
      const fill = `rgb(${Math.round(255 - 224 * share)},${Math.round(255 - 160 * share)},${Math.round(255 - 64 * share)})`;
      const g = svg('g', { class: r === c ? 'cell diagonal' : 'cell' },
        tip(`true ${classes[r]}, predicted ${classes[c]}: ${count} of ${total} (${total ? pct(share) : 'no items'})`),
        svg('rect', { x: left + c * cell, y: top + r * cell, width: cell - 1, height: cell - 1, fill, class: 'cell' }),
        svg('text', { x: left + c * cell + cell / 2, y: top + r * cell + cell / 2 + 4, 'text-anchor': 'middle',
          class: share > 0.5 ? 'count light' : 'count' }, String(count)));
      chart.append(g);
    });
  });
  return chart;
}

/** 3. Per-class accuracy deltas (this version minus the other), a diverging bar per class. */
export function deltaChart(classes, perClass, caption) {
  const rowH = 22, left = 70, W = 640, mid = left + (W - left - 60) / 2, half = (W - left - 60) / 2;
  const max = Math.max(0.05, ...classes.map(c => Math.abs(perClass[c] ?? 0)));
  const H = classes.length * rowH + 30;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', id: 'delta-chart', 'aria-label': caption }, tip(caption));
  classes.forEach((c, i) => {
    const d = perClass[c], y0 = i * rowH;
    chart.append(svg('text', { x: left - 6, y: y0 + 15, class: 'axis', 'text-anchor': 'end' }, c));
    if (d === undefined || d === null) {
      chart.append(svg('text', { x: mid + 6, y: y0 + 15, class: 'axis muted' }, 'no result'));
      return;
    }
    const w = Math.max(1, half * Math.abs(d) / max);   // no change: a hairline, still a bar
    chart.append(svg('rect', { x: d >= 0 ? mid : mid - w, y: y0 + 3, width: w, height: rowH - 6, class: `delta ${d >= 0 ? 'up' : 'down'}`,
      'data-class': c }, tip(`${c}: ${points(d)} points`)),
    svg('text', { x: d >= 0 ? mid + w + 4 : mid - w - 4, y: y0 + 15, class: 'axis', 'text-anchor': d >= 0 ? 'start' : 'end' }, points(d)));
  });
  chart.append(svg('line', { x1: mid, x2: mid, y1: 0, y2: classes.length * rowH, class: 'zero' }),
    svg('text', { x: mid, y: H - 6, class: 'axis', 'text-anchor': 'middle' }, 'per-class accuracy change, points (this version − the other)'));
  return chart;
}

/** The comparison in one sentence: "better by 2.1 points, 95% interval 0.4 to 3.8" and the like. */
export function verdictText(c) {
  const d = c[c.basis] || c.val;
  const by = `${Math.abs(d.difference * 100).toFixed(1)} points`;
  const interval = d.low === null || d.low === undefined
    ? `interval unknown: ${c.pairs} pair of runs (evaluate both versions with repeats ≥ 2)`
    : `95% interval ${(d.low * 100).toFixed(1)} to ${(d.high * 100).toFixed(1)}`;
  if (c.verdict === 'not comparable') {
    return `not comparable (${points(d.difference)} points on different validation sides): ${c.reason}`;
  }
  const head = c.verdict === 'better' ? `better by ${by}` : c.verdict === 'worse' ? `worse by ${by}`
    : `no detectable difference (${points(d.difference)} points)`;
  return `${head}, ${interval}; ${c.basis} accuracy, ${c.pairs} seed pair${c.pairs === 1 ? '' : 's'} (${c.seeds.join(', ')})`;
}

export function scoresView(main, state, params = {}) {
  if (!state.project) { location.hash = '#/home'; return; }
  const project = state.project;
  let alive = true, timer = null;
  const chosen = { version: params.version || null, against: params.against || null, evaluation: params.evaluation || null,
    side: params.side === 'test' ? 'test' : 'val', basis: ['val', 'test'].includes(params.basis) ? params.basis : '' };
  const remember = () => setViewParams({ version: chosen.version, against: chosen.against, evaluation: chosen.evaluation,
    side: chosen.side === 'test' ? 'test' : null, basis: chosen.basis || null });

  const info = el('p', { id: 'scores-info', role: 'status', text: 'Loading the versions...' });
  const scoreBox = el('div', { class: 'plot', id: 'score-box' });
  const legend = el('p', { class: 'count', id: 'score-legend' });
  const evalSelect = el('select', { id: 'confusion-evaluation', 'aria-label': 'Evaluation' });
  const sideSelect = el('select', { id: 'confusion-side', 'aria-label': 'Side' },
    el('option', { value: 'val', text: 'validation' }), el('option', { value: 'test', text: 'test folder' }));
  const confusionBox = el('div', { class: 'plot', id: 'confusion-box' });
  const versionSelect = el('select', { id: 'compare-version', 'aria-label': 'This version' });
  const againstSelect = el('select', { id: 'compare-against', 'aria-label': 'Against version' });
  // the side the verdict is given on: by default the test folder when both were scored on one; a frozen validation
  // side may hold far more items than a small test folder
  const basisSelect = el('select', { id: 'compare-basis', 'aria-label': 'Compared on' },
    el('option', { value: '', text: 'test folder if scored, else validation' }),
    el('option', { value: 'val', text: 'validation' }), el('option', { value: 'test', text: 'test folder' }));
  const verdict = el('p', { id: 'compare-verdict', role: 'status' });
  const deltaBox = el('div', { class: 'plot', id: 'delta-box' });
  const cards = [
    el('section', { class: 'card', 'aria-labelledby': 'score-h' }, el('h2', { id: 'score-h', text: 'Score by version' }), info, scoreBox, legend),
    el('section', { class: 'card', 'aria-labelledby': 'confusion-h' }, el('h2', { id: 'confusion-h', text: 'Confusion matrix' }),
      el('label', {}, 'Evaluation ', evalSelect), el('label', {}, ' side ', sideSelect), confusionBox),
    el('section', { class: 'card', 'aria-labelledby': 'compare-h' }, el('h2', { id: 'compare-h', text: 'Per-class change between two versions' }),
      el('label', {}, 'This version ', versionSelect), el('label', {}, ' against ', againstSelect),
      el('label', {}, ' on ', basisSelect), verdict, deltaBox),
  ];
  main.append(el('div', { class: 'scores-layout' }, cards));

  let versions = [];       // oldest first: {version, evaluations, seeds}
  async function load() {
    // before its first item the dataset service has not heard of the project: nothing to ask
    if (!await data.hasItems(project.id)) return empty('No versions yet: the project has no items.');
    const list = await api.dataset(`/api/projects/${project.id}/versions`);
    if (!alive) return;
    if (!list.length) return empty('No versions yet: freeze one in the Dataset view.');
    const evaluations = await Promise.all(list.map(v => api.dataset(`/api/versions/${v.versionId}/evaluations`).catch(() => [])));
    if (!alive) return;
    versions = list.map((version, i) => ({ version, evaluations: evaluations[i], seeds: seedResults(evaluations[i]) })).reverse();
    const scored = versions.filter(v => v.seeds.length);
    info.textContent = `${versions.length} version${versions.length === 1 ? '' : 's'}, ${scored.length} with completed evaluations`;
    drawScores();
    fillSelects();
    drawConfusion();
    await drawDeltas();
    // follow evaluations still running
    const active = versions.some(v => v.evaluations.some(e => e.status === 'QUEUED' || e.status === 'RUNNING'));
    if (active && alive) timer = setTimeout(() => refresh(), 5000);
  }
  const refresh = () => load().catch(e => { info.textContent = problemText(e); });

  function empty(text) {
    info.textContent = text;
    for (const box of [scoreBox, confusionBox, deltaBox]) box.replaceChildren();
    legend.textContent = '';
    confusionBox.append(el('p', { class: 'count', text: 'No completed evaluation yet.' }));
    verdict.textContent = 'Two versions with completed evaluations are needed for a comparison.';
  }

  function drawScores() {
    const rows = versions.map(v => ({ version: v.version, val: spread(v.seeds.map(s => s.val)),
      test: v.seeds.length && v.seeds.every(s => s.test !== null) ? spread(v.seeds.map(s => s.test)) : null }));
    if (!rows.some(r => r.val)) {
      scoreBox.replaceChildren(el('p', { class: 'count', text: 'No completed evaluation yet: the trainer service evaluates every new version.' }));
      legend.textContent = '';
      return;
    }
    scoreBox.replaceChildren(scoreChart(rows));
    legend.textContent = 'Points: mean accuracy over the seeds of the version\'s completed evaluations (newest result per seed); '
      + 'bars: mean ± sd from 3 seeds on, min to max for 2 seeds, none for one. Blue: validation; red: test folder. '
      + 'Hover a point for n.';
  }

  function completed() {
    return [...versions].reverse().flatMap(v => v.evaluations.filter(e => e.status === 'COMPLETED' && confusionOf(e, 'val'))
      .map(e => ({ v: v.version, e })));
  }

  function fillSelects() {
    const done = completed();
    const keep = (select, options, wanted) => {
      select.replaceChildren(...options);
      if (wanted && options.some(o => o.value === wanted)) select.value = wanted;
      return select.value || null;
    };
    chosen.evaluation = keep(evalSelect, done.map(({ v, e }) => el('option', { value: e.id,
      text: `${v.name}: ${new Date(e.finishedAt || e.createdAt).toLocaleString()}, ${e.summary?.n ?? 1} seed(s), ${e.epochs} epochs` })), chosen.evaluation);
    const newestFirst = [...versions].reverse().map(v => v.version);
    const opts = () => newestFirst.map(v => el('option', { value: v.versionId, text: v.name }));
    chosen.version = keep(versionSelect, opts(), chosen.version);
    if (!chosen.against || chosen.against === chosen.version) {
      const i = newestFirst.findIndex(v => v.versionId === chosen.version);
      chosen.against = newestFirst[i + 1]?.versionId || newestFirst[i - 1]?.versionId || null;
    }
    chosen.against = keep(againstSelect, opts(), chosen.against);
    sideSelect.value = chosen.side;
    remember();
  }

  function confusionOf(e, side) {
    const m = e.metrics || {};
    const matrix = side === 'test' ? (e.summary?.testConfusion || m.testConfusion) : (e.summary?.confusion || m.confusion);
    const classes = m.classes || project.classes;
    if (!Array.isArray(matrix) || matrix.length !== classes.length) return null;
    // in the project's order of classes when the model knows the same ones (it sorts them by name)
    const same = classes.length === project.classes.length && project.classes.every(c => classes.includes(c));
    if (!same) return { matrix, classes };
    const at = project.classes.map(c => classes.indexOf(c));
    return { matrix: at.map(r => at.map(c => matrix[r][c])), classes: project.classes };
  }

  function drawConfusion() {
    const found = completed().find(x => x.e.id === chosen.evaluation);
    if (!found) {
      confusionBox.replaceChildren(el('p', { class: 'count', text: 'No completed evaluation with a confusion matrix yet.' }));
      return;
    }
    const hasTest = !!confusionOf(found.e, 'test');
    sideSelect.querySelector('option[value=test]').disabled = !hasTest;
    if (chosen.side === 'test' && !hasTest) { chosen.side = 'val'; sideSelect.value = 'val'; remember(); }
    const c = confusionOf(found.e, chosen.side);
    const n = found.e.summary?.n ?? 1;
    const caption = `Confusion matrix of ${found.v.name} on ${chosen.side === 'test' ? 'the test folder' : 'validation'}`
      + `${n > 1 ? `, summed over ${n} seeds` : ''}: rows are the true class, columns the predicted class, colour the share of the row`;
    confusionBox.replaceChildren(confusionChart(c.classes, c.matrix, caption), el('p', { class: 'count', text: caption }));
  }

  let comparing = 0;
  async function drawDeltas() {
    const mine = versions.find(v => v.version.versionId === chosen.version);
    const theirs = versions.find(v => v.version.versionId === chosen.against);
    deltaBox.replaceChildren();
    if (!mine || !theirs || mine === theirs) {
      verdict.textContent = 'Two versions with completed evaluations are needed for a comparison.';
      return;
    }
    const noPairs = `${mine.version.name} and ${theirs.version.name} have no completed evaluations with the same seed, so they `
      + 'cannot be compared: evaluate both with the same seed and repeats (e.g. repeats 3), then come back.';
    // asked only when seeds pair up (a 409 would be a failed request in the browser's console)
    const theirSeeds = new Set(theirs.seeds.map(s => s.seed));
    if (!mine.seeds.some(s => theirSeeds.has(s.seed))) { verdict.textContent = noPairs; return; }
    // the test folder only when every run of both was scored on one (else the service answers 409)
    const testScored = [mine, theirs].every(v => v.seeds.every(s => s.test !== null));
    basisSelect.querySelector('option[value=test]').disabled = !testScored;
    if (chosen.basis === 'test' && !testScored) { chosen.basis = ''; remember(); }
    basisSelect.value = chosen.basis;
    const ticket = ++comparing;
    verdict.textContent = 'Comparing...';
    try {
      const c = await api.dataset(`/api/versions/${mine.version.versionId}/compare?against=${theirs.version.versionId}`
        + (chosen.basis ? `&basis=${chosen.basis}` : ''));
      if (!alive || ticket !== comparing) return;
      verdict.textContent = `${mine.version.name} against ${theirs.version.name}: ${verdictText(c)}`;
      const classes = [...project.classes, ...Object.keys(c.perClass || {}).filter(k => !project.classes.includes(k))];
      deltaBox.replaceChildren(deltaChart(classes, c.perClass || {},
        `Per-class ${c.basis} accuracy of ${mine.version.name} minus ${theirs.version.name}, mean over ${c.pairs} seed pair(s)`));
    } catch (e) {
      if (!alive || ticket !== comparing) return;
      verdict.textContent = e instanceof api.ApiError && e.status === 409 ? noPairs : problemText(e);
    }
  }

  evalSelect.addEventListener('change', () => { chosen.evaluation = evalSelect.value; remember(); drawConfusion(); });
  sideSelect.addEventListener('change', () => { chosen.side = sideSelect.value; remember(); drawConfusion(); });
  versionSelect.addEventListener('change', () => { chosen.version = versionSelect.value; remember(); drawDeltas(); });
  againstSelect.addEventListener('change', () => { chosen.against = againstSelect.value; remember(); drawDeltas(); });
  basisSelect.addEventListener('change', () => { chosen.basis = basisSelect.value; remember(); drawDeltas(); });

  refresh();
  return { unmount() { alive = false; clearTimeout(timer); } };
}
