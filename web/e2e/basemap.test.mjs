// Browser checks of the demo's base map and of the OGC API pages' map, run
// by scripts/e2e-basemap.sh against a live `sit serve` of the demo data:
// Debian's Chromium driven by playwright-core, WebGL through SwiftShader.
//
//   node web/e2e/basemap.test.mjs --base http://127.0.0.1:PORT --ref REF \
//        [--artifacts DIR] [--shots DIR]
//
// 1. The viewer at z17 over the walled centre of Lucca draws roads, street
//    names along them and house numbers (MapLibre's queryRenderedFeatures
//    on the label layers returns only the labels it placed), and hiding
//    the base map's layers changes the picture where they were drawn.
// 2. At z15 the foglio labels ("Fg. N") are drawn.
// 3. The HTML page of parcel REF (Italian by default) replaces its SVG
//    sketch with a MapLibre map of the parcel over the base map, with a
//    scale bar.
// Layers are found in the server's style (/styles/default.json), never by
// names written here. The base map is offline: a request to any host but
// the server's fails the run. A failing step saves a screenshot in
// --artifacts.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { check, harness } from './harness.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core'); // from NODE_PATH (e2e/node_modules)

const { values: opt } = parseArgs({
  options: {
    base: { type: 'string' }, ref: { type: 'string' },
    artifacts: { type: 'string', default: 'artifacts/e2e-basemap' }, shots: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});
for (const k of ['base', 'ref']) if (!opt[k]) throw new Error(`--${k} is required`);
const base = opt.base.replace(/\/$/, '');
// The centre of Lucca's walls (Piazza San Michele is a few metres away).
const centre = { lon: 10.5052, lat: 43.8432 };

const run = harness({ name: 'e2e-basemap', base, artifacts: opt.artifacts, shots: opt.shots });
const { results, errors, api, shot, step } = run;

// localOnly lets the pages of a context reach only the server under test:
// the base map is offline, so a request to any other host is an error
// (recorded, and aborted so that nothing waits on it).
async function localOnly(ctx) {
  const host = new URL(base).host;
  await ctx.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.host !== host) {
      errors.push(`${run.current}: a request left the server: ${u.href}`);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
}

function watch(page) {
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${run.current}: console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${run.current}: page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${run.current}: HTTP ${r.status()} ${r.url()}`);
  });
}

async function waitIdle(page, timeout = 120000) {
  await page.waitForTimeout(50);
  await page.waitForSelector('#map[data-idle]', { timeout });
}

// baseLayers reads the server's style: the street names (line-placed
// text), the house numbers and the foglio labels ("Fg. " text), and every
// layer of the base map's street graph and numbers.
function baseLayers(style) {
  const sym = style.layers.filter((l) => l.type === 'symbol');
  const text = (l) => JSON.stringify(l.layout?.['text-field'] || '');
  const names = sym.filter((l) => l.layout?.['symbol-placement'] === 'line').map((l) => l.id);
  const numbers = sym.filter((l) => l.id.endsWith('-numbers')).map((l) => l.id);
  const fogli = sym.filter((l) => text(l).includes('Fg. ')).map((l) => l.id);
  const streetLayers = new Set(style.layers.filter((l) => names.includes(l.id)).map((l) => l['source-layer']));
  const all = style.layers.filter((l) => streetLayers.has(l['source-layer']) || numbers.includes(l.id)).map((l) => l.id);
  const roads = style.layers.filter((l) => streetLayers.has(l['source-layer']) && l.type === 'line').map((l) => l.id);
  return { names, numbers, fogli, all, roads };
}

// rendered counts the labels MapLibre placed for each layer id, and their texts.
async function rendered(page, ids) {
  return page.evaluate((ids) => {
    const out = {};
    for (const id of ids) {
      const fs = window.sitMap.getLayer(id) ? window.sitMap.queryRenderedFeatures({ layers: [id] }) : [];
      out[id] = { n: fs.length, sample: [...new Set(fs.map((f) => f.properties.name ?? f.properties.civico ?? f.properties.foglio))].slice(0, 5) };
    }
    return out;
  }, ids);
}

// changedShare is the share of pixels that differ between two screenshots
// of the same size (the browser decodes the PNGs).
async function changedShare(page, a, b) {
  return page.evaluate(async ({ a, b }) => {
    const load = async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      return g.getImageData(0, 0, c.width, c.height).data;
    };
    const [da, db] = [await load(a), await load(b)];
    let differ = 0;
    for (let i = 0; i < da.length; i += 4) {
      if (Math.abs(da[i] - db[i]) + Math.abs(da[i + 1] - db[i + 1]) + Math.abs(da[i + 2] - db[i + 2]) > 30) differ++;
    }
    return differ / (da.length / 4);
  }, { a: a.toString('base64'), b: b.toString('base64') });
}

async function viewerChecks(browser, bl) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'it-IT' });
  await localOnly(ctx);
  const page = await ctx.newPage();
  watch(page);
  await step(page, 'z17 over the walled centre: street names and house numbers', async () => {
    await page.goto(`${base}/map/#map=17/${centre.lat}/${centre.lon}`);
    await waitIdle(page);
    // The layer panel would cover the left of the map: close it.
    await page.locator('#side .panel-head button').click();
    await waitIdle(page);
    const got = await rendered(page, [...bl.names, ...bl.numbers, ...bl.roads]);
    const roads = bl.roads.reduce((s, id) => s + got[id].n, 0);
    check(roads >= 10, `${roads} road pieces drawn at z17 (${JSON.stringify(got)})`);
    const streets = bl.names.reduce((s, id) => s + got[id].n, 0);
    const numbers = bl.numbers.reduce((s, id) => s + got[id].n, 0);
    check(streets >= 2, `${streets} street names drawn at z17 (${JSON.stringify(got)})`);
    check(numbers >= 20, `${numbers} house numbers drawn at z17 (${JSON.stringify(got)})`);
    check(bl.names.some((id) => got[id].sample.some((n) => /^(Via|Piazza|Corso|Vicolo|Piazzetta|Largo)\b/.test(n))), `street names do not read as streets: ${JSON.stringify(got)}`);
    const on = await shot(page, 'z17-basemap-on');
    await page.evaluate((ids) => { for (const id of ids) window.sitMap.setLayoutProperty(id, 'visibility', 'none'); }, bl.all);
    await waitIdle(page);
    const off = await shot(page, 'z17-basemap-off');
    const share = await changedShare(page, on, off);
    check(share > 0.01, `hiding the base map changes ${(share * 100).toFixed(2)}% of the pixels: its roads and labels are not drawn`);
    await page.evaluate((ids) => { for (const id of ids) window.sitMap.setLayoutProperty(id, 'visibility', 'visible'); }, bl.all);
  });
  await step(page, 'z15: foglio labels', async () => {
    await page.evaluate((c) => window.sitMap.jumpTo({ center: [c.lon, c.lat], zoom: 15 }), centre);
    await waitIdle(page);
    const got = await rendered(page, bl.fogli);
    const n = bl.fogli.reduce((s, id) => s + got[id].n, 0);
    check(n >= 1, `${n} foglio labels drawn at z15 (${JSON.stringify(got)})`);
    await shot(page, 'z15-fogli');
  });
  await ctx.close();
}

async function featurePageChecks(browser, bl) {
  const parcel = await api(`/parcels/${encodeURIComponent(opt.ref)}`);
  const { layer, fid, label } = parcel.properties;
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'it-IT' });
  await localOnly(ctx);
  const page = await ctx.newPage();
  watch(page);
  await step(page, 'feature page: its map over the base map, with a scale bar', async () => {
    await page.goto(`${base}/collections/${encodeURIComponent(layer)}/items/${encodeURIComponent(fid)}?f=html`);
    check(await page.locator('html').getAttribute('lang') === 'it', 'the page is not in Italian');
    check((await page.locator('h1').textContent()).trim() === label, `title ${await page.locator('h1').textContent()} is not ${label}`);
    await page.waitForSelector('figure[data-map="loaded"]', { timeout: 120000 });
    await page.waitForFunction(() => window.sitPageMap?.loaded() && window.sitPageMap.areTilesLoaded(), null, { timeout: 60000 });
    const state = await page.evaluate((names) => {
      const m = window.sitPageMap;
      const count = (ids) => ids.filter((id) => m.getLayer(id)).reduce((s, id) => s + m.queryRenderedFeatures({ layers: [id] }).length, 0);
      return {
        parcel: count(['page-fill']), streets: count(names), sketch: !!document.querySelector('figure[data-sit-map] svg'),
        scale: document.querySelector('.maplibregl-ctrl-scale')?.textContent || '',
      };
    }, bl.names);
    check(state.parcel > 0, 'the parcel is not drawn on the page map');
    check(!state.sketch, 'the SVG sketch is still shown beside the map');
    check(/^\d+(\.\d+)?\s?(m|km)$/.test(state.scale.trim()), `scale bar reads ${JSON.stringify(state.scale)}`);
    check(state.streets >= 1, `no street name on the page map (base map not drawn): ${JSON.stringify(state)}`);
    for (const link of ['Report urbanistico', 'Apri sulla mappa']) check(await page.getByRole('link', { name: link, exact: true }).count() === 1, `no link ${link}`);
    await shot(page, 'feature-page');
  });
  await ctx.close();
}

async function main() {
  const bl = baseLayers(await api('/styles/default.json'));
  check(bl.names.length && bl.numbers.length && bl.fogli.length && bl.roads.length, `the style lacks base map labels: ${JSON.stringify(bl)}`);
  const browser = await chromium.launch({
    executablePath: opt.chromium,
    args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    await viewerChecks(browser, bl);
    await featurePageChecks(browser, bl);
  } finally {
    await browser.close();
  }
  const failed = results.filter((r) => !r.ok);
  console.log(JSON.stringify({ results, errors }, null, 2));
  if (failed.length || errors.length) process.exit(1);
}

main().catch((err) => {
  console.error(`e2e-basemap: ${err.stack || err}`);
  process.exit(1);
});
