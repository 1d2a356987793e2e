// Curation (dataset service): Loupe proposes a plan from the project's latest evaluation, open findings and counts
// (POST /api/projects/{id}/curation-plans {budget, minConfidence}); the plan is a list of actions, each with what it
// does, its evidence and (for automatic ones) a checkbox. Applying the checked ones (POST /api/curation-plans/{id}/apply
// {epochs, repeats, seed, actions}) runs them in the background, freezes a version and evaluates it: the page polls the
// plan's progress, then shows its version, its evaluation and its measured effect (the comparison with the version the
// plan was based on). The project's plans are listed newest first; the opened one is in the URL
// (#/curation?project=&plan=). Automatic rounds (POST /api/projects/{id}/curation-runs) run plan -> version ->
// evaluation without anyone deciding, keep the best version and can be cancelled; their card lists them with their
// rounds (polled while one is active).
import * as api from './api.js';
import * as data from './data.js';
import { el, toast, problemText, setViewParams } from './app.js';

const POLL_MS = 4000;
const KIND_TEXT = { EXCLUDE: 'exclude', RELABEL: 'relabel', REVIEW: 'review', BALANCE_STYLES: 'balance styles', AUGMENT: 'augment', COMPOSE: 'compose' };
const EVALUATION_ENDS = ['COMPLETED', 'FAILED', 'CANCELLED'];

export function curationView(main, state, params = {}) {
  if (!state.project) { location.hash = '#/home'; return; }
  let alive = true;
  let timer = null;
  const project = state.project;
  const c = { plans: [], plan: null, wanted: params.plan || null };
  // before the project's first item the dataset service has not heard of it: empty states, nothing to ask
  let known = false;
  const isKnown = async () => (known = known || await data.hasItems(project.id).catch(() => false));

  // --- layout: propose and the plans on the left, the opened plan on the right
  const budget = el('input', { id: 'plan-budget', type: 'number', min: 1, step: 1, value: 10000, required: true });
  const minConfidence = el('input', { id: 'plan-min-confidence', type: 'number', min: 0.01, max: 1, step: 0.01, value: 0.9, required: true });
  const propose = el('form', { class: 'card', id: 'plan-form', 'aria-labelledby': 'plan-form-h', onsubmit: e => { e.preventDefault(); create(); } },
    el('h2', { id: 'plan-form-h', text: 'Propose a plan' }),
    el('p', { class: 'count', text: 'From the latest evaluation, the open findings and the class counts: what to exclude, relabel, '
      + 'review and add, within an image budget.' }),
    el('label', {}, 'Budget (images) ', budget), el('label', {}, 'Min confidence ', minConfidence),
    el('button', { type: 'submit', id: 'plan-propose', text: 'Propose' }));
  const list = el('ul', { id: 'plans', class: 'plans' }, el('li', { class: 'count', text: 'Loading...' }));
  const planCard = el('section', { class: 'card', id: 'plan', 'aria-label': 'Curation plan' },
    el('p', { id: 'plan-none', class: 'count', text: 'Propose a plan, or open one from the list.' }));
  const runsCard = automaticRounds();
  main.append(el('div', { class: 'curation-layout' },
    el('div', {}, propose, el('section', { class: 'card', 'aria-labelledby': 'plans-h' }, el('h2', { id: 'plans-h', text: 'Plans' }), list),
      runsCard.node),
    planCard));

  // --- the project's plans
  async function loadPlans() {
    try {
      c.plans = await isKnown() ? await api.dataset(`/api/projects/${project.id}/curation-plans`) : [];
    } catch (e) {
      if (alive) list.replaceChildren(el('li', { class: 'count', text: `Plans unavailable: ${problemText(e)}` }));
      return;
    }
    if (!alive) return;
    // a plan proposed while the list was on its way stays in it
    if (c.plan && !c.plans.some(p => p.planId === c.plan.planId)) c.plans.unshift(c.plan);
    showList();
    if (c.wanted) {
      const id = c.wanted;
      c.wanted = null;
      await open(id);
    }
  }

  function showList() {
    if (!c.plans.length) {
      list.replaceChildren(el('li', { id: 'plans-empty', class: 'count', text: 'No plans yet.' }));
      return;
    }
    list.replaceChildren(...c.plans.map(p => el('li', { 'data-plan-id': p.planId, class: c.plan?.planId === p.planId ? 'current' : null },
      el('button', { type: 'button', class: 'link', onclick: () => open(p.planId) }, `Plan ${p.number}`),
      ` · ${p.status}${p.evaluationStatus ? ` (evaluation ${p.evaluationStatus.toLowerCase()})` : ''} · `
        + `${p.items.now} → ${p.items.afterPlan} items · ${p.actions.length} actions · ${new Date(p.createdAt).toLocaleString()}`)));
  }

  async function create() {
    const button = document.getElementById('plan-propose');
    button.disabled = true;
    try {
      const plan = await api.dataset(`/api/projects/${project.id}/curation-plans`, { method: 'POST',
        body: { budget: Number(budget.value), minConfidence: Number(minConfidence.value) } });
      if (!alive) return;
      toast(`Plan ${plan.number}: ${plan.actions.length} actions`);
      c.plans = [plan, ...c.plans.filter(p => p.planId !== plan.planId)];
      show(plan);
    } catch (e) {
      toast(problemText(e), 'error');
    } finally {
      button.disabled = false;
    }
  }

  async function open(planId) {
    try {
      const plan = await api.dataset(`/api/curation-plans/${planId}`);
      if (alive) show(plan);
    } catch (e) {
      if (alive) toast(`Plan ${planId}: ${problemText(e)}`, 'error');
    }
  }

  // --- one plan
  function show(plan) {
    clearTimeout(timer);
    const sameDraft = c.plan?.planId === plan.planId && plan.status === 'PROPOSED';
    const checked = sameDraft ? checkedIndices() : null;
    // a refresh keeps the evidence someone opened
    const opened = c.plan?.planId === plan.planId
      ? [...planCard.querySelectorAll('#plan-actions li')].filter(li => li.querySelector('details[open]')).map(li => li.dataset.index) : [];
    c.plan = plan;
    setViewParams({ plan: plan.planId });
    const p = plan;
    const ratio = p.budget ? Math.min(1, p.items.afterPlan / p.budget) : 0;
    planCard.replaceChildren(
      el('h2', {}, `Plan ${p.number} `, el('span', { id: 'plan-status', class: `chip status ${p.status.toLowerCase()}`, 'data-status': p.status, text: p.status })),
      el('p', { class: 'count', id: 'plan-based-on', text: basedOnText(p) }),
      el('p', { id: 'plan-items' }, `Items: ${p.items.now} now → ${p.items.afterPlan} after the plan, of a budget of ${p.budget} `,
        el('progress', { max: 1, value: ratio, 'aria-label': 'Items after the plan, of the budget' })),
      actionsList(p, checked),
      p.status === 'PROPOSED' ? applyForm(p) : progressOf(p),
      effectOf(p));
    for (const i of opened) planCard.querySelector(`#plan-actions li[data-index="${i}"] details`)?.setAttribute('open', '');
    planCard.dataset.planId = p.planId;
    showList();
    if (p.status === 'APPLYING' || (p.status === 'APPLIED' && p.evaluationId && !EVALUATION_ENDS.includes(p.evaluationStatus))) {
      timer = setTimeout(() => { if (alive && c.plan?.planId === p.planId) refresh(p.planId); }, POLL_MS);
    }
  }

  async function refresh(planId) {
    try {
      const plan = await api.dataset(`/api/curation-plans/${planId}`);
      if (!alive || c.plan?.planId !== planId) return;
      c.plans = c.plans.map(x => (x.planId === planId ? plan : x));
      show(plan);
    } catch (e) {
      // the dataset service away for a moment: try again
      if (alive) timer = setTimeout(() => refresh(planId), POLL_MS);
    }
  }

  function basedOnText(p) {
    const based = p.basedOn?.versionId
      ? `Based on version ${short(p.basedOn.versionId)}${p.basedOn.evaluationId ? ' and its evaluation' : ' (not evaluated)'}`
      : 'No evaluated version yet: based on the findings and class counts';
    return `${based}; min confidence ${p.minConfidence}; by ${p.createdBy || 'unknown'}.`;
  }

  function actionsList(p, checked) {
    if (!p.actions.length) return el('p', { id: 'plan-actions', class: 'count', text: 'No actions: nothing in the project calls for a change within this budget.' });
    const done = new Map((p.progress || []).map(o => [o.index, o]));
    return el('ol', { id: 'plan-actions', class: 'plan-actions' }, p.actions.map(a => {
      const outcome = done.get(a.index);
      const box = a.auto
        ? el('input', { type: 'checkbox', class: 'plan-action-check', 'data-index': a.index, 'aria-label': `apply action ${a.index}`,
          checked: checked ? checked.includes(a.index) : isChosen(p, a), disabled: p.status !== 'PROPOSED' })
        : null;
      return el('li', { 'data-index': a.index, 'data-kind': a.kind },
        el('div', { class: 'what' }, box, el('span', { class: `chip kind ${a.kind.toLowerCase()}`, text: KIND_TEXT[a.kind] || a.kind }), ' ',
          el('span', { class: 'words', text: words(p, a) }),
          a.kind === 'REVIEW' ? el('a', { class: 'review-link', href: `#/review?project=${encodeURIComponent(project.id)}` }, ' → open the review queue') : null,
          outcome ? el('span', { class: `outcome ${outcome.status.toLowerCase()}`, text: ` ${outcome.status.toLowerCase()}: ${outcome.changed} `
            + `${outcome.detail ? `(${outcome.detail})` : ''}` }) : null),
        el('div', { class: 'reason count', text: a.reason || '' }),
        evidenceOf(a));
    }));
  }

  /** Before applying, every auto action is checked; after, the ones that were chosen. */
  function isChosen(p, a) {
    return p.applyRequest?.actions ? p.applyRequest.actions.includes(a.index) : a.auto;
  }

  function checkedIndices() {
    return [...planCard.querySelectorAll('.plan-action-check')].filter(b => b.checked).map(b => Number(b.dataset.index));
  }

  function applyForm(p) {
    const epochs = el('input', { id: 'apply-epochs', type: 'number', min: 1, step: 1, placeholder: 'default', size: 6 });
    const repeats = el('input', { id: 'apply-repeats', type: 'number', min: 1, step: 1, placeholder: 'as the base', size: 6 });
    const seed = el('input', { id: 'apply-seed', type: 'number', step: 1, placeholder: 'as the base', size: 8 });
    const auto = p.actions.some(a => a.auto);
    const button = el('button', { type: 'submit', id: 'apply-plan', text: 'Apply the checked actions', disabled: !auto });
    return el('form', { id: 'apply-form', class: 'apply-form', onsubmit: async e => {
      e.preventDefault();
      const body = { actions: checkedIndices() };
      for (const [k, input] of [['epochs', epochs], ['repeats', repeats], ['seed', seed]]) if (input.value !== '') body[k] = Number(input.value);
      button.disabled = true;
      try {
        const plan = await api.dataset(`/api/curation-plans/${p.planId}/apply`, { method: 'POST', body });
        if (!alive) return;
        toast(`Plan ${plan.number}: applying ${body.actions.length} actions`);
        c.plans = c.plans.map(x => (x.planId === plan.planId ? plan : x));
        show(plan);
      } catch (err) {
        toast(problemText(err), 'error');
        button.disabled = false;
      }
    } },
    el('h3', { text: 'Apply' }),
    el('p', { class: 'count', text: 'The checked actions run, a version is frozen and evaluated; seed and repeats default to '
      + 'those of the evaluation the plan is based on, so the two compare seed by seed.' }),
    el('label', {}, 'Epochs ', epochs), el('label', {}, 'Repeats ', repeats), el('label', {}, 'Seed ', seed), button);
  }

  function progressOf(p) {
    const chosen = p.applyRequest?.actions?.length ?? 0;
    const done = (p.progress || []).filter(o => o.status === 'APPLIED').length;
    const lines = [el('p', { id: 'plan-progress' }, `${done} of ${chosen} actions applied`,
      p.appliedBy ? ` (by ${p.appliedBy})` : '', ' ',
      el('progress', { max: Math.max(1, chosen), value: done, 'aria-label': 'Actions applied' }))];
    if (p.error) lines.push(el('p', { id: 'plan-error', class: 'error', text: `Failed: ${p.error}` }));
    if (p.versionId) {
      lines.push(el('p', { id: 'plan-version', 'data-version': p.versionId },
        `Version ${short(p.versionId)} (`, el('a', { href: `#/dataset?project=${encodeURIComponent(project.id)}` }, 'in the dataset view'), ')',
        p.evaluationId ? `; its evaluation is ${String(p.evaluationStatus || 'queued').toLowerCase()}` : '',
        p.applyRequest ? ` (${p.applyRequest.epochs ?? 'default'} epochs, ${p.applyRequest.repeats ?? 1} repeat${(p.applyRequest.repeats ?? 1) === 1 ? '' : 's'}`
          + `${p.applyRequest.seed != null ? `, seed ${p.applyRequest.seed}` : ''})` : ''));
    } else if (p.status === 'APPLYING') {
      lines.push(el('p', { class: 'count', text: 'Applying: the actions run, then the split takes them in and a version is frozen...' }));
    }
    return el('div', { id: 'plan-applied' }, lines);
  }

  // --- the measured effect: the plan's version against the version it was based on
  function effectOf(p) {
    const box = el('div', { id: 'plan-effect', class: 'plan-effect' });
    if (p.status === 'PROPOSED') return box;
    box.append(el('h3', { text: 'Measured effect' }));
    const e = p.effect;
    if (!p.basedOn?.versionId) {
      box.append(el('p', { class: 'count', text: 'No earlier evaluated version to compare with: the next plan compares against this one.' }));
      return box;
    }
    if (!e) {
      box.append(el('p', { class: 'count', text: p.evaluationStatus === 'FAILED' || p.evaluationStatus === 'CANCELLED'
        ? `The evaluation ${p.evaluationStatus.toLowerCase()}: no effect to measure.`
        : p.status === 'FAILED' ? 'No version was made.' : 'Once the evaluation completes.' }));
      return box;
    }
    if (e.comparable === false) {
      box.append(el('p', { id: 'effect-verdict', 'data-verdict': 'not comparable', text: `Not comparable: ${e.detail}` }));
      return box;
    }
    const side = e.basis === 'test' ? e.test : e.val;
    box.append(
      el('p', { id: 'effect-verdict', class: `verdict ${String(e.verdict).replace(/\W+/g, '-')}`, 'data-verdict': e.verdict },
        el('strong', { text: cap(e.verdict) }), ` on the ${e.basis === 'test' ? 'test folder' : 'validation side'}: `
          + effectWords(side, e)),
      perClass(e.perClass));
    return box;
  }

  function effectWords(d, e) {
    if (!d) return 'no numbers.';
    const interval = d.low != null && d.high != null
      ? `95% interval ${points(d.low)} to ${points(d.high)} points (${e.interval}, ${e.pairs} paired seeds)`
      : `interval ${e.interval}`;
    return `accuracy ${pct(d.mean)} against ${pct(d.againstMean)}, a difference of ${points(d.difference)} points; ${interval}.`;
  }

  function perClass(deltas) {
    const entries = Object.entries(deltas || {});
    if (!entries.length) return el('p', { class: 'count', text: 'No per-class accuracy.' });
    const max = Math.max(0.01, ...entries.map(([, d]) => Math.abs(d)));
    return el('table', { id: 'effect-classes', class: 'policy effect-classes' },
      el('caption', { text: 'Per-class accuracy change (points)' }),
      el('thead', {}, el('tr', {}, el('th', { text: 'class' }), el('th', { text: 'change' }), el('th', { text: '' }))),
      el('tbody', {}, entries.map(([cls, d]) => el('tr', { 'data-class': cls },
        el('td', { text: cls }), el('td', { class: 'num', text: points(d) }),
        el('td', { class: 'bar-cell' }, bar(d, max))))));
  }

  /** A bar as wide as the change (through the style object: the page's CSP refuses style attributes). */
  function bar(d, max) {
    const span = el('span', { class: `delta-bar ${d >= 0 ? 'up' : 'down'}` });
    span.style.width = `${Math.max(1, Math.round(Math.abs(d) / max * 60))}px`;
    return span;
  }

  // --- automatic rounds: plan -> version -> evaluation, a number of times, keeping the best version
  function automaticRounds() {
    let runTimer = null;
    const field = (id, attrs) => el('input', { id, type: 'number', size: 6, ...attrs });
    const f = {
      budget: field('run-budget', { min: 1, step: 1, value: 10000, required: true }),
      rounds: field('run-rounds', { min: 1, max: 10, step: 1, value: 3, required: true }),
      epochs: field('run-epochs', { min: 1, step: 1, placeholder: 'default' }),
      repeats: field('run-repeats', { min: 1, step: 1, placeholder: 'as the base' }),
      minConfidence: field('run-min-confidence', { min: 0.01, max: 1, step: 0.01, value: 0.9, required: true }),
    };
    const runs = el('ul', { id: 'runs', class: 'plans' }, el('li', { class: 'count', text: 'Loading...' }));
    const start = el('button', { type: 'submit', id: 'run-start', text: 'Start' });
    const node = el('section', { class: 'card', 'aria-labelledby': 'runs-h' },
      el('h2', { id: 'runs-h', text: 'Automatic rounds' }),
      el('p', { class: 'count', text: 'Each round proposes a plan, applies its automatic actions, evaluates the version and keeps '
        + 'the best; nobody decides (suggestions at or above the confidence are accepted).' }),
      el('form', { id: 'run-form', onsubmit: async e => {
        e.preventDefault();
        const body = {};
        for (const [k, input] of Object.entries(f)) if (input.value !== '') body[k] = Number(input.value);
        start.disabled = true;
        try {
          await api.dataset(`/api/projects/${project.id}/curation-runs`, { method: 'POST', body });
          if (alive) { toast(`Automatic run started: ${body.rounds} rounds`); load(); }
        } catch (err) {
          toast(problemText(err), 'error');
        } finally {
          start.disabled = false;
        }
      } },
      el('label', {}, 'Budget ', f.budget), el('label', {}, 'Rounds ', f.rounds), el('label', {}, 'Epochs ', f.epochs),
      el('label', {}, 'Repeats ', f.repeats), el('label', {}, 'Min confidence ', f.minConfidence), start),
      runs);

    async function load() {
      clearTimeout(runTimer);
      let list;
      try {
        list = await isKnown() ? await api.dataset(`/api/projects/${project.id}/curation-runs`) : [];
      } catch (e) {
        if (alive) runs.replaceChildren(el('li', { class: 'count', text: `Runs unavailable: ${problemText(e)}` }));
        return;
      }
      if (!alive) return;
      runs.replaceChildren(...(list.length ? list.map(runLine) : [el('li', { id: 'runs-empty', class: 'count', text: 'No automatic runs yet.' })]));
      if (list.some(r => r.status === 'QUEUED' || r.status === 'RUNNING')) runTimer = setTimeout(load, POLL_MS);
    }

    function runLine(r) {
      const active = r.status === 'QUEUED' || r.status === 'RUNNING';
      const best = r.bestVersionId ? `best version ${short(r.bestVersionId)}${r.bestValAccuracy != null ? ` (val ${pct(r.bestValAccuracy)})` : ''}` : 'no best version yet';
      return el('li', { 'data-run-id': r.runId, 'data-status': r.status },
        el('span', { class: `chip status ${r.status.toLowerCase()}`, text: r.status }),
        ` ${r.rounds.length} of ${r.settings.rounds} rounds${r.step ? ` (${String(r.step).toLowerCase().replace(/_/g, ' ')})` : ''} · ${best}`
          + ` · budget ${r.settings.budget} · ${new Date(r.createdAt).toLocaleString()} `,
        active ? el('button', { type: 'button', class: 'run-cancel', text: 'Cancel', onclick: async () => {
          try {
            await api.dataset(`/api/curation-runs/${r.runId}/cancel`, { method: 'POST' });
            if (alive) { toast('Automatic run cancelled'); load(); }
          } catch (err) { toast(problemText(err), 'error'); }
        } }) : null,
        r.frozeValVersion ? el('div', { class: 'count run-froze', text: `Froze the validation side at version `
          + `${short(r.frozeValVersion)} before its first plan, so every round is scored on the same items (split settings unfreeze it).` }) : null,
        r.error ? el('div', { class: 'error', text: r.error }) : null,
        r.rounds.length ? el('ol', { class: 'run-rounds' }, r.rounds.map(x => el('li', { 'data-round': x.round },
          x.planId ? el('button', { type: 'button', class: 'link', onclick: () => open(x.planId) }, 'plan') : 'plan',
          x.valAccuracy ? ` · val ${pct(x.valAccuracy.mean)}${x.valAccuracy.sd != null ? ` ± ${pct(x.valAccuracy.sd)}` : ''}` : '',
          x.verdict ? ` · ${x.verdict}` : '', x.reason ? el('span', { class: 'count', text: ` (${x.reason})` }) : null))) : null);
    }

    return { node, load, stop: () => clearTimeout(runTimer) };
  }

  loadPlans();
  runsCard.load();
  return { unmount() { alive = false; clearTimeout(timer); runsCard.stop(); } };
}

/** What an action does, in words: "relabel 37 items iv → vi (confidence ≥ 0.9)". */
export function words(p, a) {
  const n = a.count ?? a.itemIds?.length ?? 0;
  const ops = (a.request?.ops || []).map(o => o.op).filter(Boolean).join(', ');
  switch (a.kind) {
    case 'EXCLUDE': return `exclude ${n} outlier${n === 1 ? '' : 's'}`;
    case 'RELABEL': {
      const from = Object.entries(a.evidence?.from || {});
      const fromText = from.length === 1 ? from[0][0] : from.map(([l, k]) => `${l} ×${k}`).join(', ');
      return `relabel ${n} item${n === 1 ? '' : 's'} ${fromText || '?'} → ${a.label} (confidence ≥ ${a.evidence?.minConfidence ?? p.minConfidence})`;
    }
    case 'REVIEW': return `review ${n} item${n === 1 ? '' : 's'} in the review queue`;
    case 'AUGMENT': return `add ${n} cop${n === 1 ? 'y' : 'ies'} of ${a.label}${ops ? `: ${ops}` : ''}`;
    case 'BALANCE_STYLES': return `add ${n} cop${n === 1 ? 'y' : 'ies'} of a small style cluster${a.label ? ` of ${a.label}` : ''}${ops ? `: ${ops}` : ''}`;
    case 'COMPOSE': return `compose ${n} image${n === 1 ? '' : 's'} of ${a.label} from the glyph library`;
    default: return `${String(a.kind).toLowerCase()} ${n}`;
  }
}

/** The evidence's numbers, one line each; lists say how many, maps their entries. */
function evidenceOf(a) {
  const entries = Object.entries(a.evidence || {});
  if (!entries.length) return null;
  return el('details', { class: 'evidence' }, el('summary', { text: 'evidence' }),
    el('dl', {}, entries.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: evidenceValue(k, v) })])));
}

function evidenceValue(key, v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
  if (Array.isArray(v)) {
    if (key === 'confusions') return v.map(x => `${x.actual} → ${x.predicted} ×${x.count}`).join(', ');
    return `${v.length} listed`;
  }
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${evidenceValue(k, x)}`).join(', ');
  return String(v);
}

const short = id => String(id).slice(0, 8);
const cap = s => String(s).charAt(0).toUpperCase() + String(s).slice(1);
const pct = x => (x == null ? '?' : `${(x * 100).toFixed(1)}%`);
const points = x => (x == null ? '?' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`);
