// The README's pictures of the curation loop on the real DCAI set: after benchmarks/curation/loop.sh, opens the
// measured project's Scores view (score by version with its spread, the last version's confusion matrix on the label
// book, per-class deltas against as-imported) and its Curation view (the applied plan and its measured effect) in
// headless Chromium, signed in, and saves them as docs/images/ui-scores-dcai.png and ui-curation-dcai.png.
//
//   PLAYWRIGHT_DIR=<folder with node_modules/playwright-core> LOUPE_ADMIN_PASSWORD=... \
//     node benchmarks/curation/screenshots.mjs [results.json] [out folder]
// Env: LOUPE_LABEL_URL (http://localhost:8081), LOUPE_USER (admin), CHROMIUM (/usr/bin/chromium). The page finds the
// other services through the label service, as it does for a person. (WebPageIT installs playwright-core with npm into
// e2e-tests/target/web-node: that folder works.)
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const env = process.env;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const resultsFile = process.argv[2] || path.join(root, 'benchmarks/curation/results.json');
const out = process.argv[3] || path.join(root, 'docs/images');
if (!env.PLAYWRIGHT_DIR || !env.LOUPE_ADMIN_PASSWORD) {
  console.error('needs PLAYWRIGHT_DIR and LOUPE_ADMIN_PASSWORD');
  process.exit(2);
}
const require = createRequire(path.join(env.PLAYWRIGHT_DIR, 'noop.js'));
const { chromium } = require('playwright-core');
const L = env.LOUPE_LABEL_URL || 'http://localhost:8081';
const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
const P = results.projectId;
const versions = results.versions;
const first = versions[0];
const last = versions[versions.length - 1];
const plan = versions.find(v => v.plan)?.plan;

const browser = await chromium.launch({ executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', e => console.error(`page error: ${e.message}`));
  await page.goto(`${L}/#/grid`);
  await page.waitForURL(/signin\.html/);
  await page.fill('#username', env.LOUPE_USER || 'admin');
  await page.fill('#password', env.LOUPE_ADMIN_PASSWORD);
  await page.click('#signin');
  await page.waitForFunction(() => document.getElementById('user')?.textContent.trim().length > 0);

  await page.goto(`${L}/#/scores?project=${P}&version=${last.versionId}&against=${first.versionId}`
    + `&evaluation=${last.evaluationId}&side=test`);
  await page.waitForSelector('#delta-chart rect.delta', { state: 'attached', timeout: 60000 });
  await page.waitForSelector('#confusion-chart rect.cell', { state: 'attached', timeout: 60000 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: path.join(out, 'ui-scores-dcai.png'), fullPage: true });
  console.log(`saved ${path.join(out, 'ui-scores-dcai.png')}`);

  if (plan) {
    await page.goto(`${L}/#/curation?project=${P}&plan=${plan.planId}`);
    await page.waitForSelector('#effect-verdict', { timeout: 60000 });
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(out, 'ui-curation-dcai.png'), fullPage: true });
    console.log(`saved ${path.join(out, 'ui-curation-dcai.png')}`);
  }
} finally {
  await browser.close();
}
