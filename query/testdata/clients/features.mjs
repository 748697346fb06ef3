// Real web clients against a live sit server: @camptocamp/ogc-client opens
// the endpoint, lists collections and queryables and reads items;
// @placemarkio/check-geojson lints items; @apidevtools/swagger-parser
// validates /api. Usage: node features.mjs BASE_URL LAYER QUERYABLE
// (run by scripts/e2e-features.sh with NODE_PATH set to e2e/node_modules).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH || '.', 'noop.js'));
const { OgcApiEndpoint } = await import(require.resolve('@camptocamp/ogc-client'));
const { getIssues } = require('@placemarkio/check-geojson');
const SwaggerParser = require('@apidevtools/swagger-parser');

const [base, layer, queryable] = process.argv.slice(2);
const fail = (msg) => { console.error(`features.mjs: FAIL: ${msg}`); process.exit(1); };
const ok = (msg) => console.error(`features.mjs: ok: ${msg}`);

// 1. ogc-client, as GeoNetwork UI uses it.
const ep = new OgcApiEndpoint(base + '/');
const info = await ep.info;
if (!info.title) fail('no title in the landing page');
const classes = await ep.conformanceClasses;
if (!classes.includes('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core')) fail('conformance lacks Features core');
if (!(await ep.hasFeatures)) fail('ogc-client sees no features');
const colls = await ep.featureCollections;
if (!colls.includes(layer)) fail(`collection ${layer} not listed: ${colls}`);
const ci = await ep.getCollectionInfo(layer);
const qnames = ci.queryables.map((q) => q.name);
if (!qnames.includes(queryable)) fail(`queryables of ${layer} lack ${queryable}: ${qnames}`);
const page1 = await ep.getCollectionItems(layer, 25, 0);
const page2 = await ep.getCollectionItems(layer, 25, 25);
if (page1.length !== 25 || page2.length !== 25) fail(`pages of ${page1.length} and ${page2.length} items, want 25`);
if (page1.some((f) => page2.find((g) => g.id === f.id))) fail('offset pages overlap');
const one = await ep.getCollectionItem(layer, String(page1[0].id));
if (String(one.id) !== String(page1[0].id)) fail('getCollectionItem returned another feature');
ok(`ogc-client: ${colls.length} collections, ${qnames.length} queryables of ${layer}, items paged by offset`);

// 2. GeoJSON lint of real responses.
for (const q of ['limit=200', 'limit=50&skipGeometry=true', 'limit=20&offset=1000', 'limit=30&sortby=-fid_missing'.replace('-fid_missing', `-${queryable}`)]) {
  const res = await fetch(`${base}/collections/${layer}/items?${q}`, { headers: { Accept: 'application/geo+json' } });
  const text = await res.text();
  if (res.status !== 200) fail(`items?${q}: ${res.status} ${text.slice(0, 200)}`);
  const issues = getIssues(text);
  if (issues.length) fail(`items?${q}: GeoJSON issues ${JSON.stringify(issues.slice(0, 3))}`);
}
{
  const res = await fetch(`${base}/collections/${layer}/items/${encodeURIComponent(page1[0].id)}`);
  const issues = getIssues(await res.text());
  if (issues.length) fail(`single feature: ${JSON.stringify(issues.slice(0, 3))}`);
}
ok('check-geojson: items pages and a feature are valid GeoJSON');

// 3. The OpenAPI document.
const api = await (await fetch(`${base}/api`, { headers: { Accept: 'application/vnd.oai.openapi+json;version=3.0' } })).json();
try {
  await SwaggerParser.validate(structuredClone(api));
} catch (e) {
  fail(`swagger-parser: ${e.message}`);
}
const itemsPath = api.paths[`/collections/${layer}/items`];
if (!itemsPath || !itemsPath.get.parameters.some((p) => p.name === queryable)) fail(`/api does not list ${queryable} on /collections/${layer}/items`);
ok(`swagger-parser: /api is valid OpenAPI ${api.openapi} with ${Object.keys(api.paths).length} paths`);
