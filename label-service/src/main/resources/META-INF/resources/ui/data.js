// What the grid and the map both show about items besides their labels: the split side and the findings.
import * as api from './api.js';

/** itemId -> side (train, val, out) from the dataset service; empty before the first split. */
export async function loadSides(projectId) {
  const sides = new Map();
  try {
    for (let page = 0; ; page++) {
      const p = await api.dataset(`/api/projects/${projectId}/split/items?size=10000&page=${page}`);
      for (const a of p.items) sides.set(a.itemId, a.side);
      if ((page + 1) * 10000 >= p.total) break;
    }
  } catch (e) { /* no split yet */ }
  return sides;
}

/** The embedding service's findings: {byItem: itemId -> [finding], suspicious: item ids by score, shift}. */
export async function loadFindings(projectId) {
  const byItem = new Map();
  const suspicious = [];
  let shift = null;
  try {
    const f = await api.embedding(`/api/projects/${projectId}/findings?limit=5000`);
    for (const x of f.findings) {
      for (const id of x.itemIds) {
        if (!byItem.has(id)) byItem.set(id, []);
        byItem.get(id).push(x);
      }
      if (x.type === 'label-issue') suspicious.push(x.itemIds[0]);
    }
    shift = f.shift?.trainVsValAuc ?? null;
  } catch (e) { /* not embedded yet */ }
  return { byItem, suspicious, shift };
}
