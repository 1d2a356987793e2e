// The web page at scale, measured in headless Chromium: signs in, opens a project's map, waits for it to be drawn and
// reads how long the draw took (the map canvas' data-draw-ms), drags a lasso around the densest part of the map sized
// to hold about LOUPE_LASSO_POINTS points (10,000) and reads how long the selection took (data-select-ms: hit test,
// the strip's first page and the redraw) and how many points it holds, pans the map once (a redraw at that size), then
// loads grid pages: the first page, a class filter, the next page and a findings filter (each one ids= request) and
// times each until its cards are shown. Prints one JSON object.
//
//   PLAYWRIGHT_DIR=<folder with node_modules/playwright-core> LOUPE_ADMIN_PASSWORD=... \
//     node benchmarks/scale/page.mjs <project id>
// Env: LOUPE_LABEL_URL (http://localhost:8081), LOUPE_USER (admin), LOUPE_PASSWORD (else LOUPE_ADMIN_PASSWORD),
// CHROMIUM (/usr/bin/chromium), LOUPE_LASSO_POINTS (10000), LOUPE_SYNTHETIC_POINTS (0), SCREENSHOTS (a folder: the
// map with the lasso's selection is saved there as ui-map-scale.png), LOUPE_UI_DIR (a folder whose files answer the
// page's ui/ requests, e.g. label-service/src/main/resources/META-INF/resources/ui: a working tree's page against a
// running service without rebuilding it).
// LOUPE_SYNTHETIC_POINTS=100000 measures the map without a 100k project: the script answers the page's requests for
// the project's embedding status, map, findings and split itself (Playwright's page.route) with that many synthetic
// points in ten clusters (their ids are the project's real items repeated, then made-up ones), so the real page draws
// and selects them; the grid measurements still use the real project. (WebPageIT installs playwright-core with npm
// into e2e-tests/target/web-node: that folder works.)
import { createRequire } from 'node:module';
import path from 'node:path';

const env = process.env;
const P = process.argv[2] || env.LOUPE_PROJECT;
const password = env.LOUPE_PASSWORD || env.LOUPE_ADMIN_PASSWORD;
if (!env.PLAYWRIGHT_DIR || !password || !P) {
  console.error('usage: PLAYWRIGHT_DIR=... LOUPE_ADMIN_PASSWORD=... node benchmarks/scale/page.mjs <project id>');
  process.exit(2);
}
const require = createRequire(path.join(env.PLAYWRIGHT_DIR, 'noop.js'));
const { chromium } = require('playwright-core');
const L = env.LOUPE_LABEL_URL || 'http://localhost:8081';
const wantedInLasso = +(env.LOUPE_LASSO_POINTS || 10000);
const synthetic = +(env.LOUPE_SYNTHETIC_POINTS || 0);
const results = { project: P, at: new Date().toISOString() };

/** n points in ten Gaussian clusters (seeded), labelled by cluster; ids from `real`, then made up. */
function syntheticMap(n, real, classes) {
  let seed = 42;
  const random = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
  const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random());
  const itemIds = [], x = [], y = [], labels = [];
  for (let i = 0; i < n; i++) {
    const c = i % 10;
    itemIds.push(i < real.length ? real[i] : `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    x.push(Math.cos(c * 0.628) * 10 + gauss() * 1.6);
    y.push(Math.sin(c * 0.628) * 10 + gauss() * 1.6);
    labels.push(classes[c % classes.length]);
  }
  return { projectId: P, mapVersion: 1, itemIds, x, y, labels };
}

const browser = await chromium.launch({ executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  if (env.LOUPE_UI_DIR) {
    await context.route(/\/ui\/[a-z]+\.(js|css)$/, r => r.fulfill({ path: path.join(env.LOUPE_UI_DIR, path.basename(new URL(r.request().url()).pathname)),
      contentType: r.request().url().endsWith('.css') ? 'text/css' : 'text/javascript' }));
  }
  const page = await context.newPage();
  page.on('pageerror', e => console.error(`page error: ${e.message}`));
  await page.goto(`${L}/#/grid`);
  await page.waitForURL(/signin\.html/);
  await page.fill('#username', env.LOUPE_USER || 'admin');
  await page.fill('#password', password);
  await page.click('#signin');
  await page.waitForFunction(() => document.getElementById('user')?.textContent.trim().length > 0);

  if (synthetic > 0) {
    const real = await page.evaluate(async p => {
      const ids = [];
      for (let pageNo = 0; ; pageNo++) {
        const r = await (await fetch(`/api/projects/${p}/items?size=1000&page=${pageNo}&excluded=any`)).json();
        ids.push(...r.items.map(i => i.id));
        if (r.items.length < 1000 || ids.length >= 100000) return ids;
      }
    }, P);
    const classes = (await (await page.request.get(`${L}/api/projects/${P}`)).json()).classes;
    const body = JSON.stringify(syntheticMap(synthetic, real, classes));
    const json = b => ({ status: 200, contentType: 'application/json', body: typeof b === 'string' ? b : JSON.stringify(b) });
    await page.route(`**/api/projects/${P}/embeddings/status`, r => r.fulfill(json({ items: synthetic, embedded: synthetic })));
    await page.route(`**/api/projects/${P}/map`, r => r.fulfill(json(body)));
    await page.route(`**/api/projects/${P}/findings**`, r => r.fulfill(json({ findings: [], shift: null })));
    await page.route(`**/api/projects/${P}/split/items**`, r => r.fulfill(json({ items: [], total: 0 })));
    results.synthetic = { points: synthetic, realIds: real.length };
  }

  // --- the map: drawn, then a lasso of about wantedInLasso points
  const mapStart = Date.now();
  await page.goto(`${L}/#/map?project=${P}`);
  await page.waitForFunction(() => +(document.getElementById('map-canvas')?.dataset.points || 0) > 0
    && document.getElementById('map-canvas').dataset.drawMs, null, { timeout: 300000 });
  results.map = await page.locator('#map-canvas').evaluate(c => ({ points: +c.dataset.points, drawMs: +c.dataset.drawMs }));
  results.map.openMs = Date.now() - mapStart;

  // the lasso: a circle around the densest part of the map, just large enough to hold wantedInLasso points. The points'
  // canvas positions are computed from the page's own map answer as the page places them before any pan or zoom
  // (map.js fit(): the points' bounding box scaled into the canvas with a 20 px margin)
  const plan = await page.evaluate(async ([p, wanted]) => {
    const api = await import(new URL('ui/api.js', location.href).href);
    const map = await api.embedding(`/api/projects/${p}/map`);
    const canvas = document.getElementById('map-canvas');
    const n = map.x.length, pad = 20;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      x0 = Math.min(x0, map.x[i]); x1 = Math.max(x1, map.x[i]); y0 = Math.min(y0, map.y[i]); y1 = Math.max(y1, map.y[i]);
    }
    const scale = Math.min((canvas.width - 2 * pad) / ((x1 - x0) || 1), (canvas.height - 2 * pad) / ((y1 - y0) || 1));
    const sx = new Float64Array(n), sy = new Float64Array(n);
    const cell = 30, counts = new Map();
    for (let i = 0; i < n; i++) {
      sx[i] = pad + (map.x[i] - x0) * scale; sy[i] = pad + (map.y[i] - y0) * scale;
      const k = Math.floor(sx[i] / cell) * 10000 + Math.floor(sy[i] / cell);
      counts.set(k, (counts.get(k) || 0) + 1);
    }
    const densest = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    const cx = (Math.floor(densest / 10000) + 0.5) * cell, cy = (densest % 10000 + 0.5) * cell;
    const distances = Float64Array.from(sx, (x, i) => Math.hypot(x - cx, sy[i] - cy)).sort();
    const radius = distances[Math.min(n - 1, wanted)];
    return { width: canvas.width, height: canvas.height, cx, cy, radius, inCircle: Math.min(n, wanted) };
  }, [P, wantedInLasso]);
  const { cx, cy } = plan;
  // a 48-gon around the circle (its sides touch it), so the lasso holds the circle's points
  const steps = 48;
  const radius = plan.radius / Math.cos(Math.PI / steps);
  const box = await page.locator('#map-canvas').boundingBox();
  const toPage = (x, y) => [box.x + x * box.width / plan.width, box.y + y * box.height / plan.height];
  let [px, py] = toPage(cx + radius, cy);
  await page.mouse.move(px, py);
  await page.mouse.down();
  for (let s = 1; s <= steps; s++) {
    [px, py] = toPage(cx + radius * Math.cos(2 * Math.PI * s / steps), cy + radius * Math.sin(2 * Math.PI * s / steps));
    await page.mouse.move(px, py);
  }
  await page.mouse.up();
  await page.waitForFunction(() => document.getElementById('map-canvas').dataset.selectMs);
  await page.waitForSelector('#selection figure');
  results.lasso = await page.locator('#map-canvas').evaluate(c => ({ selected: +c.dataset.selected, selectMs: +c.dataset.selectMs,
    drawMs: +c.dataset.drawMs }));
  results.lasso.stripThumbnails = await page.locator('#selection figure').count();
  results.lasso.radiusPx = Math.round(radius);
  if (env.SCREENSHOTS) await page.screenshot({ path: path.join(env.SCREENSHOTS, 'ui-map-scale.png') });

  // a pan: one more full redraw at this size
  const draws = await page.locator('#map-canvas').evaluate(c => +c.dataset.draws);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.down('Control');
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 + 20, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Control');
  await page.waitForFunction(d => +document.getElementById('map-canvas').dataset.draws > d, draws);
  results.pan = await page.locator('#map-canvas').evaluate(c => ({ drawMs: +c.dataset.drawMs }));

  // --- the grid: pages and filters, each timed from the action to its cards shown, with the requests it made
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  const grid = [];
  let requests = [];
  page.on('request', r => { if (r.resourceType() === 'fetch') requests.push(r.url()); });
  const timed = async (name, action) => {
    requests = [];
    const start = Date.now();
    await action();
    await page.waitForFunction(() => document.querySelectorAll('#grid .item').length > 0
      || /^0 items/.test(document.querySelector('#main .count')?.textContent || ''), null, { timeout: 120000 });
    const ms = Date.now() - start;
    grid.push({ name, ms, cards: await page.locator('#grid .item').count(),
      itemRequests: requests.filter(u => /\/api\/items\/[0-9a-f-]{36}$/.test(new URL(u).pathname)).length,
      listRequests: requests.filter(u => /\/api\/projects\/[^/]+\/items$/.test(new URL(u).pathname)).length,
      count: (await page.locator('#main .count').textContent()).trim() });
  };
  const waitForChange = async action => {
    const before = await page.locator('#main .count').textContent();
    const firstBefore = await page.locator('#grid .item').first().getAttribute('data-id').catch(() => null);
    await action();
    await page.waitForFunction(([b, f]) => document.querySelector('#main .count')?.textContent !== b
      || document.querySelector('#grid .item')?.dataset.id !== f, [before, firstBefore], { timeout: 120000 });
  };
  await timed('first page', async () => { await page.goto(`${L}/#/grid?project=${P}`); await page.waitForSelector('#grid .item, #panel #empty'); });
  const classes = await page.locator('#f-class option').evaluateAll(o => o.map(x => x.value).filter(Boolean));
  await timed(`class ${classes[1] || classes[0]}`, () => waitForChange(() => page.selectOption('#f-class', classes[1] || classes[0])));
  if (!/page 1 of 1$/.test(grid[grid.length - 1].count)) {
    await timed('next page', () => waitForChange(() => page.click('text=Next ›')));
  }
  await page.selectOption('#f-class', '');
  await page.waitForTimeout(500);
  await timed('findings: label issues', () => waitForChange(() => page.selectOption('#f-finding', 'label-issue')));
  results.grid = grid;
  console.log(JSON.stringify(results, null, 2));
} finally {
  await browser.close();
}
