// Browser end-to-end test of the office console (/console/), run by
// scripts/e2e-console.sh against a `sit serve --allow-uploads` of the
// shared fixture: Debian's Chromium driven by playwright-core (never a
// downloaded browser).
//
//   node e2e/console.test.mjs --base URL --admin USER --pro USER --password-file F \
//        --zip FILE --layer NAME --lon LON --lat LAT [--artifacts DIR] [--shots DIR]
//
// The flow: an administrator signs in, uploads the zipped Shapefile (Latin-1
// attributes, a .cpg), watches the job to its counts and rejects, finds the
// new layer public on /collections and its tile (which the server caches),
// makes it "professional" in the layers table; then an anonymous client no
// longer gets it (collections, items, the cached tile, even revalidated with
// its old ETag) while a professional does; an administrator of the instance
// publishes the office's own table from the console and unpublishes it; and
// the console turns a professional away. The numbers shown are compared with the API's own
// (GET /admin/jobs/{id}); the expected counts are those of the file the
// script built. A failing step saves a full-page screenshot in --artifacts.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core'); // from NODE_PATH (e2e/node_modules)

const { values: opt } = parseArgs({
  options: {
    base: { type: 'string' }, admin: { type: 'string' }, pro: { type: 'string' }, 'password-file': { type: 'string' },
    instance: { type: 'string' }, office: { type: 'string' },
    zip: { type: 'string' }, layer: { type: 'string' }, lon: { type: 'string' }, lat: { type: 'string' },
    read: { type: 'string', default: '3' }, loaded: { type: 'string', default: '2' }, rejected: { type: 'string', default: '1' },
    text: { type: 'string', default: 'Città vecchia' },
    artifacts: { type: 'string', default: 'artifacts/e2e-console' }, shots: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});
for (const k of ['base', 'admin', 'pro', 'password-file', 'zip', 'layer', 'lon', 'lat', 'instance', 'office']) if (!opt[k]) throw new Error(`--${k} is required`);
const base = opt.base.replace(/\/$/, '');
const password = readFileSync(opt['password-file'], 'utf8').trim();
const layer = opt.layer;

const results = [];
const errors = [];
let current = 'start';

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function shot(page, name, fail = false) {
  const png = await page.screenshot({ fullPage: true });
  for (const dir of [fail ? opt.artifacts : null, opt.shots].filter(Boolean)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name.replace(/\W+/g, '-')}.png`), png);
  }
}

// step runs one part of the flow; the later ones need the earlier, so the
// first failure ends the run.
async function step(page, name, fn) {
  current = name;
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    console.error(`e2e-console: ok: ${name} (${Date.now() - t0} ms)`);
    if (opt.shots) await shot(page, name);
  } catch (err) {
    results.push({ name, ok: false, ms: Date.now() - t0, err: err.message });
    console.error(`e2e-console: FAIL: ${name}: ${err.message}`);
    await shot(page, name, true).catch((e) => console.error(`e2e-console: no screenshot: ${e.message}`));
    throw err;
  }
}

function watch(page) {
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) errors.push(`${current}: console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${current}: page error: ${e.message}`));
}

// anon fetches as the public (no cookie, no token); as fetches with a cookie.
async function get(path, headers = {}) {
  const res = await fetch(base + path, { headers, redirect: 'manual' });
  return { status: res.status, etag: res.headers.get('etag'), cc: res.headers.get('cache-control'), body: Buffer.from(await res.arrayBuffer()) };
}

async function loginCookie(user) {
  const res = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password }) });
  check(res.ok, `login of ${user}: HTTP ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie').split(';')[0];
}

function tileOf(z, lon, lat) {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return `${z}/${Math.floor(((lon + 180) / 360) * n)}/${Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)}`;
}
const tilePath = `/tiles/${layer}/${tileOf(14, Number(opt.lon), Number(opt.lat))}.mvt`;

async function signIn(page, user) {
  await page.goto(`${base}/console/`);
  await page.waitForSelector('#login:not([hidden])');
  await page.fill('#login-form [name=username]', user);
  await page.fill('#login-form [name=password]', password);
  await page.click('#login-form button[type=submit]');
}

async function uploadAndFollow(page) {
  await page.click('[data-tab=upload]');
  await page.waitForSelector('#tab-upload:not([hidden])');
  // Every state the job panel shows, in order, recorded in the page.
  await page.evaluate(() => {
    window.seen = [];
    const rec = () => window.seen.push(`${document.querySelector('#job').dataset.status || ''}|${document.querySelector('#job-phase').textContent}`);
    new MutationObserver(rec).observe(document.querySelector('#job'), { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await page.setInputFiles('#upload-form [name=file]', opt.zip);
  await page.fill('#upload-form [name=layer]', layer);
  await page.fill('#upload-form [name=title]', 'Varianti caricate dal browser');
  await page.selectOption('#upload-form [name=visibility]', 'public');
  await page.click('#upload-form button[type=submit]');
  await page.waitForSelector('#job[data-status=succeeded], #job[data-status=failed], #job[data-status=interrupted]', { timeout: 120000 });
  const status = await page.getAttribute('#job', 'data-status');
  check(status === 'succeeded', `the job ended ${status}: ${await page.textContent('#job-phase')} / ${await page.textContent('#status')}`);
  const seen = await page.evaluate(() => window.seen);
  check(seen.some((s) => /^(queued|running)\|/.test(s)), `no progress was shown before the end: ${JSON.stringify(seen)}`);
  return seen;
}

async function checkCounts(page) {
  const id = (await page.textContent('#job-id')).trim();
  const job = await page.evaluate(async (id) => (await fetch(`../admin/jobs/${id}`)).json(), id);
  const r = job.progress.results.find((x) => x.layer === layer);
  check(r, `the job has no result for ${layer}: ${JSON.stringify(job)}`);
  check(String(r.read) === opt.read && String(r.loaded) === opt.loaded && String(r.rejected) === opt.rejected,
    `job counts read ${r.read} loaded ${r.loaded} rejected ${r.rejected}, the file has ${opt.read}/${opt.loaded}/${opt.rejected}`);
  const row = `#job-results tr[data-layer="${layer}"]`;
  for (const col of ['read', 'loaded', 'rejected']) {
    const shown = (await page.textContent(`${row} [data-col=${col}]`)).trim();
    check(shown === String(r[col]), `${col}: the page shows ${shown}, the job says ${r[col]}`);
  }
  const rejects = await page.$$eval('#job-rejects tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  check(rejects.length === r.rejects.length && rejects.length > 0, `rejects table ${JSON.stringify(rejects)} vs job ${JSON.stringify(r.rejects)}`);
  check(rejects.every((x, i) => x[1] === String(r.rejects[i].record) && x[2] === r.rejects[i].reason), `rejects differ: ${JSON.stringify(rejects)}`);
  const href = await page.getAttribute(`${row} a`, 'href');
  check(href && href.endsWith(`/collections/${layer}`), `the result links to ${href}`);
  return { job: id, read: r.read, loaded: r.loaded, rejected: r.rejected, rejects: r.rejects };
}

async function checkPublic() {
  const cols = JSON.parse((await get('/collections?f=json')).body);
  check(cols.collections.some((c) => c.id === layer), `${layer} is not in /collections`);
  const items = await get(`/collections/${layer}/items?f=json`);
  check(items.status === 200, `items: HTTP ${items.status}`);
  const names = JSON.parse(items.body).features.map((f) => f.properties.nome);
  check(names.includes(opt.text), `the Latin-1 attribute was not decoded: ${JSON.stringify(names)}`);
  const tile = await get(tilePath);
  check(tile.status === 200 && tile.body.length > 0 && tile.etag, `tile ${tilePath}: HTTP ${tile.status}, ${tile.body.length} bytes`);
  const again = await get(tilePath, { 'If-None-Match': tile.etag });
  check(again.status === 304, `the tile is not revalidated from the cache: HTTP ${again.status}`);
  return tile.etag;
}

async function makeProfessional(page) {
  await page.click('[data-tab=layers]');
  const row = `#layers-table tr[data-layer="${layer}"]`;
  await page.waitForSelector(row);
  check((await page.inputValue(`${row} [name=visibility]`)) === 'public', 'the layer is not public in the table');
  await page.selectOption(`${row} [name=visibility]`, 'professional');
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/admin/layers/${layer}`)),
    page.click(`${row} [name=save]`),
  ]);
  check(res.status() === 200, `PATCH: HTTP ${res.status()}`);
  // The table is drawn again from the API once the change is saved.
  await page.waitForFunction((n) => document.querySelector('#status').textContent.includes(n), layer);
  check((await page.inputValue(`${row} [name=visibility]`)) === 'professional', 'the table does not show the new visibility');
  const l = await page.evaluate(async (n) => (await fetch(`../admin/layers/${n}`)).json(), layer);
  check(l.visibility === 'professional', `the API says ${l.visibility}`);
}

async function checkHidden(etag) {
  const cols = JSON.parse((await get('/collections?f=json')).body);
  check(!cols.collections.some((c) => c.id === layer), `${layer} is still in /collections for the public`);
  for (const [what, path, headers] of [['items', `/collections/${layer}/items`, {}], ['collection', `/collections/${layer}`, {}],
    ['tile', tilePath, {}], ['cached tile revalidated', tilePath, { 'If-None-Match': etag }], ['TileJSON', `/tiles/${layer}.json`, {}]]) {
    const res = await get(path, headers);
    check(res.status === 404, `${what} (${path}) for the public: HTTP ${res.status}, want 404`);
  }
  const cookie = await loginCookie(opt.pro);
  const items = await get(`/collections/${layer}/items?f=json`, { Cookie: cookie });
  check(items.status === 200 && JSON.parse(items.body).features.length === Number(opt.loaded), `items for the professional: HTTP ${items.status}`);
  const tile = await get(tilePath, { Cookie: cookie, 'If-None-Match': etag });
  check(tile.status === 200 && tile.body.length > 0 && /private/.test(tile.cc), `tile for the professional: HTTP ${tile.status} ${tile.cc}`);
}

async function checkAudit(page) {
  await page.click('[data-tab=audit]');
  await page.waitForSelector('#audit-table tbody tr');
  const rows = await page.$$eval('#audit-table tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  for (const action of ['upload', 'import', 'layer.update']) {
    check(rows.some((r) => r[2] === action && (action === 'upload' || r[3].includes(layer))), `the audit log lacks ${action} of ${layer}: ${JSON.stringify(rows.slice(0, 5))}`);
  }
}

// comuniAndCache saves the signed-in administrator's comune unchanged from
// the Comuni tab, and empties the tile cache from the layers tab.
async function comuniAndCache(page) {
  await page.click('[data-tab=comuni]');
  await page.waitForSelector('#comuni-table tbody tr[data-comune]');
  const slug = await page.getAttribute('#comuni-table tbody tr[data-comune]', 'data-comune');
  const row = `#comuni-table tr[data-comune="${slug}"]`;
  const api = await page.evaluate(async () => (await fetch('../admin/comuni')).json());
  const c = api.comuni.find((x) => x.slug === slug);
  check((await page.inputValue(`${row} [name=comuneName]`)) === c.name, 'the comune\'s name differs from the API');
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/admin/comuni/${slug}`)),
    page.click(`${row} [name=save]`),
  ]);
  check(res.status() === 200, `PATCH comune: HTTP ${res.status()}`);
  await page.click('[data-tab=layers]');
  const [purge] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/admin/cache/purge')), page.click('#purge')]);
  check(purge.status() === 200, `purge: HTTP ${purge.status()}`);
  await page.waitForFunction(() => /\d/.test(document.querySelector('#status').textContent));
}

// publishFromConsole signs in as an administrator of the instance, who
// alone sees the published section: publishes the office's schema from the
// form, finds its table listed as tracked and served to the public, then
// unpublishes it and the public no longer gets it.
async function publishFromConsole(page) {
  const coll = `${opt.office}.strade`;
  await page.click('#logout');
  await page.waitForSelector('#login:not([hidden])');
  await signIn(page, opt.instance);
  await page.waitForSelector('#published:not([hidden])');
  await page.fill('#publish-form [name=source]', opt.office);
  await page.check('#publish-form [name=mercator]');
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/admin/published')),
    page.click('#publish-form button[type=submit]'),
  ]);
  check(res.status() === 200, `POST /admin/published: HTTP ${res.status()}`);
  const sent = res.request().postDataJSON();
  const rep = await res.json();
  check(sent.mercator === true && rep.advice.length === 0 && rep.pending.length === 0,
    `the Web Mercator copy asked from the form: sent ${JSON.stringify(sent)}, answered ${JSON.stringify(rep)}`);
  const row = `#published-table tr[data-published="${coll}"]`;
  await page.waitForSelector(row);
  const cells = await page.$$eval(`${row} td`, (tds) => tds.map((td) => td.textContent));
  check(cells[1] === 'table' && cells[2] === 'sì' && !cells[4].includes('Web Mercator'), `the published row: ${JSON.stringify(cells)}`);
  const served = await get(`/collections/${coll}/items?f=json`);
  check(served.status === 200 && JSON.parse(served.body).numberMatched === 2, `${coll} for the public: HTTP ${served.status}`);
  page.once('dialog', (d) => d.accept());
  const [del] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().includes('/admin/published/')),
    page.click(`#published-sources li[data-source="${opt.office}"] [name=unpublish]`),
  ]);
  check(del.status() === 200, `DELETE /admin/published: HTTP ${del.status()}`);
  await page.waitForSelector(row, { state: 'detached' });
  const gone = await get(`/collections/${coll}`);
  check(gone.status === 404, `${coll} after unpublishing: HTTP ${gone.status}`);
}

async function main() {
  const browser = await chromium.launch({ executablePath: opt.chromium, args: ['--no-sandbox'] });
  const out = { steps: results, errors };
  try {
    const page = await (await browser.newContext({ locale: 'it-IT', viewport: { width: 1280, height: 900 } })).newPage();
    watch(page);
    await step(page, 'sign in', async () => {
      await signIn(page, opt.admin);
      await page.waitForSelector('#console:not([hidden])');
      check((await page.textContent('#who')).includes(opt.admin), 'the console does not say who is signed in');
      check(await page.isVisible('[data-tab=accounts]'), 'an administrator has no accounts tab');
      await page.waitForSelector('#layers-table tbody tr');
      check(!(await page.isVisible('#published')), 'an administrator of one comune sees the published section');
    });
    await step(page, 'upload and progress', async () => { out.progress = await uploadAndFollow(page); });
    await step(page, 'counts and rejects', async () => { out.counts = await checkCounts(page); });
    let etag;
    await step(page, 'served to the public, tile cached', async () => { etag = await checkPublic(); });
    await step(page, 'set to professional', () => makeProfessional(page));
    await step(page, 'hidden from the public, seen by a professional', () => checkHidden(etag));
    await step(page, 'audit log', () => checkAudit(page));
    await step(page, 'comuni and tile cache', () => comuniAndCache(page));
    await step(page, 'publish and unpublish the office\'s table', () => publishFromConsole(page));
    await step(page, 'a professional is turned away', async () => {
      await page.click('#logout');
      await page.waitForSelector('#login:not([hidden])');
      await signIn(page, opt.pro);
      await page.waitForSelector('#denied:not([hidden])');
    });
    check(errors.length === 0, `the page logged errors: ${errors.join('; ')}`);
  } finally {
    await browser.close();
    process.stdout.write(JSON.stringify(out, null, 1) + '\n');
  }
}

main().catch((e) => {
  console.error(`e2e-console: ${e.message}`);
  process.exit(1);
});
