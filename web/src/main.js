// SIT map viewer: boots the page shell, loads the configuration, the
// catalog and the style in parallel, then the map, the layer panel, the
// search, click-info and (at #divide) the digital-divide dashboard.
import {
  Map as MLMap, NavigationControl, ScaleControl, GeolocateControl, AttributionControl, Marker,
  addProtocol, setWorkerUrl,
} from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';

import { getJSON } from './api.js';
import { h, icon, clear, announce } from './dom.js';
import { makeI18n, pickLanguage } from './i18n.js';
import { loadStyle, layerModel, applyVisibility, ACCENT } from './mapstyle.js';
import { renderLayerPanel } from './panel-layers.js';
import { createSearch } from './search.js';
import { createInfo } from './info.js';
import { createDivide } from './divide.js';

/* global __WORKER_FILE__ */
setWorkerUrl(new URL(`./${__WORKER_FILE__}`, import.meta.url).href);
const pmtiles = new Protocol();
addProtocol('pmtiles', pmtiles.tile);

const i18n = makeI18n(pickLanguage());
document.documentElement.lang = i18n.lang;
document.title = i18n.t('app.title');

const hashParams = () => new URLSearchParams(location.hash.slice(1));
const writeHash = (p) => `#${decodeURIComponent(p.toString()).replace(/=&/g, '&').replace(/=$/, '')}`;
const isDivide = () => hashParams().has('divide');

function toast(msg) {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = msg;
  el.hidden = false;
  clearTimeout(toast.t);
  toast.t = setTimeout(() => { el.hidden = true; }, 6000);
}

function shell(config) {
  const app = clear(document.getElementById('app'));
  const search = createSearch({ i18n, onSelect: (f, address) => ctx.selectParcel(f, address), onPoint: (pt, label) => ctx.showPoint(pt, label) });
  const tab = (href, name, label, iconName) => h('a', { href, class: 'tab', dataset: { view: name } }, icon(iconName), h('span', { class: 'tab-label' }, label));
  const other = i18n.lang === 'it' ? 'en' : 'it';
  const langLink = h('a', { class: 'lang', href: `?lang=${other}${location.hash}`, hreflang: other, lang: other, title: i18n.t('nav.lang'), 'aria-label': i18n.t('nav.lang') }, i18n.t('nav.langShort'));
  langLink.addEventListener('click', (ev) => {
    ev.preventDefault();
    location.href = `?lang=${other}${location.hash}`;
  });
  const sideTitle = h('h2', { id: 'side-title' }, i18n.t('layers.title'));
  const sideBody = h('div', { class: 'panel-body', id: 'side-body' });
  const collapse = h('button', { type: 'button', class: 'icon-btn', 'aria-label': i18n.t('layers.hide'), title: i18n.t('layers.hide'), 'aria-controls': 'side' }, icon('close'));
  const side = h('aside', { id: 'side', class: 'panel side', 'aria-labelledby': 'side-title' }, h('header', { class: 'panel-head' }, sideTitle, collapse), sideBody);
  const fabLabel = h('span', null, i18n.t('layers.title'));
  const fab = h('button', { type: 'button', class: 'fab', id: 'side-open', 'aria-controls': 'side', 'aria-expanded': 'false' }, icon('layers'), fabLabel);
  const setSide = (open, focus = false) => {
    side.classList.toggle('collapsed', !open);
    fab.hidden = open;
    fab.setAttribute('aria-expanded', String(open));
    if (open && focus) sideTitle.focus();
  };
  collapse.addEventListener('click', () => { setSide(false); fab.focus(); });
  fab.addEventListener('click', () => setSide(true, true));
  sideTitle.tabIndex = -1;
  const mapEl = h('div', { id: 'map', role: 'region', 'aria-label': i18n.t('map.label') });
  const info = h('aside', { id: 'info', class: 'panel info', hidden: true });
  app.append(
    h('header', { class: 'topbar' },
      h('a', { class: 'brand', href: './', title: i18n.t('app.subtitle') },
        h('span', { class: 'logo', 'aria-hidden': 'true' }),
        h('span', { class: 'brand-text' }, h('strong', null, 'SIT'), h('small', null, config.comune || i18n.t('app.subtitle')))),
      search.root,
      h('nav', { class: 'tabs', 'aria-label': i18n.t('app.subtitle') }, tab('#', 'map', i18n.t('nav.map'), 'map'), tab('#divide', 'divide', i18n.t('nav.divide'), 'chart')),
      langLink),
    h('main', { class: 'stage' }, mapEl, side, fab, info,
      h('div', { id: 'toast', class: 'toast', role: 'alert', hidden: true }),
      h('div', { id: 'live', class: 'sr-only', 'aria-live': 'polite' })));
  // Narrow screens start with the map, the panel one tap away.
  setSide(!window.matchMedia('(max-width: 720px)').matches);
  return { search, side, sideTitle, sideBody, info, mapEl, setSide, fabLabel };
}

const ctx = {};

async function boot() {
  // Configuration, catalog and style are fetched at once.
  const configP = fetch(new URL('config.json', location.href)).then((r) => r.json()).catch(() => ({}));
  const styleP = loadStyle(configP);
  styleP.catch(() => {}); // handled below, after the shell is drawn
  const config = await configP;
  const ui = shell(config);
  let loaded;
  try {
    loaded = await styleP;
  } catch (err) {
    toast(i18n.t('map.error', { msg: err.message }));
    throw err;
  }
  const { style, catalog, legends } = loaded;
  const model = layerModel(style, catalog, legends);
  // Broadband coverage belongs to the dashboard; the map view starts without it.
  for (const e of model) if (e.kind === 'broadband') e.visible = false;
  for (const l of style.layers) {
    const e = model.find((m) => m.styleLayers.some((s) => s.id === l.id));
    if (e && !e.visible) l.layout = { ...(l.layout || {}), visibility: 'none' };
  }

  const padding = () => {
    const wide = window.innerWidth > 720;
    const sideW = wide && !ui.side.classList.contains('collapsed') ? ui.side.offsetWidth + 16 : 0;
    const infoW = wide && !ui.info.hidden ? ui.info.offsetWidth + 16 : 0;
    // On a phone the sheets cover the bottom of the map, up to their max-height.
    const sheet = Math.max(!ui.info.hidden ? 0.55 : 0, !ui.side.classList.contains('collapsed') ? ui.side.offsetHeight / (ui.mapEl.clientHeight || 1) : 0);
    const bottom = !wide ? ui.mapEl.clientHeight * sheet : 0;
    return { top: 40, bottom: 40 + bottom, left: 30 + sideW, right: 30 + infoW };
  };

  const pick = (kinds) => catalog.find((c) => kinds.includes(c.kind) && c.bbox)?.bbox;
  const bbox = pick(['cadastral']) || pick(['zoning']) || pick(['boundary', 'generic', 'address', 'broadband', 'constraint']);
  let map;
  try {
    map = new MLMap({
      container: ui.mapEl,
      style,
      hash: 'map',
      bounds: bbox ? [[bbox[0], bbox[1]], [bbox[2], bbox[3]]] : undefined,
      fitBoundsOptions: { padding: padding() },
      center: bbox ? undefined : [12.5, 42.5],
      zoom: bbox ? undefined : 5,
      maxZoom: 21,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      cooperativeGestures: false,
      locale: {
        'NavigationControl.ZoomIn': i18n.t('ml.zoomIn'), 'NavigationControl.ZoomOut': i18n.t('ml.zoomOut'),
        'GeolocateControl.FindMyLocation': i18n.t('ml.locate'), 'GeolocateControl.LocationNotAvailable': i18n.t('ml.noLocation'),
        'AttributionControl.ToggleAttribution': i18n.t('ml.attribution'), 'Map.Title': i18n.t('ml.title'),
      },
    });
  } catch (err) {
    clear(ui.mapEl).append(h('p', { class: 'map-error' }, i18n.t('map.webgl')));
    document.getElementById('boot')?.remove();
    throw err;
  }
  window.sitMap = map; // for the console and the browser tests
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new GeolocateControl({ positionOptions: { enableHighAccuracy: true }, trackUserLocation: false, showAccuracyCircle: true }), 'top-right');
  map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');
  map.addControl(new AttributionControl({ compact: true }), 'bottom-right');
  // Compact means a button: start closed, the sources are one click away.
  map.once('load', () => document.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show'));

  // The map element reports its state for tests and assistive tools.
  map.on('idle', () => {
    ui.mapEl.dataset.idle = 'true';
    if (!performance.getEntriesByName('sit:first-idle').length) performance.mark('sit:first-idle');
  });
  map.on('dataloading', () => { delete ui.mapEl.dataset.idle; });
  map.on('movestart', () => { delete ui.mapEl.dataset.idle; });
  map.on('error', (ev) => {
    // MapLibre logs to console.error without a listener; a failed tile is
    // not a page error. Real failures are shown once.
    const msg = ev.error?.message || String(ev.error || 'error');
    if (ev.error?.name === 'AbortError') return;
    console.warn('map:', msg);
    if (!ev.tile && !ev.sourceId) toast(i18n.t('map.error', { msg }));
  });

  let marker = null;
  const highlight = (feature) => {
    const src = map.getSource('sit-highlight');
    if (!src) return;
    src.setData(feature && feature.geometry ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: feature.geometry, properties: {} }] } : { type: 'FeatureCollection', features: [] });
    if (!feature) {
      marker?.remove();
      marker = null;
      const p = hashParams();
      if (p.has('parcel')) {
        p.delete('parcel');
        history.replaceState(history.state, '', writeHash(p));
      }
    }
  };
  const info = createInfo({ map, i18n, panel: ui.info, catalog, model, highlight });
  ctx.selectParcel = (feature, address) => {
    info.showParcel(feature, { address });
    marker?.remove();
    marker = address?.point ? new Marker({ color: ACCENT, scale: 0.8 }).setLngLat(address.point).addTo(map) : null;
    const b = feature.bbox;
    if (b) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: padding(), maxZoom: 18, duration: 800 });
  };
  ctx.showPoint = (pt, label) => {
    marker?.remove();
    marker = new Marker({ color: ACCENT }).setLngLat(pt).addTo(map);
    map.flyTo({ center: pt, zoom: 18, duration: 800 });
    announce(label);
  };

  const layerRoot = h('div', { class: 'layers' });
  let divide = null;
  const route = () => {
    const d = isDivide();
    document.getElementById('app').classList.toggle('mode-divide', d);
    for (const a of document.querySelectorAll('.tab')) {
      const on = (a.dataset.view === 'divide') === d;
      if (on) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    ui.sideTitle.textContent = i18n.t(d ? 'divide.title' : 'layers.title');
    ui.fabLabel.textContent = i18n.t(d ? 'divide.title' : 'layers.title');
    clear(ui.sideBody).append(d ? divide.root : layerRoot);
    if (d) {
      ui.setSide(true); // the dashboard is the panel: open it, also on a phone
      divide.activate();
    } else {
      divide?.deactivate();
    }
  };
  // Tabs keep the map position: only the view part of the hash changes.
  for (const a of document.querySelectorAll('.tab')) {
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      const p = hashParams();
      if (a.dataset.view === 'divide') p.set('divide', '');
      else p.delete('divide');
      history.pushState(null, '', writeHash(p) === '#' ? location.pathname + location.search : writeHash(p));
      route();
    });
  }
  window.addEventListener('popstate', route);
  window.addEventListener('hashchange', () => { if (!!divide?.active !== isDivide()) route(); });

  map.on('load', () => {
    map.addSource('sit-highlight', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({ id: 'sit-highlight-fill', type: 'fill', source: 'sit-highlight', paint: { 'fill-color': ACCENT, 'fill-opacity': 0.18 } });
    map.addLayer({ id: 'sit-highlight-casing', type: 'line', source: 'sit-highlight', paint: { 'line-color': '#ffffff', 'line-width': 6, 'line-opacity': 0.9 } });
    map.addLayer({ id: 'sit-highlight-line', type: 'line', source: 'sit-highlight', paint: { 'line-color': ACCENT, 'line-width': 3 } });
    const panel = renderLayerPanel(layerRoot, { map, model, i18n });
    divide = createDivide({ map, i18n, catalog, model, onVisibility: () => panel.refresh(), applyVisibility, padding });
    route();
    document.getElementById('boot')?.remove();
    const ref = hashParams().get('parcel');
    if (ref) {
      getJSON(`parcels/${encodeURIComponent(ref)}`).then((f) => {
        if (f.type === 'Feature') {
          info.showParcel(f);
          if (!hashParams().has('map') && f.bbox) map.fitBounds([[f.bbox[0], f.bbox[1]], [f.bbox[2], f.bbox[3]]], { padding: padding(), maxZoom: 18, duration: 0 });
        }
      }).catch((err) => toast(i18n.t('info.loadError', { msg: err.message })));
    }
  });

  map.on('click', (ev) => {
    if (divide?.active && divide.onClick(ev)) return;
    info.showAt(ev);
  });
  // A pointer over something clickable says so.
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
  // "/" focuses the search, as on many sites.
  document.addEventListener('keydown', (ev) => {
    if (ev.key === '/' && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName)) {
      ev.preventDefault();
      ui.search.focus();
    }
  });
}

boot().catch((err) => {
  console.warn('viewer:', err);
  document.getElementById('boot')?.remove();
});
