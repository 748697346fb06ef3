// The layer model the panel works on, and the legends: one entry per
// catalog layer with its style layers, its swatch and its legend, built
// from the style and its palette. Pure: unit-tested with node --test.
import { stepRanges } from './palette.js';

const isPoly = (g) => /Polygon/.test(g || '');

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

// swatchOf picks the colour that stands for a layer in the panel.
export function swatchOf(layers, geometryType) {
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

const styleLayerRef = (l) => ({ id: l.id, type: l.type, minzoom: l.minzoom || 0, base: Object.fromEntries((OPACITY_PROPS[l.type] || []).map((p) => [p, l.paint?.[p]])) });

// legendOf is a layer's legend: the style's (sit:legend), else the
// palette's for its kind; a step legend (FTTH share) as ranges.
function legendOf(e, legendBy, palette) {
  const l = legendBy[e.name];
  if (l?.steps) return { property: l.property, items: stepRanges(l.steps).map((r) => ({ value: r.label, label: r.label, color: r.color })) };
  if (l) return l;
  const prop = { zoning: 'zone_class', broadband: 'speed_band' }[e.kind];
  if (!prop) return null;
  return { property: prop, items: palette.legend(prop).entries.map((x) => ({ value: x.value, label: x.label, color: x.color })) };
}

// layerModel groups the style's layers by catalog layer, top of the map
// first; the base map (style layers marked sit:basemap) is one more entry.
export function layerModel(style, catalog, legends, palette) {
  const byName = Object.fromEntries(catalog.map((c) => [c.name, c]));
  const legendBy = Object.fromEntries((legends || []).map((l) => [l.layer, l]));
  const entries = new Map();
  for (const l of style.layers) {
    // Label layers read "<layer>:labels" (label points): they belong to <layer>.
    const raw = l['source-layer'];
    const name = raw && byName[raw.replace(/:labels$/, '')] ? raw.replace(/:labels$/, '') : raw;
    if (!name || l.metadata?.['sit:basemap']) continue;
    if (!entries.has(name)) {
      entries.set(name, { ...(byName[name] || { name, title: name, kind: 'generic' }), styleLayers: [], minzoom: 24, visible: true, opacity: 1, legend: null });
    }
    const e = entries.get(name);
    e.styleLayers.push(styleLayerRef(l));
    e.minzoom = Math.min(e.minzoom, l.minzoom || 0);
  }
  const out = [...entries.values()].reverse();
  const base = style.layers.filter((l) => l.metadata?.['sit:basemap']);
  if (base.length) {
    out.push({ name: 'basemap', title: null, kind: 'basemap', visible: true, opacity: 1, minzoom: 0, legend: null,
      swatch: { type: 'fill', color: palette.color('basemap_fill') }, styleLayers: base.map(styleLayerRef) });
  }
  for (const e of out) {
    if (e.kind === 'basemap') continue;
    e.legend = legendOf(e, legendBy, palette);
    e.swatch = e.legend?.items?.length
      ? { type: 'multi', colors: e.legend.items.filter((i) => i.value != null).map((i) => i.color) }
      : swatchOf(style.layers.filter((l) => l['source-layer'] === e.name), e.geometryType);
  }
  return out;
}

// legendLabel names a legend item in the viewer's language.
export function legendLabel(i18n, property, item) {
  if (item.value == null) return i18n.t('legend.other');
  if (property === 'zone_class' && /^[A-F]$/.test(item.value)) return i18n.t(`legend.zone${item.value}`);
  if (property === 'speed_band') return i18n.t(`band.${item.value}`);
  if (property === 'area_class') return i18n.t(`area.${item.value}`);
  return item.label || String(item.value);
}

// groupByKind orders the panel: groups in the palette's reading order of
// kinds, the base map last; within a group, top of the map first.
export function groupByKind(model, palette) {
  const order = [...palette.kinds, 'basemap'];
  const groups = new Map(order.map((k) => [k, []]));
  for (const e of model) {
    const k = e.kind || 'generic';
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(e);
  }
  return [...groups].filter(([, es]) => es.length);
}
