// The dashboard's data: which layers it works on, the AGCOM rows, the
// shares and keys of a report by mode (speed band or area class). Pure:
// unit-tested with node --test.

const isPoly = (g) => /Polygon/.test(g || '');

// FAST are the speed bands counted as "fast" (≥ 100 Mbit/s).
export const FAST = ['100-1000', '>=1000'];

function bboxArea(b) {
  return b ? Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]) : Infinity;
}

// dashboardLayers picks the layers of the catalog the dashboard uses:
// coverage points, polygon layers to aggregate by, the AGCOM table and
// the ISTAT comuni it joins on.
export function dashboardLayers(catalog) {
  return {
    coverage: catalog.filter((c) => c.kind === 'broadband' && !isPoly(c.geometryType)),
    zoneLayers: catalog.filter((c) => isPoly(c.geometryType) && !['broadband', 'cadastral'].includes(c.kind)),
    agcomLayer: catalog.find((c) => c.kind === 'broadband' && isPoly(c.geometryType)),
    comuniLayer: catalog.find((c) => c.kind === 'boundary' && (c.properties || []).some((p) => p.name === 'com_istat_code_num')),
  };
}

// defaultZones picks the zones to aggregate by: the smallest boundary
// layer (by extent) that contains the coverage's centre, e.g. statistical
// areas rather than the province's comuni.
export function defaultZones(zoneLayers, cov) {
  if (!zoneLayers.length) return null;
  const c = cov?.bbox ? [(cov.bbox[0] + cov.bbox[2]) / 2, (cov.bbox[1] + cov.bbox[3]) / 2] : null;
  const inside = (l) => !c || (l.bbox && l.bbox[0] <= c[0] && c[0] <= l.bbox[2] && l.bbox[1] <= c[1] && c[1] <= l.bbox[3]);
  const rank = (l) => (l.kind === 'boundary' ? 0 : 1);
  return [...zoneLayers].filter(inside).sort((a, b) => rank(a) - rank(b) || bboxArea(a.bbox) - bboxArea(b.bbox))[0] || zoneLayers[0];
}

// readAgcom reads /analytics/agcom (GeoJSON or JSON) into rows.
export function readAgcom(doc) {
  const rows = doc?.features?.map((f) => ({ ...f.properties, geometry: f.geometry })) || doc?.comuni || doc?.rows || [];
  return rows.map((r) => ({
    code: r.pro_com ?? r.code ?? r.com_istat_code_num ?? r.istat,
    name: r.comune ?? r.name ?? r.nome ?? '',
    share: r.ftth_addresses_pct ?? r.indirizzi_ftth_pct ?? r.ftth_pct ?? r.share_pct ?? null,
    addresses: r.addresses ?? r.indirizzi ?? null,
    ftth: r.ftth_addresses ?? r.indirizzi_ftth ?? null,
    hhShare: r.ftth_households_pct ?? r.famiglie_ftth_pct ?? null,
    geometry: r.geometry,
  })).filter((r) => r.code != null);
}

// The report's figures by mode: 'band' (speed bands) or 'area' (classes).
export const propertyOf = (mode) => (mode === 'area' ? 'area_class' : 'speed_band');
export const keysOf = (report, mode) => (mode === 'area' ? report.area_classes : report.speed_bands) || [];
export const countsOf = (c, mode) => (mode === 'area' ? c.by_area_class : c.by_speed_band) || {};
export const zoneKey = (z) => String(z.code || z.name || z.fid);

// columnsOf lists the table's columns: the keys, and "unknown" when some
// zone has addresses without a speed.
export function columnsOf(report, mode) {
  const ks = keysOf(report, mode);
  return report.zones_stats.some((z) => countsOf(z.current, mode).unknown?.addresses) ? [...ks, 'unknown'] : ks;
}

export const fastShare = (c) => (c.addresses ? FAST.reduce((sum, k) => sum + (c.by_speed_band?.[k]?.addresses || 0), 0) / c.addresses : null);
export const whiteShare = (c) => (c.addresses ? (c.by_area_class?.white?.addresses || 0) / c.addresses : null);

// segments are the bar of one zone: each key's share of its addresses,
// in the keys' order, empty ones left out.
export function segments(c, mode, keys) {
  const total = c.addresses || 0;
  return keys.map((k) => ({ key: k, n: countsOf(c, mode)[k]?.addresses || 0 })).filter((s) => s.n && total).map((s) => ({ ...s, share: s.n / total }));
}

// ringCentroid is the area and centroid of a ring (lon/lat, planar).
export function ringCentroid(ring) {
  let a = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f;
    x += (ring[j][0] + ring[i][0]) * f;
    y += (ring[j][1] + ring[i][1]) * f;
  }
  return a ? { area: Math.abs(a / 2), at: [x / (3 * a), y / (3 * a)] } : { area: 0, at: ring[0] };
}

// labelPoints puts one label per zone at the centroid of its largest piece
// among features (a polygon cut by tile borders would otherwise be
// labelled once per tile).
export function labelPoints(features, names) {
  const best = new Map();
  for (const f of features) {
    if (f.id == null || !names[String(f.id)]) continue;
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [];
    for (const poly of polys) {
      const c = ringCentroid(poly[0]);
      if (!best.has(f.id) || best.get(f.id).area < c.area) best.set(f.id, c);
    }
  }
  return [...best].map(([id, c]) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c.at }, properties: { name: names[String(id)] } }));
}

// boundsOf is the [w, s, e, n] of nested coordinates, null for none.
export function boundsOf(coordsList) {
  let b = null;
  const grow = (c) => {
    if (typeof c[0] === 'number') {
      b = b ? [Math.min(b[0], c[0]), Math.min(b[1], c[1]), Math.max(b[2], c[0]), Math.max(b[3], c[1])] : [c[0], c[1], c[0], c[1]];
    } else c.forEach(grow);
  };
  for (const c of coordsList) grow(c);
  return b;
}
