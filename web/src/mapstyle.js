// The map's style: the server's kind-aware style (/styles/default.json),
// whose metadata carries the legends and the palette, plus the optional
// base map of /map/config.json. The viewer draws nothing in colours of its
// own: without the server's style there is no map, and an error says so.
import { PMTiles } from 'pmtiles';
import { getJSON } from './api.js';
import { scaleOpacity } from './legend.js';
import { withPaper, mergeBasemap, addHitLayers, polygonCircles } from './style-parts.js';
import { paletteOf } from './palette.js';

// The viewer's own accent (selection, highlight): a UI colour, not a
// colour of the data.
export const ACCENT = '#0a58ca';

// vectorBackdrop draws a vector archive that comes without a style in the
// palette's backdrop colours.
function vectorBackdrop(meta, palette) {
  const layers = [];
  for (const v of meta.vector_layers || []) {
    const common = { source: 'basemap', 'source-layer': v.id };
    layers.push({ id: `basemap-${v.id}-fill`, type: 'fill', ...common, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': palette.color('basemap_fill'), 'fill-opacity': 0.6 } });
    layers.push({ id: `basemap-${v.id}-line`, type: 'line', ...common, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': palette.color('basemap_line'), 'line-width': 0.8 } });
  }
  return layers;
}

async function basemapParts(bm, palette) {
  if (!bm) return null;
  const attribution = bm.attribution || '';
  const raster = (src) => ({ sources: { basemap: src }, layers: [{ id: 'basemap', type: 'raster', source: 'basemap' }] });
  if (bm.type === 'raster') return raster({ type: 'raster', tiles: bm.tiles, tileSize: bm.tileSize || 256, attribution, maxzoom: 19 });
  if (bm.type === 'pmtiles') {
    const abs = new URL(bm.url, location.href).href;
    const p = new PMTiles(abs);
    const header = await p.getHeader();
    const url = `pmtiles://${abs}`;
    if (header.tileType !== 1) return raster({ type: 'raster', url, tileSize: 256, attribution });
    // A vector archive without a style: drawn quietly, as a backdrop.
    return { sources: { basemap: { type: 'vector', url, attribution } }, layers: vectorBackdrop((await p.getMetadata()) || {}, palette) };
  }
  if (bm.type === 'style') return { style: await (await fetch(bm.url)).json() };
  return null;
}

// fetchStyleParts starts the catalog and style requests (boot runs them in
// parallel with the configuration).
export function fetchStyleParts() {
  return {
    catalog: getJSON('layers').catch(() => ({ layers: [] })),
    style: getJSON('styles/default.json'),
  };
}

// loadStyle returns {style, catalog, legends, hasBasemap}: the style to give
// MapLibre (the server's, with the base map merged) and the catalog.
export async function loadStyle(configP, parts = fetchStyleParts()) {
  const [catalogDoc, serverStyle, config] = await Promise.all([parts.catalog, parts.style, configP]);
  const catalog = catalogDoc.layers || [];
  let baseInfo = null;
  try {
    baseInfo = await basemapParts(config.basemap, paletteOf(serverStyle));
  } catch (err) {
    console.warn('base map unavailable:', err);
  }
  let style = mergeBasemap(withPaper(structuredClone(serverStyle)), baseInfo);
  style = polygonCircles(addHitLayers(style, catalog), catalog, ACCENT);
  return { style, catalog, legends: style.metadata?.['sit:legend'] || [], hasBasemap: !!baseInfo };
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
