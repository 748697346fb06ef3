// SIT map viewer: boots the page shell, loads the configuration, the
// catalog and the style in parallel, then the map, the layer panel, the
// search, click-info and (at #divide) the digital-divide dashboard.
import { addProtocol, setWorkerUrl } from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';

import { getJSON } from './api.js';
import { h, clear, announce } from './dom.js';
import { makeI18n, pickLanguage } from './i18n.js';
import { loadStyle, applyVisibility } from './mapstyle.js';
import { layerModel } from './legend.js';
import { paletteOf } from './palette.js';
import { renderLayerPanel } from './panel-layers.js';
import { createSearch } from './search.js';
import { createInfo } from './info.js';
import { createDivide } from './divide.js';
import { createPanels } from './panels.js';
import { shell, toast } from './shell.js';
import { createMap, addHighlight, createMarks } from './mapview.js';
import { createRouter } from './router.js';
import { hashWith, parseHash } from './urls.js';

/* global __WORKER_FILE__ */
setWorkerUrl(new URL(`./${__WORKER_FILE__}`, import.meta.url).href);
const pmtiles = new Protocol();
addProtocol('pmtiles', pmtiles.tile);

const i18n = makeI18n(pickLanguage());
document.documentElement.lang = i18n.lang;
document.title = i18n.t('app.title');

// paddingOf keeps fitted views clear of the open panels.
function paddingOf(ui) {
  return () => {
    const wide = window.innerWidth > 720;
    const sideOpen = !ui.side.classList.contains('collapsed');
    const sideW = wide && sideOpen ? ui.side.offsetWidth + 16 : 0;
    const infoW = wide && !ui.info.hidden ? ui.info.offsetWidth + 16 : 0;
    // On a phone the sheets cover the bottom of the map, up to their max-height.
    const sheet = Math.max(!ui.info.hidden ? 0.55 : 0, sideOpen ? ui.side.offsetHeight / (ui.mapEl.clientHeight || 1) : 0);
    const bottom = !wide ? ui.mapEl.clientHeight * sheet : 0;
    return { top: 40, bottom: 40 + bottom, left: 30 + sideW, right: 30 + infoW };
  };
}

// Broadband coverage belongs to the dashboard: the map view starts without it.
function hideCoverage(style, model) {
  for (const e of model) if (e.kind === 'broadband') e.visible = false;
  for (const l of style.layers) {
    const e = model.find((m) => m.styleLayers.some((s) => s.id === l.id));
    if (e && !e.visible) l.layout = { ...(l.layout || {}), visibility: 'none' };
  }
}

function clearParcelHash() {
  if (parseHash(location.hash).has('parcel')) {
    history.replaceState(history.state, '', hashWith(location.hash, 'parcel', null) || location.pathname + location.search);
  }
}

// interactions: a pointer over something clickable says so; "/" focuses
// the search, as on many sites.
function interactions(map, model, search) {
  let hover = null;
  map.on('mousemove', (ev) => {
    if (hover) return;
    hover = requestAnimationFrame(() => {
      hover = null;
      const ids = model.filter((e) => e.visible && e.kind !== 'boundary' && e.kind !== 'basemap').flatMap((e) => e.styleLayers.map((s) => s.id));
      const hit = map.queryRenderedFeatures(ev.point, { layers: ids.filter((id) => map.getLayer(id)) }).length > 0;
      map.getCanvas().style.cursor = hit ? 'pointer' : '';
    });
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === '/' && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName)) {
      ev.preventDefault();
      search.focus();
    }
  });
}

// openParcelFromHash shows the parcel named by #parcel=REF at start.
function openParcelFromHash(map, info, padding) {
  const ref = parseHash(location.hash).get('parcel');
  if (!ref) return;
  getJSON(`parcels/${encodeURIComponent(ref)}`).then((f) => {
    if (f.type !== 'Feature') return;
    info.showParcel(f);
    if (!parseHash(location.hash).has('map') && f.bbox) map.fitBounds([[f.bbox[0], f.bbox[1]], [f.bbox[2], f.bbox[3]]], { padding: padding(), maxZoom: 18, duration: 0 });
  }).catch((err) => toast(i18n.t('info.loadError', { msg: err.message })));
}

async function boot() {
  const configP = fetch(new URL('config.json', location.href)).then((r) => r.json()).catch(() => ({}));
  const styleP = loadStyle(configP);
  styleP.catch(() => {}); // handled below, after the shell is drawn
  const config = await configP;
  const app = {};
  const search = createSearch({ i18n, onSelect: (f, address) => app.selectParcel(f, address), onPoint: (pt, label) => app.showPoint(pt, label) });
  const ui = shell(i18n, config, search);
  const panels = createPanels({ ...ui, onInfoClosed: () => app.marks?.highlight(null) });
  ui.collapse.addEventListener('click', () => { panels.closeSide(); ui.fab.focus(); });
  ui.fab.addEventListener('click', () => panels.openSide(true));
  // Narrow screens start with the map, the panel one tap away.
  panels.setSide(!window.matchMedia('(max-width: 720px)').matches);
  let loaded;
  try {
    loaded = await styleP;
  } catch (err) {
    toast(i18n.t('map.error', { msg: err.message }));
    document.getElementById('boot')?.remove();
    throw err;
  }
  const { style, catalog, legends } = loaded;
  const palette = paletteOf(style);
  const model = layerModel(style, catalog, legends, palette);
  hideCoverage(style, model);
  const padding = paddingOf(ui);
  let map;
  try {
    map = createMap({ mapEl: ui.mapEl, style, catalog, i18n, padding });
  } catch (err) {
    clear(ui.mapEl).append(h('p', { class: 'map-error' }, i18n.t('map.webgl')));
    document.getElementById('boot')?.remove();
    throw err;
  }
  app.marks = createMarks(map, clearParcelHash);
  const info = createInfo({ map, i18n, panel: ui.info, catalog, model, palette, highlight: app.marks.highlight, panels });
  app.selectParcel = (feature, address) => {
    info.showParcel(feature, { address });
    app.marks.setMarker(address?.point || null, 0.8);
    const b = feature.bbox;
    if (b) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: padding(), maxZoom: 18, duration: 800 });
  };
  app.showPoint = (pt, label) => {
    app.marks.setMarker(pt);
    map.flyTo({ center: pt, zoom: 18, duration: 800 });
    announce(label);
  };
  const layerRoot = h('div', { class: 'layers' });
  let divide = null;
  const router = createRouter({ ui, i18n, panels, info, layerRoot, divide: () => divide });
  map.on('load', () => {
    addHighlight(map);
    const panel = renderLayerPanel(layerRoot, { map, model, i18n, palette });
    divide = createDivide({ map, i18n, catalog, model, palette, onVisibility: () => panel.refresh(), applyVisibility, padding });
    router.route();
    document.getElementById('boot')?.remove();
    openParcelFromHash(map, info, padding);
  });
  map.on('click', (ev) => {
    if (divide?.active && divide.onClick(ev)) return;
    info.showAt(ev);
  });
  interactions(map, model, search);
}

boot().catch((err) => {
  console.warn('viewer:', err);
  document.getElementById('boot')?.remove();
});
