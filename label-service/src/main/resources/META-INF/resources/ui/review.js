// The review queue (embedding service): the project's flagged items in order of expected benefit, one at a time and
// large, with the finding's evidence, the suggested label and the same-style neighbours; one key per decision. Each
// decision is POSTed to /api/projects/{id}/reviews in the signed-in user's name and the next item shows at once.
// Progress ("120 of 310 reviewed, 41 changed") is at the top; the disagreements (items whose reviews found no
// majority) and the review settings (reviews required per item: curators) are in the side panel.
// The shown item is in the URL (#/review?project=&item=), so a link opens it (when it is still in your queue).
import * as api from './api.js';
import * as data from './data.js';
import { el, toast, problemText, onChange, selectItem, openInEraser } from './app.js';

const PAGE = 50;
const KIND_TEXT = { LABEL_ISSUE: 'label issue', MISPREDICTED: 'mispredicted', OUTLIER: 'outlier', DUPLICATE: 'duplicate' };

export function reviewView(main, state, params = {}) {
  if (!state.project) { location.hash = '#/home'; return; }
  let alive = true;
  const project = state.project;
  const classes = project.classes;
  const keys = classes.map((c, i) => (i < 9 ? String(i + 1) : i === 9 ? '0' : ''));
  const r = {
    items: [], cursor: null, current: null, progress: null, required: 1,
    decided: new Set(),   // itemId@version decided in this page: a late answer of the queue never shows them again
    busy: false, wanted: params.item || null, reload: null,
  };

  // --- layout: progress, the item, the side panel (disagreements, settings)
  const progress = el('div', { class: 'review-progress', id: 'review-progress', role: 'status', 'aria-live': 'polite' }, 'Loading the queue...');
  const bar = el('progress', { id: 'review-bar', max: 1, value: 0, 'aria-label': 'Reviewed' });
  const stage = el('section', { class: 'review-item card', id: 'review-item', 'aria-label': 'Item under review' });
  const next = el('div', { class: 'strip review-next', id: 'review-next', 'aria-label': 'Up next' });
  const legend = el('div', { class: 'review-keys', id: 'review-keys', 'aria-label': 'Decision keys' });
  const disagreements = el('div', { id: 'review-disagreements' }, el('p', { class: 'count', text: 'Loading...' }));
  const settings = el('form', { id: 'review-settings' });
  const panel = el('aside', { class: 'panel review-panel', 'aria-label': 'Disagreements and settings' },
    el('h3', { text: 'Disagreements' }), disagreements, el('h3', { text: 'Review settings' }), settings);
  main.append(el('div', { class: 'toolbar' }, progress, bar),
    el('div', { class: 'grid-layout review-layout' }, el('div', {}, stage, legend, el('h3', { text: 'Up next' }), next), panel));

  // --- the decision keys, also as buttons
  const decisionKeys = [
    { key: 'a', id: 'review-accept', text: 'accept suggestion', run: () => decide('ACCEPT') },
    { key: 'k', id: 'review-keep', text: 'keep label', run: () => decide('KEEP') },
    { key: 'x', id: 'review-exclude', text: 'exclude', run: () => decide('EXCLUDE') },
    { key: 'u', id: 'review-unsure', text: 'unsure', run: () => decide('UNSURE') },
    { key: 'e', id: 'review-eraser', text: 'open in eraser', run: () => r.current && openInEraser(r.current.itemId) },
  ];
  legend.append(
    el('div', { class: 'decisions' }, decisionKeys.map(d => el('button', { type: 'button', id: d.id, title: `key ${d.key}`, onclick: d.run },
      el('kbd', { text: d.key }), d.text))),
    el('div', { class: 'classes' }, 'Another label: ', classes.map((c, i) => el('button', {
      type: 'button', class: 'class-key', 'data-label': c, title: keys[i] ? `key ${keys[i]}` : '', onclick: () => decideLabel(c) },
    keys[i] ? el('kbd', { text: keys[i] }) : null, c))));

  // --- the queue
  async function fetchPage(cursor, limit = PAGE) {
    // the last computed ranking at once while a newer one is computed (asOf says which): a reviewer working while
    // changes stream in does not wait seconds for every page
    const q = new URLSearchParams({ limit, allowStale: 'true' });
    if (cursor) q.set('cursor', cursor);
    return api.embedding(`/api/projects/${project.id}/review-queue?${q}`);
  }

  const fresh = items => items.filter(i => !r.decided.has(`${i.itemId}@${i.version}`));

  /** The queue from its start; keeps the shown item when it is still there. */
  async function load() {
    if (!alive) return;
    try {
      if (await data.embeddedCount(project.id) === 0) {
        if (!alive) return;
        progress.textContent = 'Nothing embedded yet: the queue fills once the items are embedded and analysed.';
        stage.replaceChildren(el('p', { id: 'review-empty', text: 'Nothing to review yet.' }));
        disagreements.replaceChildren(el('p', { class: 'count', text: 'none' }));
        await loadSettings();
        return;
      }
      const page = await fetchPage(null);
      if (!alive) return;
      r.items = fresh(page.items);
      r.cursor = page.nextCursor;
      showProgress(page);
      if (r.wanted) await findWanted();
      const keep = r.current && r.items.find(i => i.itemId === r.current.itemId && i.version === r.current.version);
      show(keep || r.items[0] || null);
    } catch (e) { if (alive) toast(problemText(e), 'error'); }
    loadDisagreements();
    loadSettings();
  }

  /** The URL's item: looked for in the next pages too (it may be far down); said plainly when it is not there. */
  async function findWanted() {
    const wanted = r.wanted;
    r.wanted = null;
    for (let pages = 0; !r.items.some(i => i.itemId === wanted) && r.cursor && pages < 20; pages++) {
      const page = await fetchPage(r.cursor, 200);
      if (!alive) return;
      r.items.push(...fresh(page.items));
      r.cursor = page.nextCursor;
    }
    const i = r.items.findIndex(x => x.itemId === wanted);
    if (i < 0) { toast('That item is not in your review queue (decided already, or nothing flags it)'); return; }
    r.items.unshift(...r.items.splice(i, 1));
  }

  /** More of the queue when a few items are left. */
  async function topUp() {
    if (r.items.length > 5 || !r.cursor) return;
    const cursor = r.cursor;
    r.cursor = null;
    try {
      const page = await fetchPage(cursor);
      if (!alive) return;
      const known = new Set(r.items.map(i => i.itemId));
      r.items.push(...fresh(page.items).filter(i => !known.has(i.itemId)));
      r.cursor = page.nextCursor;
      if (!r.current) show(r.items[0] || null);
      else showNext();
    } catch (e) { r.cursor = cursor; toast(problemText(e), 'error'); }
  }

  /** Progress from a queue answer: reviewed of flagged, changed, open, disagreements. */
  function showProgress(page) {
    const p = page.progress;
    r.progress = p;
    r.required = page.reviewsRequired;
    progress.replaceChildren(
      el('strong', { id: 'review-count', text: `${p.reviewed} of ${p.flagged} reviewed, ${p.changed} changed` }),
      `, ${p.open} open`,
      ', ',
      p.disagreements ? el('button', { type: 'button', class: 'link disagree-count', onclick: () => disagreements.scrollIntoView(),
        text: `${p.disagreements} disagreement${p.disagreements > 1 ? 's' : ''}` }) : 'no disagreements',
      r.required > 1 ? ` · ${r.required} reviews per item` : '',
      page.asOf && !page.asOf.current ? el('span', { class: 'count', id: 'review-as-of',
        text: ` · ranked on the data of ${new Date(page.asOf.snapshotAt).toLocaleTimeString()}, newer findings are being computed` }) : '');
    progress.dataset.reviewed = p.reviewed;
    progress.dataset.changed = p.changed;
    bar.max = Math.max(1, p.flagged);
    bar.value = p.reviewed;
  }

  async function refreshProgress() {
    try {
      const page = await fetchPage(null, 1);
      if (alive) showProgress(page);
    } catch (e) { /* the next decision says it */ }
  }

  // --- the item, large
  function show(item) {
    r.current = item;
    if (!item) {
      stage.removeAttribute('data-item-id');
      stage.replaceChildren(el('p', { id: 'review-empty', text: 'Nothing left to review: every flagged item is decided. New findings appear here when the data changes.' }));
      next.replaceChildren();
      selectItem(null);
      return;
    }
    stage.dataset.itemId = item.itemId;
    selectItem(item.itemId);
    const suggestion = item.suggestedLabel;
    document.getElementById('review-accept')?.toggleAttribute('disabled', !suggestion);
    for (const b of legend.querySelectorAll('.class-key')) b.classList.toggle('current', b.dataset.label === item.label);
    stage.replaceChildren(
      el('div', { class: 'review-main' },
        el('img', { src: api.imageUrl(item.itemId), alt: `item labelled ${item.label}`, class: 'review-big', id: 'review-image' }),
        el('div', { class: 'review-facts' },
          el('p', {}, 'Label ', el('span', { class: 'chip label', id: 'review-label', text: item.label }),
            suggestion ? [' suggested ', el('span', { class: 'chip suggested', id: 'review-suggested', text: suggestion }),
              el('span', { class: 'count', text: ' (a accepts)' })] : el('span', { class: 'count', text: ' no suggested label' })),
          el('ul', { class: 'reasons', id: 'review-reasons' }, item.reasons.map(reason)),
          item.reviews?.length ? el('p', { class: 'count', id: 'review-votes' }, 'So far: ',
            item.reviews.map(v => `${v.by} ${v.decision.toLowerCase()}${v.label ? ' ' + v.label : ''}`).join(', ')) : null,
          el('p', { class: 'count', text: `version ${item.version} · priority ${item.priority.toFixed(3)}` }))),
      el('h3', { text: 'Same style' }),
      el('div', { class: 'neighbours', id: 'review-neighbours' }, (item.neighbors || []).map(n => el('figure', { 'data-id': n.itemId },
        el('img', { src: api.imageUrl(n.itemId, 96), alt: n.label, width: 72, height: 72 }),
        el('figcaption', { text: `${n.label} ${n.distance.toFixed(3)}` })))));
    showNext();
  }

  function reason(x) {
    return el('li', { class: `reason ${x.kind.toLowerCase()}` },
      el('span', { class: `badge ${x.kind.toLowerCase()}`, text: KIND_TEXT[x.kind] || x.kind }), ' ',
      x.evidence, el('span', { class: 'count', text: ` (score ${x.score.toFixed(2)})` }),
      x.otherItemId ? el('img', { src: api.imageUrl(x.otherItemId, 64), alt: 'the other item', width: 40, height: 40, class: 'other' }) : null);
  }

  function showNext() {
    const rest = r.items.filter(i => i !== r.current).slice(0, 10);
    next.replaceChildren(...rest.map(i => el('figure', { 'data-id': i.itemId, title: i.reasons.map(x => x.evidence).join(' ') },
      el('img', { src: api.imageUrl(i.itemId, 96), alt: i.label, width: 56, height: 56 }),
      el('figcaption', { text: i.suggestedLabel ? `${i.label}→${i.suggestedLabel}`
        : `${i.label} · ${KIND_TEXT[i.reasons[0]?.kind] || ''}` }))));
  }

  // --- deciding
  function decideLabel(label) {
    if (!r.current) return;
    // the label it has already: that is keeping it
    if (label === r.current.label) decide('KEEP'); else decide('RELABEL', label);
  }

  async function decide(decision, label) {
    const item = r.current;
    if (!item || r.busy) return;
    if (decision === 'ACCEPT' && !item.suggestedLabel) { toast('No suggested label to accept: keep (k), another label (1-9, 0) or exclude (x)'); return; }
    r.busy = true;
    try {
      const body = { itemId: item.itemId, version: item.version, decision };
      if (label) body.label = label;
      const review = await api.embedding(`/api/projects/${project.id}/reviews`, { method: 'POST', body });
      if (!alive) return;
      r.decided.add(`${item.itemId}@${item.version}`);
      toast(summary(item, review));
      advance(item);
    } catch (e) {
      if (!alive) return;
      toast(problemText(e), 'error');
      // decided by someone else meanwhile, or changed: the queue from the start
      if (e.status === 409 || e.status === 404) { r.decided.add(`${item.itemId}@${item.version}`); advance(item); }
    } finally { r.busy = false; }
  }

  function summary(item, review) {
    const what = { ACCEPT: `accepted ${review.label}`, RELABEL: `relabelled ${review.label}`, KEEP: `kept ${item.label}`,
      EXCLUDE: 'excluded', UNSURE: 'unsure' }[review.decision] || review.decision;
    const outcome = { APPLIED: review.decision === 'UNSURE' ? '' : ' (applied)', RECORDED: ' (recorded)',
      PENDING: ` (pending: ${r.required} reviews needed)`, DISAGREEMENT: ' (a disagreement: see the list)' }[review.outcome] || '';
    return `${item.label}: ${what}${outcome}`;
  }

  /** The next item at once; the progress (and the queue when it runs low) are asked in the background. */
  function advance(decided) {
    r.items = r.items.filter(i => i.itemId !== decided.itemId);
    show(r.items[0] || null);
    refreshProgress();
    loadDisagreements();
    topUp();
    if (!r.items.length && !r.cursor) { clearTimeout(r.reload); r.reload = setTimeout(load, 500); }
  }

  // --- disagreements: the votes; a click shows the item to decide again (a decision that makes a majority applies)
  async function loadDisagreements() {
    try {
      const d = await api.embedding(`/api/projects/${project.id}/review-disagreements`);
      if (!alive) return;
      disagreements.replaceChildren(d.items.length
        ? el('ul', { class: 'disagreements' }, d.items.map(x => el('li', { 'data-id': x.itemId },
          el('button', { type: 'button', class: 'link', title: 'decide on it', onclick: () => show({
            itemId: x.itemId, label: x.label, version: x.version, priority: 0, suggestedLabel: null,
            reasons: [], neighbors: [], reviews: x.votes.map(v => ({ ...v })) }) },
          el('img', { src: api.imageUrl(x.itemId, 64), alt: x.label, width: 40, height: 40 }), ` ${x.label}`),
          el('span', { class: 'count', text: ` ${x.votes.map(v => `${v.by}: ${v.decision.toLowerCase()}${v.label ? ' ' + v.label : ''}`).join(', ')}` }))))
        : el('p', { class: 'count', text: 'none' }));
    } catch (e) { if (alive) disagreements.textContent = problemText(e); }
  }

  // --- settings: reviews required per item (curators change it)
  async function loadSettings() {
    try {
      const s = await api.embedding(`/api/projects/${project.id}/review-settings`);
      if (!alive) return;
      const me = api.currentUser();
      const role = String(me?.projects?.[project.id] || '').toUpperCase();
      const curator = me?.globalAdmin || role === 'CURATOR' || role === 'ADMIN';
      const required = el('select', { id: 'reviews-required', 'aria-label': 'Reviews required per item', disabled: !curator },
        [1, 2, 3, 4, 5].map(n => el('option', { value: n, text: n, selected: n === s.reviewsRequired })));
      settings.replaceChildren(
        el('label', {}, 'Reviews per item ', required),
        curator ? el('button', { type: 'submit', id: 'save-review-settings', text: 'Save' })
          : el('span', { class: 'count', text: ' (curators change it)' }),
        el('p', { class: 'count', text: 'With more than one, the majority applies; ties and splits go to the disagreements.' }));
      settings.onsubmit = async e => {
        e.preventDefault();
        try {
          const saved = await api.embedding(`/api/projects/${project.id}/review-settings`, { method: 'PUT', body: { reviewsRequired: +required.value } });
          toast(`${saved.reviewsRequired} review${saved.reviewsRequired > 1 ? 's' : ''} per item`);
          refreshProgress();
        } catch (err) { toast(problemText(err), 'error'); }
      };
    } catch (e) { if (alive) settings.textContent = problemText(e); }
  }

  // --- keyboard: one key per decision
  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest('input, select, textarea')) return;
    const k = keys.indexOf(e.key);
    if (k >= 0 && e.key !== '') { e.preventDefault(); decideLabel(classes[k]); return; }
    const d = decisionKeys.find(x => x.key === e.key);
    if (d) { e.preventDefault(); d.run(); }
  }
  document.addEventListener('keydown', onKey);

  // --- live: a teammate's change to a queued item makes the queue ask again (its version moved on)
  onChange(envelope => {
    const id = envelope.data?.itemId;
    if (!r.items.some(i => i.itemId === id)) return;
    if (r.current?.itemId === id && envelope.data.by !== api.user()) toast(`${envelope.data.by} changed this item: showing it again as it is now`);
    clearTimeout(r.reload);
    r.reload = setTimeout(load, 1000);
  });

  load();
  return { unmount: () => { alive = false; clearTimeout(r.reload); document.removeEventListener('keydown', onKey); } };
}
