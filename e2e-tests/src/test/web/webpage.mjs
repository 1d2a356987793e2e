// Browser test of Loupe's web page against the real services: drives headless Chromium with playwright-core.
// Env: LOUPE_LABEL_URL, LOUPE_EMBEDDING_URL, LOUPE_AUGMENT_URL, LOUPE_DATASET_URL, LOUPE_PROJECT, PLAYWRIGHT_DIR,
// CHROMIUM, SCREENSHOTS (folder), LOUPE_EMPTY_PROJECT (no items yet), LOUPE_DUPLICATE_ITEM and LOUPE_DUPLICATE_PAIRS
// (an item in that many duplicate pairs). The review step accepts the review queue's first suggestion with the
// keyboard. Prints one JSON line of results; exits non-zero on the first failed check,
// and when any page, once signed in, logged a console error or threw (every view, an empty project and a full one).
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const require = createRequire(path.join(process.env.PLAYWRIGHT_DIR, 'noop.js'));
const { chromium } = require('playwright-core');
const env = process.env;
const shots = env.SCREENSHOTS;
const results = {};

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

const passwords = JSON.parse(env.LOUPE_USERS);

// every console error and uncaught error of a signed-in page (before sign-in, /api/auth/me answers 401 by design)
const consoleErrors = [];
// the one failure a test provokes on purpose: ben, a viewer, tries a relabel and is refused
let expect403 = null;

function noErrorsSoFar(where) {
  check(consoleErrors.length === 0, `no console errors (${where}): ${consoleErrors.join(' | ')}`);
}

const L = env.LOUPE_LABEL_URL;
const P = env.LOUPE_PROJECT;
const EMPTY = env.LOUPE_EMPTY_PROJECT;
const hashOf = page => decodeURIComponent(new URL(page.url()).hash);

async function open(browser, user) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  await context.addInitScript(([services, project]) => {
    localStorage.setItem('loupe.services', services);
    localStorage.setItem('loupe.project', project);
  }, [JSON.stringify({ embedding: env.LOUPE_EMBEDDING_URL, augment: env.LOUPE_AUGMENT_URL, dataset: env.LOUPE_DATASET_URL }),
    env.LOUPE_PROJECT]);
  const page = await context.newPage();
  let signedIn = false;
  page.on('pageerror', e => {
    console.error(`[${user}] page error: ${e.message}`);
    consoleErrors.push(`[${user}] page error at ${page.url()}: ${e.message}`);
  });
  page.on('console', m => {
    if (m.type() !== 'error') return;
    const where = m.location()?.url || '';
    console.error(`[${user}] console: ${m.text()} (${where})`);
    if (!signedIn) return;
    if (expect403 === user && m.text().includes('403') && /\/api\/items\/[^/]+\/label$/.test(where)) return;
    consoleErrors.push(`[${user}] console at ${page.url()}: ${m.text()} (${where})`);
  });
  page.on('response', async r => {
    if (r.status() >= 400) console.error(`[${user}] ${r.request().method()} ${r.url()} -> ${r.status()}: ${(await r.text().catch(() => '')).slice(0, 400)}`);
  });
  // the page sends whoever is not signed in to the sign-in page
  await page.goto(`${env.LOUPE_LABEL_URL}/#/grid`);
  await page.waitForURL(/signin\.html/);
  await page.fill('#username', user);
  await page.fill('#password', passwords[user]);
  await page.click('#signin');
  await page.waitForFunction(u => document.getElementById('user')?.textContent.includes(u), user);
  signedIn = true;
  return { context, page };
}

const browser = await chromium.launch({ executablePath: env.CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const ana = await open(browser, 'ana');
  const ben = await open(browser, 'ben');

  results.signedInAs = (await ana.page.locator('#user').textContent()).trim();
  // ben is a viewer: the services refuse his changes (the page's own session cookie and CSRF token, nothing else)
  expect403 = 'ben';
  results.benRelabelStatus = await ben.page.evaluate(async () => {
    const items = await (await fetch(`/api/projects/${localStorage.getItem('loupe.project')}/items?size=1`)).json();
    const csrf = decodeURIComponent(document.cookie.split('; ').find(c => c.startsWith('loupe_csrf=')).split('=')[1]);
    const r = await fetch(`/api/items/${items.items[0].id}/label`, { method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'If-Match': `"${items.items[0].version}"`, 'X-Loupe-CSRF': csrf },
      body: JSON.stringify({ label: items.items[0].label }) });
    return r.status;
  });
  await ben.page.waitForTimeout(300);
  expect403 = null;

  // 0. a link to a project opens that project (not the one the browser used last), every view of an empty project
  // shows its empty state without a console error, and a reload stays there
  await ana.page.goto(`${L}/#/grid?project=${EMPTY}`);
  await ana.page.reload();
  await ana.page.waitForFunction(p => document.getElementById('project').value === p
    && /^0 items/.test(document.querySelector('#main .count')?.textContent || ''), EMPTY);
  await ana.page.waitForSelector('#panel #empty');
  results.emptyProjectOpened = await ana.page.locator('#project').inputValue();
  for (const [view, ready] of [['map', () => /no map yet/.test(document.getElementById('map-info')?.textContent || '')],
    ['augment', () => !!document.querySelector('#policy table') && document.getElementById('jobs') !== null],
    ['scores', () => /No versions yet/.test(document.getElementById('scores-info')?.textContent || '')],
    ['dataset', () => /no split yet/.test(document.getElementById('split-info')?.textContent || '')
      && /no versions yet/.test(document.getElementById('versions')?.textContent || '')]]) {
    await ana.page.click(`#nav a[data-view=${view}]`);
    await ana.page.waitForFunction(ready);
    const hash = hashOf(ana.page);
    check(hash.startsWith(`#/${view}?`) && hash.includes(`project=${EMPTY}`), `the URL names the view and the project: ${hash}`);
    await ana.page.waitForTimeout(1500);
    await ana.page.screenshot({ path: path.join(shots, `ui-empty-${view}.png`) });
    noErrorsSoFar(`the empty project's ${view} view`);
  }
  await ana.page.reload();
  await ana.page.waitForFunction(p => document.getElementById('project').value === p
    && document.getElementById('main').dataset.view === 'dataset', EMPTY);

  // another project in the picker: the same view of it, a new history entry; Back returns to the empty one
  await ana.page.selectOption('#project', P);
  await ana.page.waitForSelector('#split-chart svg rect');
  check(hashOf(ana.page) === `#/dataset?project=${P}`, `changing project updates the URL: ${hashOf(ana.page)}`);
  await ana.page.goBack();
  await ana.page.waitForFunction(p => document.getElementById('project').value === p, EMPTY);
  check(hashOf(ana.page) === `#/dataset?project=${EMPTY}`, `Back returns to the empty project: ${hashOf(ana.page)}`);
  await ana.page.goForward();
  await ana.page.waitForFunction(p => document.getElementById('project').value === p, P);
  noErrorsSoFar('switching projects');

  // 1. the grid shows the imported images
  for (const { page } of [ana, ben]) {
    await page.goto(`${L}/#/grid?project=${P}`);
    await page.waitForSelector('#grid .item img');
    await page.waitForFunction(() => document.body.dataset.live === 'on');
  }
  const cards = await ana.page.locator('#grid .item').count();
  check(cards > 0, 'the grid shows items');
  results.gridItems = cards;
  await ana.page.waitForFunction(() => [...document.querySelectorAll('#grid .item img')].every(i => i.complete && i.naturalWidth > 0));
  await ana.page.screenshot({ path: path.join(shots, 'ui-review-grid.png') });

  // 2. keyboard relabel: the first item becomes the second class; the history shows it; ben sees it live
  const first = ana.page.locator('#grid .item').first();
  const itemId = await first.getAttribute('data-id');
  const before = await first.locator('[data-role=label]').textContent();
  const classes = JSON.parse(env.LOUPE_CLASSES);
  const target = classes[1] === before ? classes[2] : classes[1];
  const key = String(classes.indexOf(target) + 1);
  await first.click();
  // the live update is timed from the moment the label service answered the edit (it is stored) to ben's grid
  // showing it: neither the key press nor ana's own page updating counts
  const edited = ana.page.waitForResponse(r => r.request().method() === 'PUT' && r.url().endsWith(`/api/items/${itemId}/label`));
  await ana.page.keyboard.press(key);
  const answer = await edited;
  const editedAt = Date.now();
  check(answer.status() === 200, `the relabel was stored: ${answer.status()}`);
  await ben.page.waitForFunction(([id, label]) =>
    document.querySelector(`#grid [data-id="${id}"] [data-role=label]`)?.textContent === label, [itemId, target], { timeout: 5000 });
  results.liveMs = Date.now() - editedAt;
  await ana.page.waitForFunction(([id, label]) =>
    document.querySelector(`#grid [data-id="${id}"] [data-role=label]`)?.textContent === label, [itemId, target]);
  await ana.page.waitForFunction(label => [...document.querySelectorAll('#history li')].some(li =>
    li.textContent.includes(`→ ${label}`) && li.textContent.includes('by ana')), target);
  results.relabelled = { itemId, from: before, to: target };
  await ana.page.screenshot({ path: path.join(shots, 'ui-review-panel.png') });

  // 2b. undo with u
  await ana.page.keyboard.press('u');
  await ana.page.waitForFunction(([id, label]) =>
    document.querySelector(`#grid [data-id="${id}"] [data-role=label]`)?.textContent === label, [itemId, before]);

  // 2c. the selected item is in the URL: a reload shows it again, focused and in the panel
  check(hashOf(ana.page) === `#/grid?project=${P}&item=${itemId}`, `the URL names the selected item: ${hashOf(ana.page)}`);
  await ana.page.reload();
  await ana.page.waitForSelector(`#grid .item.focus[data-id="${itemId}"]`);
  await ana.page.waitForSelector(`#panel[data-item-id="${itemId}"] #history li`);
  results.reloadedItem = await ana.page.locator('#panel').getAttribute('data-item-id');

  // 2d. the item opens in the eraser from the grid, and the eraser keeps it over a reload
  await ana.page.click('#open-eraser');
  await ana.page.waitForFunction(id => document.getElementById('erase-canvas')?.dataset.itemId === id, itemId);
  check(hashOf(ana.page) === `#/augment?project=${P}&item=${itemId}`, `the eraser's URL names the item: ${hashOf(ana.page)}`);
  await ana.page.reload();
  await ana.page.waitForFunction(id => document.getElementById('erase-canvas')?.dataset.itemId === id, itemId);
  results.eraserItem = await ana.page.locator('#erase-canvas').getAttribute('data-item-id');
  await ana.page.goBack();
  await ana.page.waitForSelector(`#panel[data-item-id="${itemId}"]`);

  // 2e. an item in several duplicate pairs: one badge with the count; a link to it shows it in the panel
  const dup = env.LOUPE_DUPLICATE_ITEM;
  await ana.page.goto(`${L}/#/grid?project=${P}&item=${dup}`);
  await ana.page.waitForSelector(`#panel[data-item-id="${dup}"]`);
  // the findings page comes in one list request naming its items (ids=), not one request per item
  const gridRequests = [];
  const onRequest = r => { if (r.resourceType() === 'fetch') gridRequests.push(new URL(r.url())); };
  ana.page.on('request', onRequest);
  await ana.page.selectOption('#f-finding', 'duplicate');
  await ana.page.waitForSelector(`#grid [data-id="${dup}"]`);
  ana.page.off('request', onRequest);
  results.findingsPage = {
    perItem: gridRequests.filter(u => /^\/api\/items\/[0-9a-f-]{36}$/.test(u.pathname)).length,
    byIds: gridRequests.filter(u => u.pathname === `/api/projects/${P}/items` && u.searchParams.get('ids')).length,
  };
  check(results.findingsPage.perItem === 0 && results.findingsPage.byIds === 1,
    `the findings page is one ids= request: ${gridRequests.map(String).join(' ')}`);
  const dupBadges = ana.page.locator(`#grid [data-id="${dup}"] .badge.duplicate`);
  check(await dupBadges.count() === 1, `one duplicate badge, not one per pair: ${await dupBadges.count()}`);
  results.duplicateBadge = await dupBadges.getAttribute('data-count');
  check((await dupBadges.textContent()).includes(`×${env.LOUPE_DUPLICATE_PAIRS}`), `the badge says ×${env.LOUPE_DUPLICATE_PAIRS}`);
  await ana.page.screenshot({ path: path.join(shots, 'ui-duplicates.png') });
  noErrorsSoFar('the grid');

  // 3. the map: a lasso around the middle selects points and shows their images. Reached straight from a grid that
  // is still loading: the grid's late answers must change nothing (they used to throw on the map's page)
  await ana.page.goto(`${L}/#/grid?project=${P}`);
  await ana.page.click('#nav a[data-view=map]');
  await ana.page.waitForTimeout(1500);
  noErrorsSoFar('leaving a grid that was still loading');
  await ana.page.waitForFunction(() => +(document.getElementById('map-canvas')?.dataset.points || 0) > 0, null, { timeout: 60000 });
  const box = await ana.page.locator('#map-canvas').boundingBox();
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2, r = Math.min(box.width, box.height) * 0.42;
  await ana.page.mouse.move(cx + r, cy);
  await ana.page.mouse.down();
  for (let a = 0; a <= 2 * Math.PI + 0.01; a += Math.PI / 16) await ana.page.mouse.move(cx + r * Math.cos(a), cy + r * Math.sin(a));
  await ana.page.mouse.up();
  await ana.page.waitForSelector('#selection figure img');
  results.lassoSelected = await ana.page.locator('#selection figure').count();
  check(results.lassoSelected > 0, 'the lasso selected points');
  // the canvas says what it selected and how long that took (benchmarks/scale/page.mjs reads the same at 100k)
  const measured = await ana.page.locator('#map-canvas').evaluate(c => ({ selected: +c.dataset.selected,
    selectMs: +c.dataset.selectMs, drawMs: +c.dataset.drawMs }));
  check(measured.selected >= results.lassoSelected && measured.selectMs >= 0 && measured.drawMs >= 0,
    `the map's measurements: ${JSON.stringify(measured)}`);
  results.lassoMs = measured.selectMs;
  await ana.page.screenshot({ path: path.join(shots, 'ui-map.png') });
  // a link to an item on the map selects it and its neighbours
  await ana.page.goto(`${L}/#/map?project=${P}&item=${itemId}`);
  // the lasso's strip may still hold the item until the link's selection replaces it: wait for the item to lead
  await ana.page.waitForFunction(id => document.querySelector('#selection figure')?.dataset.id === id, itemId, { timeout: 60000 })
    .catch(() => {});
  results.mapItem = await ana.page.locator('#selection figure').first().getAttribute('data-id');

  // 4. augment: erase the right half of an item on the canvas and save what is left as a glyph
  await ana.page.goto(`${env.LOUPE_LABEL_URL}/#/augment`);
  await ana.page.selectOption('#erase-class', env.LOUPE_GLYPH_CLASS);
  await ana.page.click('#erase-pick');
  await ana.page.waitForFunction(() => !!document.getElementById('erase-canvas').dataset.itemId);
  const c = await ana.page.locator('#erase-canvas').boundingBox();
  // the image keeps its aspect ratio at the canvas' top left: stroke within it, whatever the picked item's shape
  const drawn = await ana.page.locator('#erase-canvas').evaluate(e => ({
    w: +e.dataset.imageWidth / e.width, h: +e.dataset.imageHeight / e.height }));
  await ana.page.locator('#erase-brush').fill('10');
  // one stroke down the right edge: the glyph keeps most of its ink
  await ana.page.mouse.move(c.x + c.width * drawn.w * 0.9, c.y + 4);
  await ana.page.mouse.down();
  await ana.page.mouse.move(c.x + c.width * drawn.w * 0.9, c.y + c.height * drawn.h - 4, { steps: 20 });
  await ana.page.mouse.up();
  await ana.page.fill('#glyph-symbol', 'v');
  await ana.page.click('#save-glyph');
  await ana.page.waitForSelector('#library .glyph img');
  results.glyphs = await ana.page.locator('#library .glyph').count();
  await ana.page.locator('#library .glyph').first().click();
  await ana.page.waitForFunction(() => document.getElementById('compose-sequence').textContent.includes('v'));
  await ana.page.screenshot({ path: path.join(shots, 'ui-augment.png') });

  // 5. dataset: freeze a version and download its export
  await ana.page.goto(`${env.LOUPE_LABEL_URL}/#/dataset`);
  await ana.page.waitForSelector('#split-chart svg rect');
  await ana.page.fill('#version-name', 'ui-round-1');
  await ana.page.click('text=Freeze version');
  await ana.page.waitForSelector('#versions li[data-version] a.export');
  const [download] = await Promise.all([ana.page.waitForEvent('download'), ana.page.click('#versions li[data-version] a.export')]);
  const file = path.join(shots, '..', 'ui-export.zip');
  await download.saveAs(file);
  const head = fs.readFileSync(file).subarray(0, 2).toString('latin1');
  check(head === 'PK', 'the export is a zip');
  results.exportBytes = fs.statSync(file).size;
  results.versionId = await ana.page.locator('#versions li[data-version]').first().getAttribute('data-version');
  // the trainer service trains the new version by itself; its score appears next to it
  await ana.page.waitForFunction(() => /val accuracy \d/.test(document.querySelector('#versions li[data-version] .evaluations')?.textContent || ''),
    null, { timeout: 180000 });
  results.score = (await ana.page.locator('#versions li[data-version] .evaluations').first().textContent()).trim();
  await ana.page.screenshot({ path: path.join(shots, 'ui-dataset.png'), fullPage: true });

  // 6. the review queue: progress at the top, the first flagged item large with its evidence, suggestion and
  // neighbours; a link names an item further down; 'a' accepts the suggestion and the next item shows at once
  await ana.page.click('#nav a[data-view=review]');
  await ana.page.waitForSelector('#review-item[data-item-id] #review-image');
  check(hashOf(ana.page).startsWith(`#/review?project=${P}&item=`), `the review URL names project and item: ${hashOf(ana.page)}`);
  await ana.page.waitForFunction(() => /^\d+ of \d+ reviewed, \d+ changed/.test(document.getElementById('review-count')?.textContent || ''));
  const reviewedBefore = +(await ana.page.locator('#review-progress').getAttribute('data-reviewed'));
  const changedBefore = +(await ana.page.locator('#review-progress').getAttribute('data-changed'));
  check(await ana.page.locator('#review-reasons li').count() > 0, 'the item shows why it is flagged');
  check(await ana.page.locator('#review-neighbours figure').count() > 0, 'the item shows its same-style neighbours');
  check(await ana.page.locator('#review-keys .class-key').count() === classes.length, 'every class is a key in the legend');
  // a link to an item further down the queue shows it first
  const later = await ana.page.locator('#review-next figure').last().getAttribute('data-id');
  await ana.page.goto(`${L}/#/review?project=${P}&item=${later}`);
  await ana.page.waitForSelector(`#review-item[data-item-id="${later}"] #review-image`);
  results.reviewLinkedItem = later;
  // the first item with a suggestion: accepted with one key
  await ana.page.goto(`${L}/#/review?project=${P}`);
  await ana.page.waitForSelector('#review-item[data-item-id] #review-suggested');
  await ana.page.waitForFunction(() => [...document.querySelectorAll('#review-item img')].every(i => i.complete && i.naturalWidth > 0));
  await ana.page.screenshot({ path: path.join(shots, 'ui-review-queue.png') });
  const reviewed = await ana.page.locator('#review-item').getAttribute('data-item-id');
  const from = (await ana.page.locator('#review-label').textContent()).trim();
  const suggested = (await ana.page.locator('#review-suggested').textContent()).trim();
  const decided = ana.page.waitForResponse(r => r.request().method() === 'POST' && r.url().endsWith(`/api/projects/${P}/reviews`));
  await ana.page.keyboard.press('a');
  const decision = await decided;
  check(decision.status() === 201, `the decision was recorded: ${decision.status()}`);
  const review = await decision.json();
  check(review.decision === 'ACCEPT' && review.outcome === 'APPLIED' && review.label === suggested && review.by === 'ana',
    `ana's accept applied the suggestion: ${JSON.stringify(review)}`);
  // the next item at once, the progress counts it
  await ana.page.waitForFunction(id => document.getElementById('review-item')?.dataset.itemId !== id, reviewed);
  await ana.page.waitForFunction(([r, c]) => +document.getElementById('review-progress').dataset.reviewed === r
    && +document.getElementById('review-progress').dataset.changed === c, [reviewedBefore + 1, changedBefore + 1]);
  results.reviewed = { itemId: reviewed, from, to: suggested, progress: (await ana.page.locator('#review-count').textContent()).trim() };
  await ana.page.waitForTimeout(1000);
  noErrorsSoFar('the review queue');

  // 7. scores: a second version (it has the accepted suggestion), evaluated by the trainer with the same seed as the
  // first; the Scores view plots one point per version, the newest evaluation's confusion matrix (classes x classes
  // cells) and one bar per class between the two versions, with the comparison's verdict (one seed pair: no interval)
  // first the validation side is frozen at ui-round-1 in the split settings, so the review's relabel cannot move it
  // and the two versions are scored on the same items (else the comparison would be "not comparable")
  await ana.page.goto(`${L}/#/dataset?project=${P}`);
  await ana.page.waitForSelector('#versions li[data-version]');
  await ana.page.waitForSelector('#split-frozen option:has-text("ui-round-1")', { state: 'attached' });
  await ana.page.selectOption('#split-frozen', { label: 'ui-round-1' });
  await ana.page.click('form:has(#split-frozen) button[type=submit]');
  await ana.page.waitForFunction(() => /validation side frozen at ui-round-1 \(\d+ items\)/
    .test(document.getElementById('split-info')?.textContent || ''), null, { timeout: 60000 });
  results.frozenSplit = await ana.page.locator('#split-info').textContent();
  await ana.page.fill('#version-name', 'ui-round-2');
  await ana.page.click('text=Freeze version');
  await ana.page.waitForFunction(() => document.querySelectorAll('#versions li[data-version]').length === 2
    && /val accuracy \d/.test(document.querySelector('#versions li[data-version] .evaluations')?.textContent || ''), null, { timeout: 240000 });
  await ana.page.click('#nav a[data-view=scores]');
  await ana.page.waitForSelector('#delta-chart rect.delta', { state: 'attached', timeout: 60000 });
  const scores = () => ana.page.evaluate(() => ({
    points: document.querySelectorAll('#score-chart g.score.val circle').length,
    titles: [...document.querySelectorAll('#score-chart g.score.val > title')].map(t => t.textContent),
    cells: document.querySelectorAll('#confusion-chart rect.cell').length,
    bars: document.querySelectorAll('#delta-chart rect.delta').length,
    verdict: document.getElementById('compare-verdict').textContent,
    version: document.getElementById('compare-version').value,
    against: document.getElementById('compare-against').value }));
  results.scores = await scores();
  check(results.scores.titles.every(t => /n=\d/.test(t)), `every point says its n on hover: ${results.scores.titles}`);
  const scoresHash = hashOf(ana.page);
  check(scoresHash.startsWith(`#/scores?project=${P}&`) && scoresHash.includes(`version=${results.scores.version}`)
    && scoresHash.includes(`against=${results.scores.against}`), `the URL names the compared versions: ${scoresHash}`);
  await ana.page.screenshot({ path: path.join(shots, 'ui-scores.png'), fullPage: true });
  // a reload (or a shared link) shows the same versions compared
  await ana.page.reload();
  await ana.page.waitForSelector('#delta-chart rect.delta', { state: 'attached' });
  const reloaded = await scores();
  check(reloaded.version === results.scores.version && reloaded.against === results.scores.against,
    `a reload keeps the compared versions: ${JSON.stringify(reloaded)}`);
  // the verdict on the validation side instead (a frozen side may hold far more items than a test folder); the URL keeps it
  const onVal = ana.page.waitForResponse(r => r.url().includes('/compare?') && r.url().includes('basis=val'));
  await ana.page.selectOption('#compare-basis', 'val');
  check((await onVal).status() === 200, 'the comparison on the validation side answered');
  await ana.page.waitForFunction(() => /; val accuracy, \d+ seed pair/.test(document.getElementById('compare-verdict')?.textContent || ''));
  check(hashOf(ana.page).includes('basis=val'), `the URL keeps the basis: ${hashOf(ana.page)}`);
  results.scores.onVal = (await ana.page.locator('#compare-verdict').textContent()).trim();
  await ana.page.waitForTimeout(1000);
  noErrorsSoFar('the scores view');

  // 8. curation: the empty project's Curation view says so; on the full project a plan is proposed within a small
  // budget (LOUPE_ITEMS, the project's items, + 40), its actions render with their words, evidence and checkboxes, and
  // applying it (2 epochs) reaches APPLIED with a version, then the evaluation's measured effect against the version
  // the plan was based on
  await ana.page.goto(`${L}/#/curation?project=${EMPTY}`);
  await ana.page.waitForSelector('#plans-empty');
  await ana.page.waitForSelector('#plan-none');
  await ana.page.waitForSelector('#runs-empty');
  noErrorsSoFar("the empty project's curation view");
  await ana.page.goto(`${L}/#/curation?project=${P}`);
  await ana.page.waitForSelector('#plans-empty, #plans li[data-plan-id]');
  const budget = +env.LOUPE_ITEMS + 40;
  await ana.page.fill('#plan-budget', String(budget));
  await ana.page.fill('#plan-min-confidence', '0.9');
  const proposed = ana.page.waitForResponse(r => r.request().method() === 'POST' && r.url().endsWith(`/api/projects/${P}/curation-plans`));
  await ana.page.click('#plan-propose');
  const proposal = await proposed;
  check(proposal.status() === 201, `the plan was proposed: ${proposal.status()}`);
  const plan = await proposal.json();
  check(plan.actions.length > 0 && plan.actions.some(a => a.auto), `the plan has automatic actions: ${JSON.stringify(plan.actions.map(a => a.kind))}`);
  await ana.page.waitForSelector(`#plan[data-plan-id="${plan.planId}"] #plan-actions li`);
  check(await ana.page.locator('#plan-actions > li').count() === plan.actions.length, 'one line per action');
  check(await ana.page.locator('#plan-actions .plan-action-check:checked').count() === plan.actions.filter(a => a.auto).length,
    'every automatic action has a checked box');
  check(await ana.page.locator('#plan-actions li[data-kind=REVIEW] a.review-link').count() === plan.actions.filter(a => a.kind === 'REVIEW').length,
    'review actions link to the queue');
  const firstWords = (await ana.page.locator('#plan-actions li .words').first().textContent()).trim();
  check(/^(exclude|relabel|review|add|compose) \d+ /.test(firstWords), `an action in words: ${firstWords}`);
  check((await ana.page.locator('#plan-items').textContent()).includes(`of a budget of ${budget}`), 'items against the budget');
  check(hashOf(ana.page) === `#/curation?project=${P}&plan=${plan.planId}`, `the URL names the plan: ${hashOf(ana.page)}`);
  await ana.page.screenshot({ path: path.join(shots, 'ui-curation-plan.png'), fullPage: true });
  // apply it: progress, then APPLIED with a version, then the effect once the evaluation completed
  await ana.page.fill('#apply-epochs', '2');
  const applying = ana.page.waitForResponse(r => r.request().method() === 'POST' && r.url().endsWith(`/api/curation-plans/${plan.planId}/apply`));
  await ana.page.click('#apply-plan');
  check((await applying).status() === 202, 'the plan is being applied');
  await ana.page.waitForSelector('#plan-status[data-status=APPLIED]', { timeout: 240000 });
  await ana.page.waitForSelector('#plan-version[data-version]');
  const planVersion = await ana.page.locator('#plan-version').getAttribute('data-version');
  await ana.page.waitForSelector('#effect-verdict', { timeout: 300000 });
  results.curation = { planId: plan.planId, actions: plan.actions.map(a => a.kind), versionId: planVersion,
    verdict: await ana.page.locator('#effect-verdict').getAttribute('data-verdict'),
    effect: (await ana.page.locator('#effect-verdict').textContent()).trim() };
  await ana.page.screenshot({ path: path.join(shots, 'ui-curation-effect.png'), fullPage: true });
  // a reload opens the same plan; it is in the project's list
  await ana.page.reload();
  await ana.page.waitForSelector(`#plan[data-plan-id="${plan.planId}"] #plan-status[data-status=APPLIED]`);
  await ana.page.waitForSelector(`#plans li[data-plan-id="${plan.planId}"]`);
  // automatic rounds: one started from the card is listed, and Cancel stops it
  await ana.page.fill('#run-budget', String(budget + 20));
  await ana.page.fill('#run-rounds', '1');
  await ana.page.fill('#run-epochs', '1');
  const started = ana.page.waitForResponse(r => r.request().method() === 'POST' && r.url().endsWith(`/api/projects/${P}/curation-runs`));
  await ana.page.click('#run-start');
  const run = await (await started).json();
  check(['QUEUED', 'RUNNING'].includes(run.status), `the run started: ${JSON.stringify(run)}`);
  await ana.page.click(`#runs li[data-run-id="${run.runId}"] .run-cancel`);
  await ana.page.waitForSelector(`#runs li[data-run-id="${run.runId}"][data-status=CANCELLED]`);
  results.curation.runId = run.runId;
  noErrorsSoFar('the curation view');

  // whatever was still on its way when the last view was left
  await ana.page.waitForTimeout(1500);
  results.consoleErrors = consoleErrors.length;
  noErrorsSoFar('all views');
  console.log(JSON.stringify(results));
} catch (e) {
  console.error(e.stack || String(e));
  for (const ctx of browser.contexts()) for (const p of ctx.pages()) {
    try {
      console.error(`toasts: ${await p.locator('#toasts').textContent()}`);
      await p.screenshot({ path: path.join(shots, `failure-${Date.now()}.png`) });
    } catch (ignored) { /* page gone */ }
  }
  console.log(JSON.stringify({ ...results, error: String(e.message || e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
