// What the dashboard draws on the map: coverage points coloured by speed
// band or area class (the palette's colours) at one snapshot, the zones'
// outlines and names, the selected zone, the AGCOM FTTH choropleth.
import { matchExpr, stepExpr } from './palette.js';
import { labelPoints, boundsOf, propertyOf } from './divide-data.js';
import { ACCENT } from './mapstyle.js';

const ZONE_INK = '#0b3a6e';
const OVERLAYS = ['divide-zones', 'divide-zone-selected', 'divide-zone-labels', 'agcom-fill', 'agcom-line'];

// paintCoverage colours the coverage circles; tiles carry the snapshot,
// so only the report's snapshot is drawn.
export function paintCoverage(map, ids, palette, mode, snapshot) {
  for (const id of ids) {
    map.setPaintProperty(id, 'circle-color', matchExpr(palette, propertyOf(mode)));
    map.setPaintProperty(id, 'circle-stroke-color', mode === 'area' ? '#4a4a4a' : '#ffffff');
    map.setPaintProperty(id, 'circle-stroke-width', mode === 'area' ? 0.8 : 0.5);
    if (snapshot) map.setFilter(id, ['any', ['!', ['has', 'snapshot']], ['==', ['to-string', ['get', 'snapshot']], snapshot]]);
  }
}

// saveCoverage remembers the coverage layers' own paint, to restore it.
export function saveCoverage(map, ids) {
  return Object.fromEntries(ids.map((id) => [id, {
    color: map.getPaintProperty(id, 'circle-color'), filter: map.getFilter(id),
    stroke: map.getPaintProperty(id, 'circle-stroke-color'), sw: map.getPaintProperty(id, 'circle-stroke-width'),
  }]));
}

export function restoreCoverage(map, saved) {
  for (const [id, o] of Object.entries(saved || {})) {
    map.setPaintProperty(id, 'circle-color', o.color);
    map.setPaintProperty(id, 'circle-stroke-color', o.stroke);
    map.setPaintProperty(id, 'circle-stroke-width', o.sw);
    map.setFilter(id, o.filter || null);
  }
}

export function removeOverlays(map) {
  for (const id of OVERLAYS) if (map.getLayer(id)) map.removeLayer(id);
  for (const id of ['agcom', 'divide-labels']) if (map.getSource(id)) map.removeSource(id);
}

// addZoneOverlay outlines the zones of a layer (source: its style's),
// the selected one heavier, with their names when the style has glyphs.
export function addZoneOverlay(map, zones, source, selectedFid) {
  for (const id of ['divide-zones', 'divide-zone-selected', 'divide-zone-labels']) if (map.getLayer(id)) map.removeLayer(id);
  map.addLayer({ id: 'divide-zones', type: 'line', source, 'source-layer': zones, paint: { 'line-color': ZONE_INK, 'line-width': 1.6, 'line-opacity': 0.85 } });
  map.addLayer({ id: 'divide-zone-selected', type: 'line', source, 'source-layer': zones, filter: ['==', ['id'], selectedFid ?? -1], paint: { 'line-color': ACCENT, 'line-width': 4 } });
  const font = map.getStyle().layers.find((l) => l.type === 'symbol' && l.layout?.['text-font'])?.layout['text-font'];
  if (!map.getStyle().glyphs || !font) return;
  if (!map.getSource('divide-labels')) map.addSource('divide-labels', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({ id: 'divide-zone-labels', type: 'symbol', source: 'divide-labels',
    layout: { 'text-field': ['get', 'name'], 'text-font': font, 'text-size': 12, 'text-max-width': 8 },
    paint: { 'text-color': ZONE_INK, 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 } });
}

// updateLabels names the zones drawn in the loaded tiles.
export function updateLabels(map, zones, report) {
  const src = map.getSource('divide-labels');
  if (!src || !report) return;
  const names = Object.fromEntries(report.zones_stats.map((z) => [String(z.fid), z.name || z.code]));
  const feats = map.querySourceFeatures(map.getLayer('divide-zones')?.source || 'sit', { sourceLayer: zones });
  src.setData({ type: 'FeatureCollection', features: labelPoints(feats, names) });
}

export function selectZoneOnMap(map, fid) {
  if (map.getLayer('divide-zone-selected')) map.setFilter('divide-zone-selected', ['==', ['id'], fid ?? -1]);
}

// fitZone frames a zone from the features of the loaded tiles.
export function fitZone(map, zones, fid, padding) {
  const feats = map.querySourceFeatures(map.getLayer('divide-zones')?.source || 'sit', { sourceLayer: zones, filter: ['==', ['id'], fid] });
  const b = boundsOf(feats.map((f) => f.geometry.coordinates));
  if (b) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding, maxZoom: 16, duration: 600 });
}

// paintAgcom draws the FTTH share per comune: from the rows' geometry, or
// joined by ISTAT code onto the comuni layer's tiles.
export function paintAgcom(map, { rows, palette, comuniLayer, comuniSource }) {
  for (const id of ['agcom-fill', 'agcom-line']) if (map.getLayer(id)) map.removeLayer(id);
  if (map.getSource('agcom')) map.removeSource('agcom');
  if (!rows?.length) return;
  const { steps, no_data: noData } = palette.ftth;
  const before = map.getLayer('divide-zones') ? 'divide-zones' : undefined;
  if (rows.some((r) => r.geometry)) {
    const features = rows.map((r) => ({ type: 'Feature', geometry: r.geometry, properties: { share: r.share, name: r.name } }));
    map.addSource('agcom', { type: 'geojson', data: { type: 'FeatureCollection', features } });
    map.addLayer({ id: 'agcom-fill', type: 'fill', source: 'agcom', paint: { 'fill-color': stepExpr(steps, ['coalesce', ['get', 'share'], -1], noData), 'fill-opacity': 0.75 } }, before);
    map.addLayer({ id: 'agcom-line', type: 'line', source: 'agcom', paint: { 'line-color': '#ffffff', 'line-width': 1 } }, before);
  } else if (comuniLayer) {
    const match = ['match', ['to-number', ['get', 'com_istat_code_num']]];
    for (const r of rows) match.push(Number(r.code), r.share ?? -1);
    match.push(-1);
    map.addLayer({ id: 'agcom-fill', type: 'fill', source: comuniSource, 'source-layer': comuniLayer.name, paint: { 'fill-color': stepExpr(steps, match, noData), 'fill-opacity': 0.75 } }, before);
  }
}

// zoneAt is the report row of the zone under a click, null when the click
// hit a coverage point (the info panel describes it) or no zone.
export function zoneAt(map, point, coverageIds, zoneIds, report) {
  const box = [[point.x - 4, point.y - 4], [point.x + 4, point.y + 4]];
  if (map.queryRenderedFeatures(box, { layers: coverageIds.filter((id) => map.getLayer(id)) }).length) return null;
  const z = map.queryRenderedFeatures(point, { layers: zoneIds.filter((id) => map.getLayer(id)) }).find((f) => f.id != null);
  return (z && report?.zones_stats.find((r) => String(r.fid) === String(z.id))) || null;
}

// fitLayer shows a layer's extent, not below the zoom where it is drawn.
export function fitLayer(map, bbox, minzoom, padding) {
  if (!bbox) return;
  map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding, duration: 0 });
  if (map.getZoom() < minzoom) map.jumpTo({ zoom: minzoom });
}
