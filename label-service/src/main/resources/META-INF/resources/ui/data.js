// What the views show about items besides their labels: the split side and the findings; and how far a project is.
// A project before its first item is unknown to the dataset service, and one with nothing embedded has no findings
// or map: the views ask what exists first (answers that are always 200) and show an empty state, so the browser logs
// no failed request for a project that is merely new.
import * as api from './api.js';

/** Whether the project has any item, included or excluded (the dataset service knows it from its first item). */
export async function hasItems(projectId) {
  for (const excluded of ['false', 'true']) {
    const p = await api.label(`/api/projects/${projectId}/items?size=1&page=0&excluded=${excluded}`);
    if (p.total > 0) return true;
  }
  return false;
}

/** How many of the project's items are embedded (0 when the embedding service cannot say). */
export async function embeddedCount(projectId) {
  try {
    return (await api.embedding(`/api/projects/${projectId}/embeddings/status`)).embedded || 0;
  } catch (e) {
    return 0;
  }
}

/** itemId -> side (train, val, out) from the dataset service; empty before the first split. */
export async function loadSides(projectId, known = true) {
  const sides = new Map();
  if (!known) return sides;
  try {
    for (let page = 0; ; page++) {
      const p = await api.dataset(`/api/projects/${projectId}/split/items?size=10000&page=${page}`);
      for (const a of p.items) sides.set(a.itemId, a.side);
      if ((page + 1) * 10000 >= p.total) break;
    }
  } catch (e) { /* no split yet */ }
  return sides;
}

/**
 * The embedding service's findings: {byItem: itemId -> [finding], suspicious: item ids by score, shift, current}. They
 * come at once, the last computed ones while newer ones are computed (current false: ask again in a moment).
 */
export async function loadFindings(projectId, embedded = 1) {
  const byItem = new Map();
  const suspicious = [];
  let shift = null;
  let current = true;
  if (embedded === 0) return { byItem, suspicious, shift, current };
  try {
    const f = await api.embedding(`/api/projects/${projectId}/findings?limit=5000&allowStale=true`);
    current = f.asOf?.current !== false;
    for (const x of f.findings) {
      for (const id of x.itemIds) {
        if (!byItem.has(id)) byItem.set(id, []);
        byItem.get(id).push(x);
      }
      if (x.type === 'label-issue') suspicious.push(x.itemIds[0]);
    }
    shift = f.shift?.trainVsValAuc ?? null;
  } catch (e) { /* not embedded yet */ }
  return { byItem, suspicious, shift, current };
}

/**
 * Items by id in the order given, with one list request per IDS_PER_REQUEST ids (ids=, not one request per item);
 * ids that name no item of the project are left out. `filters` are further query parameters (label, source, excluded;
 * excluded defaults to any, so excluded items come too).
 */
export async function itemsByIds(projectId, ids, filters = {}) {
  const chunks = [];
  for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) chunks.push(ids.slice(i, i + IDS_PER_REQUEST));
  const pages = await Promise.all(chunks.map(chunk => {
    const q = new URLSearchParams({ excluded: 'any', ...filters, size: chunk.length });
    // the commas unencoded: ~37 characters an id keeps a request of IDS_PER_REQUEST ids under a proxy's 8 KB line
    return api.label(`/api/projects/${projectId}/items?${q}&ids=${chunk.join(',')}`);
  }));
  return pages.flatMap(p => p.items);
}

/** Ids per list request: a whole grid page, and a request line that fits a proxy's usual 8 KB buffer. */
export const IDS_PER_REQUEST = 150;
