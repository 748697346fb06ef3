// Browser end-to-end tests of the map viewer, run by scripts/e2e-viewer.sh
// against a live `sit serve` of the demo data: Debian's Chromium driven by
// playwright-core (never a downloaded browser), WebGL through SwiftShader.
//
//   node web/e2e/viewer.test.mjs --base http://127.0.0.1:PORT --ref REF \
//        --lon LON --lat LAT [--published NAME] [--artifacts DIR] [--shots DIR]
//
// REF is a parcel of the dataset and LON/LAT a point inside it; NAME a
// published table of polygons (sit publish) to find in the viewer. Every step
// is checked against the server's own answers (/parcels, /reports/zoning,
// /analytics/broadband), never against numbers written here. A failing step
// saves a screenshot in --artifacts; --shots saves every screenshot.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { check, harness } from './harness.mjs';
import { makeFormat } from '../src/format.js';
import { paletteOf } from '../src/palette.js';
import { rectsOverlap } from '../src/panels.js';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core'); // from NODE_PATH (e2e/node_modules)

const { values: opt } = parseArgs({
  options: {
    base: { type: 'string' }, ref: { type: 'string' }, lon: { type: 'string' }, lat: { type: 'string' }, published: { type: 'string' },
    artifacts: { type: 'string', default: 'artifacts/e2e-viewer' }, shots: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});
for (const k of ['base', 'ref', 'lon', 'lat']) if (!opt[k]) throw new Error(`--${k} is required`);
const base = opt.base.replace(/\/$/, '');
const lon = Number(opt.lon);
const lat = Number(opt.lat);

const run = harness({ name: 'e2e-viewer', base, artifacts: opt.artifacts, shots: opt.shots });
const { results, errors, api, shot, step } = run;
let timing = {};

function watch(page, label) {
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${label}/${run.current}: console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${label}/${run.current}: page error: ${e.message}`));
  page.on('response', (r) => {
    // Tiles aborted by a pan are not errors; HTTP errors are.
    if (r.status() >= 400) errors.push(`${label}/${run.current}: HTTP ${r.status()} ${r.url()}`);
  });
}

async function waitIdle(page, timeout = 30000) {
  // The viewer sets data-idle on the map element at MapLibre's idle event
  // and clears it when data loads or the map moves.
  await page.waitForTimeout(50);
  await page.waitForSelector('#map[data-idle]', { timeout });
}

// pixelStats decodes a PNG in the page (the browser is the PNG decoder)
// and counts pixels that are not the map background.
async function pixelStats(page, png, clip) {
  return page.evaluate(async ({ b64, clip }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = clip.width;
    c.height = clip.height;
    const g = c.getContext('2d');
    g.drawImage(img, clip.x, clip.y, clip.width, clip.height, 0, 0, clip.width, clip.height);
    const d = g.getImageData(0, 0, clip.width, clip.height).data;
    const bg = [0xf2, 0xef, 0xe9];
    let differ = 0;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4 * 7) { // every 7th pixel is plenty
      if (Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 24) differ++;
      colours.add((d[i] >> 4) << 8 | (d[i + 1] >> 4) << 4 | (d[i + 2] >> 4));
    }
    return { share: differ / (d.length / 28), colours: colours.size };
  }, { b64: png.toString('base64'), clip });
}

// panelsApart checks that the side panel and the info panel, when both
// are shown, do not cover each other (after their transitions end).
async function panelsApart(page, where) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, { timeout: 10000 });
  const boxes = await page.evaluate(() => {
    const shown = (el) => el && !el.hidden && !el.classList.contains('collapsed') && getComputedStyle(el).visibility !== 'hidden';
    const box = (el) => { const b = el.getBoundingClientRect(); return { x: b.x, y: b.y, width: b.width, height: b.height }; };
    const side = document.getElementById('side');
    const info = document.getElementById('info');
    return { side: shown(side) ? box(side) : null, info: shown(info) ? box(info) : null };
  });
  if (boxes.side && boxes.info) check(!rectsOverlap(boxes.side, boxes.info), `${where}: the info panel ${JSON.stringify(boxes.info)} covers the side panel ${JSON.stringify(boxes.side)}`);
  return boxes;
}

// searchParcel types a reference in the search box and takes the first
// suggestion; the parcel panel opens.
async function searchParcel(page, text) {
  await page.locator('#search-input').fill('');
  await page.locator('#search-input').focus();
  await page.keyboard.type(text, { delay: 10 });
  await page.locator(`#search-list[data-query="${text}"] [role=option]`).first().click();
  await page.locator('#info .parcel-attrs').waitFor({ timeout: 15000 });
}

async function mapBox(page) {
  return page.locator('#map').boundingBox();
}

async function clickLngLat(page, lngLat) {
  const pt = await page.evaluate((ll) => window.sitMap.project(ll), lngLat);
  const box = await mapBox(page);
  await page.mouse.click(box.x + pt.x, box.y + pt.y);
}

// publishedLayer finds a table published from the office's database in
// the layer list, reads its features as the map rendered them (from its
// tiles) against the collection's items, and clicks one: the info panel
// shows the layer's title and the feature's properties.
async function publishedLayer(page, name) {
  const items = await api(`/collections/${encodeURIComponent(name)}/items?f=json`);
  const entry = (await api('/layers')).layers.find((l) => l.name === name);
  check(entry && items.features.length > 0, `${name}: catalog ${JSON.stringify(entry)}, ${items.features.length} features`);
  check(await page.locator(`.layer[data-layer="${name}"]`).count() === 1, `${name} is not in the layer list`);
  const [x0, y0, x1, y1] = items.features.map((f) => f.geometry.coordinates[0]).flat()
    .reduce(([a, b, c, d], [x, y]) => [Math.min(a, x), Math.min(b, y), Math.max(c, x), Math.max(d, y)], [180, 90, -180, -90]);
  await page.evaluate((b) => window.sitMap.fitBounds(b, { padding: { left: 440, right: 120, top: 120, bottom: 120 }, animate: false }), [[x0, y0], [x1, y1]]);
  await waitIdle(page);
  const drawn = await page.evaluate((n) => window.sitMap.queryRenderedFeatures().filter((f) => f.sourceLayer === n)
    .map((f) => f.properties.ditta), name);
  const want = items.features.map((f) => f.properties.ditta).sort();
  check(JSON.stringify([...new Set(drawn)].sort()) === JSON.stringify(want), `${name} drawn ${JSON.stringify(drawn)}, the collection has ${JSON.stringify(want)}`);
  await shot(page, '06b-published');
  const f = items.features[0];
  const ring = f.geometry.coordinates[0];
  await clickLngLat(page, [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2]);
  const section = page.locator('#info .info-layer', { hasText: entry.title });
  await section.waitFor({ timeout: 15000 });
  const text = await section.innerText();
  check(text.includes(f.properties.ditta), `the info panel's ${entry.title} section: ${JSON.stringify(text)}, want ${f.properties.ditta}`);
  await page.locator('#info .panel-head button').click();
}

async function main() {
  const browser = await chromium.launch({
    executablePath: opt.chromium,
    args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const parcel = await api(`/parcels/${encodeURIComponent(opt.ref)}`);
  const pp = parcel.properties;
  const report = await api(`/reports/zoning?parcel=${encodeURIComponent(opt.ref)}&f=json`);
  const layers = (await api('/layers')).layers;
  const palette = paletteOf(await api('/styles/default.json'));
  const fmt = makeFormat('it');

  // Desktop.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, locale: 'it-IT' });
  const page = await ctx.newPage();
  watch(page, 'desktop');

  await step(page, 'map renders the layers', async () => {
    await page.goto(`${base}/map/`);
    // The first load fetches and compiles everything: on a busy machine
    // it takes tens of seconds.
    await waitIdle(page, 120000);
    timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const idle = performance.getEntriesByName('sit:first-idle')[0];
      return { firstIdle: Math.round(idle?.startTime ?? -1), domContentLoaded: Math.round(nav.domContentLoadedEventEnd), transferKiB: Math.round(performance.getEntriesByType('resource').reduce((s, r) => s + (r.transferSize || 0), 0) / 1024) };
    });
    const box = await mapBox(page);
    // The part of the map not under the layer panel.
    const clip = { x: Math.round(box.x + 370), y: Math.round(box.y + 10), width: Math.round(box.width - 440), height: Math.round(box.height - 60) };
    const stats = await pixelStats(page, await shot(page, '01-map'), clip);
    check(stats.share > 0.2, `canvas is nearly blank: ${(stats.share * 100).toFixed(1)}% of the pixels differ from the background`);
    check(stats.colours >= 8, `only ${stats.colours} colours drawn`);
    const zoning = layers.filter((l) => l.kind === 'zoning').map((l) => l.name);
    const drawn = await page.evaluate(() => [...new Set(window.sitMap.queryRenderedFeatures().map((f) => f.sourceLayer))]);
    for (const z of zoning) check(drawn.includes(z), `zoning layer ${z} not drawn at the start (drawn: ${drawn.join(', ')})`);
    const panelLayers = await page.$$eval('.layer', (els) => els.map((e) => e.dataset.layer));
    for (const l of layers) check(panelLayers.includes(l.name), `layer ${l.name} missing from the panel`);
    for (const n of panelLayers) check(n === 'basemap' || layers.some((l) => l.name === n), `panel entry ${n} is not a catalog layer`);
    // The base map of --basemap (a PMTiles archive read by pmtiles.js with Range requests).
    const cfg = await api('/map/config.json');
    if (cfg.basemap) {
      const drawn = await page.evaluate(() => {
        const ids = window.sitMap.getStyle().layers.filter((l) => l.metadata?.['sit:basemap']).map((l) => l.id);
        return { ids: ids.length, features: ids.length ? window.sitMap.queryRenderedFeatures({ layers: ids }).length : 0 };
      });
      check(drawn.ids > 0 && drawn.features > 0, `base map ${cfg.basemap.url || cfg.basemap.tiles} not drawn: ${JSON.stringify(drawn)}`);
      check(panelLayers.includes('basemap'), 'no base map entry in the panel');
    }
    const synth = layers.filter((l) => l.synthetic).map((l) => l.name);
    for (const n of synth) check(await page.locator(`.layer[data-layer="${n}"] .badge`).count() === 1, `synthetic layer ${n} not labelled`);
    check(await page.locator('.maplibregl-ctrl-scale').count() === 1, 'no scale bar');
    check(await page.locator('.maplibregl-ctrl-geolocate').count() === 1, 'no geolocation button');
  });

  await step(page, 'layer toggle and opacity', async () => {
    const zoningName = layers.find((l) => l.kind === 'zoning')?.name;
    check(zoningName, 'no zoning layer');
    const row = page.locator(`.layer[data-layer="${zoningName}"]`);
    await row.locator('input[type=checkbox]').uncheck();
    const vis = await page.evaluate((n) => window.sitMap.getLayoutProperty(`${n}-fill`, 'visibility'), zoningName);
    check(vis === 'none', `zoning still visible after the toggle (${vis})`);
    await row.locator('input[type=checkbox]').check();
    await row.locator('.expander').click();
    const slider = row.locator('input[type=range]');
    await slider.fill('50');
    const op = await page.evaluate((n) => window.sitMap.getPaintProperty(`${n}-fill`, 'fill-opacity'), zoningName);
    check(Math.abs(op - 0.225) < 0.01, `fill-opacity ${op} after 50% (want 0.45 × 0.5)`);
    await slider.fill('100');
    await row.locator('.expander').click();
    check(await row.locator('.legend li').count() >= 6, 'zoning legend has fewer than 6 classes');
  });

  if (opt.published) await step(page, 'a published table: listed, drawn and clicked', () => publishedLayer(page, opt.published));

  const typed = `foglio ${pp.foglio} particella ${pp.particella}`;
  await step(page, 'search by reference (keyboard) zooms and highlights', async () => {
    await page.keyboard.press('/');
    check(await page.evaluate(() => document.activeElement?.id) === 'search-input', '"/" does not focus the search');
    await page.keyboard.type(typed, { delay: 15 });
    // The suggestions of the whole text, not of a prefix typed on the way.
    const opt0 = page.locator(`#search-list[data-query="${typed}"] [role=option]`).first();
    await opt0.waitFor({ timeout: 10000 });
    const label = await opt0.innerText();
    check(label.includes(pp.particella) && label.includes(pp.foglio), `first suggestion "${label}" is not ${typed}`);
    check(await page.getAttribute('#search-input', 'aria-expanded') === 'true', 'combobox not expanded');
    await page.keyboard.press('ArrowDown');
    check(await page.getAttribute('#search-input', 'aria-activedescendant') === 'search-opt-0', 'ArrowDown does not select the first option');
    await page.keyboard.press('Enter');
    await page.locator('#info .parcel-attrs').waitFor({ timeout: 15000 });
    await page.waitForTimeout(1000); // the fly-to animation
    await waitIdle(page);
    const view = await page.evaluate(() => ({ z: window.sitMap.getZoom(), c: window.sitMap.getCenter(), b: window.sitMap.getBounds().toArray() }));
    const [x0, y0, x1, y1] = parcel.bbox;
    check(view.z >= 14, `zoom ${view.z.toFixed(1)} after choosing the parcel`);
    check(view.b[0][0] <= x0 && view.b[0][1] <= y0 && view.b[1][0] >= x1 && view.b[1][1] >= y1, 'the parcel is not inside the view');
    const hl = await page.evaluate(() => window.sitMap.queryRenderedFeatures({ layers: ['sit-highlight-line'] }).length);
    check(hl > 0, 'no highlight drawn');
    const hash = decodeURIComponent(await page.evaluate(() => location.hash));
    check(hash.includes(`parcel=${opt.ref}`), `hash ${hash} does not name the parcel`);
    const lines = await page.evaluate(() => [...new Set(window.sitMap.queryRenderedFeatures().map((f) => f.sourceLayer))]);
    const cad = layers.find((l) => l.kind === 'cadastral').name;
    check(lines.includes(cad), `parcels (${cad}) not drawn at zoom ${view.z.toFixed(1)}`);
    await shot(page, '02-search');
  });

  await step(page, 'click inside the parcel shows foglio, particella and zones', async () => {
    await page.keyboard.press('Escape'); // leave the search
    await page.locator('#info .panel-head button').click();
    check(await page.locator('#info').isHidden(), 'info panel did not close');
    await waitIdle(page);
    await clickLngLat(page, [lon, lat]);
    await page.locator('#info .parcel-attrs').waitFor({ timeout: 15000 });
    const f = await page.textContent('#info dd[data-field=foglio]');
    const p = await page.textContent('#info dd[data-field=particella]');
    check(f === pp.foglio && p === pp.particella, `panel shows foglio ${f} particella ${p}, want ${pp.foglio}/${pp.particella}`);
    await page.locator('#info table.zones').waitFor({ timeout: 15000 });
    const shown = await page.$$eval('#info table.zones th strong', (els) => els.map((e) => e.textContent));
    const r = report.parcels[0];
    const want = [...r.zoning, ...(r.zoning_border_effects || []), ...r.constraints, ...(r.constraints_border_effects || [])].map((z) => z.zone_code);
    check(want.length > 0, 'the report lists no zone for this parcel');
    check(JSON.stringify(shown) === JSON.stringify(want), `zones shown ${JSON.stringify(shown)}, report says ${JSON.stringify(want)}`);
    const pcts = await page.$$eval('#info table.zones td.num', (els) => els.map((e) => e.firstChild.textContent));
    check(pcts.length === want.length && pcts.every((t) => /^\d{1,3},\d%$/.test(t)), `zone shares ${JSON.stringify(pcts)} (want one decimal)`);
    // One number policy with the report: the area to the hundredth, grouped.
    const area = await page.textContent('#info dd[data-field=area]');
    check(area === fmt.area(pp.area_m2) && /^\d{1,3}(\.\d{3})*,\d{2} m²$/.test(area), `area shown "${area}", want "${fmt.area(pp.area_m2)}"`);
    const comune = await page.textContent('#info dd[data-field=comune]');
    check(pp.comune_name && comune === `${pp.comune_name} (${pp.comune})`, `comune shown "${comune}" (name ${pp.comune_name}, code ${pp.comune})`);
    // The zones' swatches are the colours of the server's palette (the map's).
    const swatches = await page.$$eval('#info table.zones tr.zone td:first-child .swatch', (els) => els.map((e) => e.style.getPropertyValue('--c')));
    const zonesOnly = [...r.zoning, ...(r.zoning_border_effects || [])];
    check(swatches.length === zonesOnly.length, `${swatches.length} zone swatches for ${zonesOnly.length} zones`);
    zonesOnly.forEach((z, i) => check(swatches[i] === palette.colorOf('zone_class', z.zone_class), `zone ${z.zone_code} (${z.zone_class}) drawn ${swatches[i]}, palette ${palette.colorOf('zone_class', z.zone_class)}`));
    await shot(page, '03-click');
  });

  await step(page, 'zoning report in the panel and PDF download', async () => {
    await page.click('#report-open');
    const frame = page.frameLocator('#info .report-frame iframe');
    await frame.locator('body').waitFor({ timeout: 20000 });
    const text = await frame.locator('body').innerText({ timeout: 20000 });
    check(text.includes(pp.particella) && text.includes(opt.ref), 'report HTML does not name the parcel');
    await panelsApart(page, 'report open beside the layer panel');
    await shot(page, '04-report');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), page.click('#report-pdf')]);
    const path = await download.path();
    const head = readFileSync(path).subarray(0, 5).toString('latin1');
    check(head === '%PDF-', `downloaded file starts with ${JSON.stringify(head)}`);
    check(/\.pdf$/.test(download.suggestedFilename()), `download named ${download.suggestedFilename()}`);
  });

  await step(page, 'Escape closes the info panel and the hash keeps the view', async () => {
    await page.locator('#info .panel-head button').focus();
    await page.keyboard.press('Escape');
    check(await page.locator('#info').isHidden(), 'Escape does not close the panel');
    const hash = await page.evaluate(() => location.hash);
    check(/map=\d/.test(hash), `hash ${hash} does not keep the view`);
    const before = await page.evaluate(() => window.sitMap.getCenter());
    await page.reload();
    await waitIdle(page, 120000);
    const after = await page.evaluate(() => window.sitMap.getCenter());
    check(Math.abs(before.lng - after.lng) < 1e-3 && Math.abs(before.lat - after.lat) < 1e-3, 'reload lost the view');
  });

  await step(page, 'at z14 the parcels are their fogli\'s outlines and a click inside one still finds it', async () => {
    // The layers of parcels tiled as outlines at z14 have their fill (what a click hits) from z15.
    const outlined = await page.evaluate(() => window.sitMap.getStyle().layers.filter((l) => l.type === 'fill' && l.minzoom > 14).map((l) => l['source-layer']));
    const cad = layers.filter((l) => l.kind === 'cadastral');
    check(outlined.length === 1 && cad.some((l) => l.name === outlined[0]), `layers outlined at z14: ${JSON.stringify(outlined)}`);
    // Without the other cadastral layers (fogli: areas), only outlines are under the pointer.
    const others = cad.map((l) => l.name).filter((n) => n !== outlined[0]);
    for (const n of others) await page.locator(`.layer[data-layer="${n}"] input[type=checkbox]`).uncheck();
    await page.evaluate(([lng, la]) => window.sitMap.jumpTo({ center: [lng, la], zoom: 14.5 }), [lon, lat]);
    await waitIdle(page);
    const drawn = await page.evaluate((id) => window.sitMap.queryRenderedFeatures({ layers: [id] }).map((f) => f.geometry.type), `${outlined[0]}-line`);
    check(drawn.length > 0 && drawn.every((t) => /LineString$/.test(t)), `parcels at z14.5 drawn as ${JSON.stringify([...new Set(drawn)])}`);
    await clickLngLat(page, [lon, lat]);
    await page.locator('#info .parcel-attrs').waitFor({ timeout: 15000 });
    const f = await page.textContent('#info dd[data-field=foglio]');
    const p = await page.textContent('#info dd[data-field=particella]');
    check(f === pp.foglio && p === pp.particella, `at z14.5 the panel shows foglio ${f} particella ${p}, want ${pp.foglio}/${pp.particella}`);
    await shot(page, '05-outlines-z14');
    await page.locator('#info .panel-head button').click();
    for (const n of others) await page.locator(`.layer[data-layer="${n}"] input[type=checkbox]`).check();
  });

  await step(page, 'one panel at a time: the dashboard closes the parcel; a parcel opens beside the dashboard', async () => {
    await searchParcel(page, `${pp.foglio}/${pp.particella}`);
    await page.click('#report-open');
    await page.click('.tab[data-view=divide]');
    await page.locator('#divide-table tbody tr').first().waitFor({ timeout: 20000 });
    check(await page.locator('#info').isHidden(), 'the parcel panel stayed open over the dashboard');
    const b = await panelsApart(page, 'dashboard');
    check(b.side, 'the dashboard is not shown');
    await searchParcel(page, `${pp.foglio}/${pp.particella}`);
    const both = await panelsApart(page, 'a parcel in the dashboard');
    check(both.info, 'the parcel panel did not open');
    await page.click('#report-open');
    await panelsApart(page, 'the report in the dashboard');
    await shot(page, '05-dashboard-and-parcel');
    await page.locator('#info .panel-head button').click();
    check(await page.locator('#info').isHidden(), 'info panel did not close');
  });

  await step(page, 'the README\'s address examples find their parcels', async () => {
    for (const q of ['via fillungo', 'piazza san michele']) {
      const sg = (await api(`/parcels/suggest?limit=5&q=${encodeURIComponent(q)}`)).suggestions || [];
      check(sg.some((x) => x.kind === 'address' && x.label.toLowerCase().startsWith(q)), `"${q}" suggests ${JSON.stringify(sg.map((x) => x.label))}`);
    }
    await searchParcel(page, 'via del fosso 12');
    const addr = await page.textContent('#info dd[data-field=address]');
    check(addr === 'VIA DEL FOSSO 12', `address shown "${addr}"`);
    await page.locator('#info .panel-head button').click();
  });

  await step(page, 'digital-divide dashboard equals /analytics/broadband', async () => {
    await page.click('.tab[data-view=divide]');
    await page.locator('#divide-table tbody tr').first().waitFor({ timeout: 20000 });
    const params = await page.evaluate(() => JSON.parse(document.getElementById('divide-table').dataset.query));
    const qs = new URLSearchParams(params).toString();
    const doc = await api(`/analytics/broadband?${qs}&f=json`);
    const rows = await page.$$eval('#divide-table tbody tr', (trs) => trs.map((tr) => ({
      zone: tr.dataset.zone, total: Number(tr.dataset.total), counts: JSON.parse(tr.dataset.counts),
      cells: [...tr.querySelectorAll('td.count')].map((td) => td.firstChild.textContent),
    })));
    const zones = doc.zones_stats || [];
    check(zones.length > 0, 'the analytics have no zones');
    check(rows.length === zones.length, `table has ${rows.length} zones, analytics ${zones.length}`);
    const mode = await page.evaluate(() => document.getElementById('divide-table').dataset.mode);
    let compared = 0;
    for (const z of zones) {
      const key = String(z.code || z.name || z.fid);
      const row = rows.find((r) => r.zone === key);
      check(row, `zone ${key} missing from the table`);
      check(row.total === z.current.addresses, `zone ${key} total: table ${row.total}, analytics ${z.current.addresses}`);
      const src = mode === 'area' ? z.current.by_area_class : z.current.by_speed_band;
      for (const [k, v] of Object.entries(src || {})) {
        if (!(k in row.counts) && v.addresses === 0) continue;
        check(row.counts[k] === v.addresses, `zone ${key} ${k}: table ${row.counts[k]}, analytics ${v.addresses}`);
        compared++;
      }
      // The numbers on screen, not only the data attributes.
      const shown = row.cells.map((t) => Number(t.replace(/\D/g, '')));
      check(JSON.stringify(shown) === JSON.stringify(Object.values(row.counts)), `zone ${key}: cells ${JSON.stringify(row.cells)} vs ${JSON.stringify(row.counts)}`);
    }
    check(compared >= zones.length * 3, `only ${compared} counts compared`);
    // Italian figures: counts grouped from four digits, shares with one decimal.
    const cells = await page.$$eval('#divide-table td.count', (tds) => tds.map((td) => [td.firstChild.textContent, td.querySelector('small')?.textContent || '']));
    for (const [n, share] of cells) {
      check(/^\d{1,3}(\.\d{3})*$/.test(n), `count "${n}" is not written the Italian way (1.979)`);
      check(share === '' || /^\d{1,3},\d%$/.test(share), `share "${share}" has not one decimal`);
    }
    const kpis = await page.$$eval('.kpi strong', (els) => els.map((e) => e.textContent));
    check(/^\d{1,3}(\.\d{3})*$/.test(kpis[0]) && kpis.slice(1).every((t) => /^\d{1,3},\d%$/.test(t)), `key figures ${JSON.stringify(kpis)}`);
    const total = await page.$eval('#divide-table tfoot td.num', (td) => td.textContent);
    check(Number(total.replace(/\D/g, '')) === doc.total.current.addresses, `total ${total} vs ${doc.total.current.addresses}`);
    if (params.compare) check(await page.locator('#divide-table tbody td.delta').count() === zones.length, 'no change column with a comparison');
    check(await page.locator('#divide-chart svg, .divide-bar').count() > 0, 'no bar chart');
    const csv = await page.getAttribute('#divide-csv', 'href');
    const res = await fetch(new URL(csv, `${base}/map/`));
    const text = await res.text();
    check(res.ok && /csv/.test(res.headers.get('content-type') || ''), `CSV link ${csv}: ${res.status} ${res.headers.get('content-type')}`);
    check(text.split('\n').filter(Boolean).length > zones.length, `CSV has ${text.split('\n').length} lines for ${zones.length} zones`);
    const cov = await page.evaluate((n) => window.sitMap.queryRenderedFeatures().filter((f) => f.sourceLayer === n).length, doc.coverage.name);
    check(cov > 0, `coverage layer ${doc.coverage.name} not drawn on the dashboard map`);
    await waitIdle(page);
    await shot(page, '06-divide');
  });

  await ctx.close();

  // A phone: 375 px wide, touch.
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, acceptDownloads: true });
  const mp = await phone.newPage();
  watch(mp, 'phone');
  await step(mp, '375 px: usable on a phone', async () => {
    await mp.goto(`${base}/map/?lang=en`);
    await waitIdle(mp, 120000);
    const overflow = await mp.evaluate(() => document.documentElement.scrollWidth);
    check(overflow <= 375, `page is ${overflow} px wide`);
    const sb = await mp.locator('#search-input').boundingBox();
    check(sb && sb.width >= 150 && sb.x >= 0 && sb.x + sb.width <= 375, `search box ${JSON.stringify(sb)}`);
    check(await mp.locator('.tab[data-view=divide]').getAttribute('href') === '#divide', 'no dashboard tab');
    check(await mp.locator('#side-open').isVisible(), 'no layers button');
    await mp.locator('#side-open').tap();
    await mp.waitForTimeout(400);
    const side = await mp.locator('#side').boundingBox();
    check(side && side.x >= 0 && side.x + side.width <= 376 && side.y + side.height <= 741, `layer sheet off screen: ${JSON.stringify(side)}`);
    check((await mp.textContent('#side-title')) === 'Layers', 'English UI not applied');
    await mp.locator('#side .panel-head button').tap();
    await mp.locator('#search-input').tap();
    await mp.keyboard.type(`${pp.foglio}/${pp.particella}`, { delay: 15 });
    await mp.locator(`#search-list[data-query="${pp.foglio}/${pp.particella}"] [role=option]`).first().tap();
    await mp.locator('#info .parcel-attrs').waitFor({ timeout: 15000 });
    const info = await mp.locator('#info').boundingBox();
    check(info.x >= 0 && info.x + info.width <= 376 && info.y >= 56, `info sheet ${JSON.stringify(info)}`);
    await mp.waitForTimeout(1000);
    await waitIdle(mp);
    await shot(mp, '07-phone');
    const hl = await mp.evaluate(() => window.sitMap.queryRenderedFeatures({ layers: ['sit-highlight-line'] }).length);
    check(hl > 0, 'parcel highlight not visible above the sheet');
    // One sheet at a time: a parcel chosen with the layers sheet open folds
    // it away; closing the parcel brings the layers back.
    await mp.locator('#info .panel-head button').tap();
    await mp.locator('#side-open').tap();
    await searchParcel(mp, `${pp.foglio}/${pp.particella}`);
    const b = await panelsApart(mp, 'phone');
    check(b.info && !b.side, `phone: ${JSON.stringify(b)}`);
    await mp.locator('#info .panel-head button').tap();
    await panelsApart(mp, 'phone, parcel closed');
    check(await mp.locator('#side').evaluate((el) => !el.classList.contains('collapsed')), 'the layers sheet did not come back after the parcel closed');
  });
  await phone.close();
  await browser.close();

  run.current = 'end';
  if (errors.length) results.push({ name: 'no console errors', ok: false, err: errors.join('\n  ') });
  else results.push({ name: 'no console errors', ok: true });
  const failed = results.filter((r) => !r.ok);
  console.log(JSON.stringify({ timing, results }, null, 1));
  if (failed.length) {
    for (const f of failed) console.error(`e2e-viewer: FAIL: ${f.name}: ${f.err}`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(`e2e-viewer: FAIL: ${err.stack || err}`);
  process.exit(1);
});
