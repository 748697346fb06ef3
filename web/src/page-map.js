// The map of the OGC API HTML pages (a feature, a page of features): the
// features over the server's style and the viewer's base map (config.json),
// with a scale bar. The page carries a static SVG sketch of the same
// features; this map takes its place once it has loaded, and where it
// cannot run (no WebGL, no network) the sketch stays.
//
// The page says where things are: <body data-style-url data-config-url>,
// <figure data-sit-map data-bbox="w,s,e,n" data-features="GeoJSON URL">.
// The figure reports data-map="loaded" or "failed" (for tests and tools).
import { Map as MLMap, NavigationControl, ScaleControl, AttributionControl, addProtocol, setWorkerUrl } from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import 'maplibre-gl/dist/maplibre-gl.css';
import { makeI18n } from './i18n.js';
import { loadStyle, ACCENT } from './mapstyle.js';

/* global __WORKER_FILE__ */
setWorkerUrl(new URL(`./${__WORKER_FILE__}`, import.meta.url).href);
addProtocol('pmtiles', new Protocol().tile);

async function fetchJSON(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json, application/geo+json' } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

// featureLayers draw the page's features above everything, in the
// viewer's accent (as its highlighted parcel).
function featureLayers() {
  const on = (...types) => ['in', ['geometry-type'], ['literal', types]];
  return [
    { id: 'page-fill', type: 'fill', source: 'page', filter: on('Polygon', 'MultiPolygon'), paint: { 'fill-color': ACCENT, 'fill-opacity': 0.15 } },
    { id: 'page-casing', type: 'line', source: 'page', filter: on('Polygon', 'MultiPolygon', 'LineString', 'MultiLineString'), paint: { 'line-color': '#ffffff', 'line-width': 5, 'line-opacity': 0.9 } },
    { id: 'page-line', type: 'line', source: 'page', filter: on('Polygon', 'MultiPolygon', 'LineString', 'MultiLineString'), paint: { 'line-color': ACCENT, 'line-width': 2.5 } },
    { id: 'page-point', type: 'circle', source: 'page', filter: on('Point', 'MultiPoint'), paint: { 'circle-color': ACCENT, 'circle-radius': 6, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } },
  ];
}

function frame(bbox) {
  const [w, s, e, n] = bbox.split(',').map(Number);
  if (w === e && s === n) return { center: [w, s], zoom: 18 };
  return { bounds: [[w, s], [e, n]], fitBoundsOptions: { padding: 40, maxZoom: 19 } };
}

async function draw(fig, i18n) {
  const { styleUrl, configUrl } = document.body.dataset;
  const configP = fetchJSON(configUrl).catch(() => ({}));
  const [{ style }, data] = await Promise.all([
    loadStyle(configP, { catalog: Promise.resolve({ layers: [] }), style: fetchJSON(styleUrl) }),
    fetchJSON(fig.dataset.features),
  ]);
  const sketch = fig.querySelector('svg');
  const el = document.createElement('div');
  el.className = 'gl';
  el.setAttribute('role', 'region');
  el.setAttribute('aria-label', sketch?.getAttribute('aria-label') || '');
  fig.prepend(el);
  let map;
  try {
    map = new MLMap({
      container: el, style, ...frame(fig.dataset.bbox), maxZoom: 21, attributionControl: false,
      dragRotate: false, pitchWithRotate: false, touchPitch: false, cooperativeGestures: true,
      locale: { 'NavigationControl.ZoomIn': i18n.t('ml.zoomIn'), 'NavigationControl.ZoomOut': i18n.t('ml.zoomOut'), 'AttributionControl.ToggleAttribution': i18n.t('ml.attribution'), 'Map.Title': i18n.t('ml.title') },
    });
  } catch (err) {
    el.remove(); // no WebGL: the sketch stays
    throw err;
  }
  window.sitPageMap = map; // for the console and the browser tests
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');
  map.addControl(new AttributionControl({ compact: true }), 'bottom-right');
  map.on('error', (ev) => console.warn('map:', ev.error?.message || ev.error));
  map.on('load', () => {
    map.addSource('page', { type: 'geojson', data });
    for (const l of featureLayers()) map.addLayer(l);
    // The sketch and its note give way to the map; the sources are one
    // click away (compact attribution, closed).
    sketch?.remove();
    fig.querySelector('figcaption')?.remove();
    el.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show');
    fig.dataset.map = 'loaded';
  });
}

const i18n = makeI18n(document.documentElement.lang === 'en' ? 'en' : 'it');
for (const fig of document.querySelectorAll('figure[data-sit-map]')) {
  draw(fig, i18n).catch((err) => {
    console.warn('page map:', err);
    fig.dataset.map = 'failed';
  });
}
