// The map's style: the server's kind-aware style (/styles/default.json),
// or one built here from /layers and TileJSON when the server has none,
// plus the optional base map of /map/config.json. Also the layer model the
// panel works on: one entry per catalog layer, with its style layers.
import { PMTiles } from 'pmtiles';
import { apiURL, getJSON } from './api.js';

export const ZONE_COLORS = [['A', '#d7301f'], ['B', '#fc8d59'], ['C', '#fee08b'], ['D', '#9e9ac8'], ['E', '#a1d99b'], ['F', '#6baed6']];
export const BAND_COLORS = [['<30', '#d73027'], ['30-100', '#fc8d59'], ['100-1000', '#91bfdb'], ['>=1000', '#4575b4']];
export const AREA_COLORS = [['white', '#f7f7f7'], ['grey', '#969696'], ['black', '#252525']];
export const OTHER_COLOR = '#bdbdbd';
export const ACCENT = '#0a58ca';
const SOURCE = 'sit';

const KIND_ORDER = { zoning: 0, generic: 1, constraint: 2, boundary: 3, cadastral: 4, broadband: 5, address: 6 };

export function matchColor(prop, pairs, fallback = OTHER_COLOR) {
  return ['match', ['coalesce', ['get', prop], ''], ...pairs.flat(), fallback];
}

const isPoly = (g) => /Polygon/.test(g || '');
const isLine = (g) => /LineString/.test(g || '');

// fallbackStyle mirrors the server's style closely enough for the viewer
// to work against a server without /styles (or a trimmed catalog).
async function fallbackStyle(catalog) {
  const ls = [...catalog].sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) || a.name.localeCompare(b.name));
  const style = { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f2efe9' } }] };
  if (!ls.length) return style;
  const tj = await getJSON(`tiles/${ls.map((l) => l.name).join(',')}.json`);
  style.sources[SOURCE] = { type: 'vector', url: apiURL(`tiles/${ls.map((l) => l.name).join(',')}.json`), attribution: tj.attribution };
  const vl = Object.fromEntries((tj.vector_layers || []).map((v) => [v.id, v]));
  const width = (lo, hi) => ['interpolate', ['linear'], ['zoom'], 10, lo, 18, hi];
  for (const l of ls) {
    const base = { source: SOURCE, 'source-layer': l.name, minzoom: vl[l.name]?.minzoom || 0 };
    const add = (suffix, type, paint, extra = {}) => style.layers.push({ id: `${l.name}-${suffix}`, type, ...base, paint, ...extra });
    const poly = isPoly(l.geometryType);
    switch (l.kind) {
      case 'zoning':
        add('fill', 'fill', { 'fill-color': matchColor('zone_class', ZONE_COLORS), 'fill-opacity': 0.45 });
        add('line', 'line', { 'line-color': '#6e6e6e', 'line-width': width(0.3, 1) });
        break;
      case 'constraint':
        add('fill', 'fill', { 'fill-color': '#b2182b', 'fill-opacity': 0.08 });
        add('line', 'line', { 'line-color': '#b2182b', 'line-width': width(0.8, 2), 'line-dasharray': [3, 2] });
        break;
      case 'cadastral':
        add('fill', 'fill', { 'fill-color': '#ffffff', 'fill-opacity': 0 });
        add('line', 'line', { 'line-color': '#4d4d4d', 'line-width': ['interpolate', ['linear'], ['zoom'], 14, 0.3, 18, 1.2] });
        break;
      case 'boundary':
        add('line', 'line', { 'line-color': '#5e3c99', 'line-width': width(1.2, 3), 'line-opacity': 0.8 });
        break;
      case 'broadband':
        if (poly) add('fill', 'fill', { 'fill-color': matchColor('speed_band', BAND_COLORS), 'fill-opacity': 0.6 });
        else add('circle', 'circle', { 'circle-color': matchColor('speed_band', BAND_COLORS), 'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 1.5, 18, 6], 'circle-stroke-color': '#fff', 'circle-stroke-width': 0.5 });
        break;
      default:
        if (poly) {
          add('fill', 'fill', { 'fill-color': '#3182bd', 'fill-opacity': 0.25 });
          add('outline', 'line', { 'line-color': '#3182bd', 'line-width': 1 });
        } else if (isLine(l.geometryType)) add('line', 'line', { 'line-color': '#08519c', 'line-width': width(0.8, 2.5) });
        else add('circle', 'circle', { 'circle-color': l.kind === 'address' ? '#636363' : '#08519c', 'circle-radius': 3 });
    }
  }
  return style;
}

async function basemapParts(bm) {
  if (!bm) return null;
  const attribution = bm.attribution || '';
  if (bm.type === 'raster') {
    return { sources: { basemap: { type: 'raster', tiles: bm.tiles, tileSize: bm.tileSize || 256, attribution, maxzoom: 19 } }, layers: [{ id: 'basemap', type: 'raster', source: 'basemap' }] };
  }
  if (bm.type === 'pmtiles') {
    const abs = new URL(bm.url, location.href).href;
    const p = new PMTiles(abs);
    const header = await p.getHeader();
    const url = `pmtiles://${abs}`;
    if (header.tileType !== 1) {
      return { sources: { basemap: { type: 'raster', url, tileSize: 256, attribution } }, layers: [{ id: 'basemap', type: 'raster', source: 'basemap' }] };
    }
    // A vector archive without a style: draw it quietly, as a backdrop.
    const meta = (await p.getMetadata()) || {};
    const layers = [];
    for (const v of meta.vector_layers || []) {
      const common = { source: 'basemap', 'source-layer': v.id };
      layers.push({ id: `basemap-${v.id}-fill`, type: 'fill', ...common, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#e4e0d8', 'fill-opacity': 0.6 } });
      layers.push({ id: `basemap-${v.id}-line`, type: 'line', ...common, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#c9c3b8', 'line-width': 0.8 } });
    }
    return { sources: { basemap: { type: 'vector', url, attribution } }, layers };
  }
  if (bm.type === 'style') {
    const base = await (await fetch(bm.url)).json();
    return { style: base };
  }
  return null;
}

// loadStyle returns {style, catalog, legends}: the style to give MapLibre
// and the catalog from /layers.
export function fetchStyleParts() {
  return {
    catalog: getJSON('layers').catch(() => ({ layers: [] })),
    style: getJSON('styles/default.json').catch(() => null),
  };
}

export async function loadStyle(configP, parts = fetchStyleParts()) {
  const [catalogDoc, serverStyle, config] = await Promise.all([parts.catalog, parts.style, configP]);
  const catalog = catalogDoc.layers || [];
  let style = serverStyle || (await fallbackStyle(catalog));
  style = structuredClone(style);
  // The server's style is an overlay, without a background (a GIS would
  // draw one over its other layers): the viewer lays the palette's paper under it.
  const paper = style.metadata?.['sit:palette']?.colors?.background;
  if (paper && !style.layers.some((l) => l.type === 'background')) style.layers.unshift({ id: 'background', type: 'background', paint: { 'background-color': paper } });
  let baseInfo = null;
  try {
    baseInfo = await basemapParts(config.basemap);
  } catch (err) {
    console.warn('base map unavailable:', err);
  }
  if (baseInfo?.style) {
    const b = baseInfo.style;
    style = {
      ...b,
      metadata: { ...(b.metadata || {}), ...(style.metadata || {}) },
      sources: { ...b.sources, ...style.sources },
      layers: [...b.layers.map((l) => ({ ...l, metadata: { ...(l.metadata || {}), 'sit:basemap': true } })), ...style.layers.filter((l) => l.type !== 'background')],
    };
  } else if (baseInfo) {
    Object.assign(style.sources, baseInfo.sources);
    const bg = style.layers.findIndex((l) => l.type === 'background');
    style.layers.splice(bg + 1, 0, ...baseInfo.layers.map((l) => ({ ...l, metadata: { 'sit:basemap': true } })));
  }
  // Polygon layers drawn as outlines only (boundaries, statistical areas)
  // get an invisible fill, so that a click inside one says which it is.
  const styled = new Map();
  for (const l of style.layers) if (l['source-layer']) styled.set(l['source-layer'], [...(styled.get(l['source-layer']) || []), l]);
  for (const [name, ls] of styled) {
    const c = catalog.find((x) => x.name === name);
    if (!c || !isPoly(c.geometryType) || ls.some((l) => l.type === 'fill')) continue;
    const first = ls[0];
    const at = style.layers.indexOf(first);
    style.layers.splice(at, 0, {
      id: `${name}-hit`, type: 'fill', source: first.source, 'source-layer': name,
      ...(first.minzoom != null ? { minzoom: first.minzoom } : {}), ...(first.maxzoom != null ? { maxzoom: first.maxzoom } : {}),
      paint: { 'fill-color': '#000000', 'fill-opacity': 0 },
    });
  }
  // Broadband polygons in a circle layer would draw dots at vertices.
  for (const l of style.layers) {
    const c = catalog.find((x) => x.name === l['source-layer']);
    if (c && l.type === 'circle' && isPoly(c.geometryType)) {
      l.type = 'fill';
      l.paint = { 'fill-color': l.paint?.['circle-color'] || ACCENT, 'fill-opacity': 0.6 };
    }
  }
  return { style, catalog, legends: style.metadata?.['sit:legend'] || [], hasBasemap: !!baseInfo };
}

const OPACITY_PROPS = {
  fill: ['fill-opacity'], line: ['line-opacity'], circle: ['circle-opacity', 'circle-stroke-opacity'],
  raster: ['raster-opacity'], symbol: ['icon-opacity', 'text-opacity'], 'fill-extrusion': ['fill-extrusion-opacity'],
  heatmap: ['heatmap-opacity'],
};

// scaleOpacity multiplies a paint opacity (number, default 1, or a zoom
// curve) by k.
export function scaleOpacity(value, k) {
  if (value == null) return k;
  if (typeof value === 'number') return value * k;
  if (Array.isArray(value) && value[0] === 'interpolate') {
    return value.map((v, i) => (i >= 4 && i % 2 === 0 && typeof v === 'number' ? v * k : v));
  }
  if (Array.isArray(value) && value[0] === 'step') {
    return value.map((v, i) => (i >= 2 && i % 2 === 0 && typeof v === 'number' ? v * k : v));
  }
  return value;
}

function swatchOf(layers, geometryType) {
  const fill = layers.find((l) => l.type === 'fill' && l.paint?.['fill-opacity'] !== 0 && typeof l.paint?.['fill-color'] === 'string');
  const line = layers.find((l) => l.type === 'line' && typeof l.paint?.['line-color'] === 'string');
  if (isPoly(geometryType) && !fill && line) return { color: line.paint['line-color'], type: 'outline', dashed: !!line.paint['line-dasharray'] };
  for (const l of layers) {
    const p = l.paint || {};
    const c = p['fill-color'] ?? p['line-color'] ?? p['circle-color'];
    if (typeof c === 'string' && !(l.type === 'fill' && p['fill-opacity'] === 0)) return { color: c, type: l.type, dashed: !!p['line-dasharray'] };
  }
  return { color: '#777', type: 'line' };
}

// layerModel groups the style's layers by catalog layer, top of the map first.
export function layerModel(style, catalog, legends) {
  const byName = Object.fromEntries(catalog.map((c) => [c.name, c]));
  const legendBy = Object.fromEntries((legends || []).map((l) => [l.layer, l]));
  const entries = new Map();
  for (const l of style.layers) {
    // Label layers read "<layer>:labels" (label points): they belong to <layer>.
    const raw = l['source-layer'];
    const name = raw && byName[raw.replace(/:labels$/, '')] ? raw.replace(/:labels$/, '') : raw;
    if (!name || l.metadata?.['sit:basemap']) continue;
    const c = byName[name] || { name, title: name, kind: 'generic' };
    if (!entries.has(name)) {
      entries.set(name, { ...c, styleLayers: [], minzoom: 24, visible: true, opacity: 1, legend: legendBy[name] || null });
    }
    const e = entries.get(name);
    e.styleLayers.push({ id: l.id, type: l.type, base: Object.fromEntries((OPACITY_PROPS[l.type] || []).map((p) => [p, l.paint?.[p]])) });
    e.minzoom = Math.min(e.minzoom, l.minzoom || 0);
  }
  const out = [...entries.values()].reverse();
  // The base map is one more entry: a toggle and an opacity, no legend.
  const base = style.layers.filter((l) => l.metadata?.['sit:basemap']);
  if (base.length) {
    out.push({
      name: 'basemap', title: null, kind: 'basemap', visible: true, opacity: 1, minzoom: 0, legend: null,
      swatch: { type: 'fill', color: '#d9d4c7' },
      styleLayers: base.map((l) => ({ id: l.id, type: l.type, base: Object.fromEntries((OPACITY_PROPS[l.type] || []).map((p) => [p, l.paint?.[p]])) })),
    });
  }
  for (const e of out) {
    if (e.kind === 'basemap') continue;
    if (!e.legend && e.kind === 'zoning') e.legend = { property: 'zone_class', items: ZONE_COLORS.map(([v, color]) => ({ value: v, color })) };
    if (!e.legend && e.kind === 'broadband') e.legend = { property: 'speed_band', items: BAND_COLORS.map(([v, color]) => ({ value: v, color })) };
    e.swatch = e.legend?.items?.length
      ? { type: 'multi', colors: e.legend.items.filter((i) => i.value != null).map((i) => i.color) }
      : swatchOf(style.layers.filter((l) => l['source-layer'] === e.name), e.geometryType);
  }
  return out;
}

export function applyOpacity(map, entry) {
  for (const sl of entry.styleLayers) {
    for (const [prop, base] of Object.entries(sl.base)) {
      map.setPaintProperty(sl.id, prop, scaleOpacity(base, entry.opacity));
    }
  }
}

export function applyVisibility(map, entry) {
  for (const sl of entry.styleLayers) map.setLayoutProperty(sl.id, 'visibility', entry.visible ? 'visible' : 'none');
}
