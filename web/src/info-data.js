// What the click-info panel shows, as data: attribute values formatted,
// the zoning report's rows, the parcel card's rows, the features under a
// click grouped by layer. Pure: unit-tested with node --test.
import { comuneLabel } from './format.js';

export const HIDDEN_PROPS = new Set(['fid', 'layer', 'geom', 'geom_3857', 'label', 'kind', 'attributes', 'centroid', 'match', 'road', 'area_method', 'comune_name']);

export function formatValue(i18n, name, v) {
  if (v == null || v === '') return '–';
  if (name === 'speed_band') return i18n.t(`band.${v}`);
  if (name === 'area_class') return i18n.t(`area.${v}`);
  if (name === 'area_m2') return i18n.area(Number(v));
  if (name === 'snapshot') return i18n.date(v);
  // Integers are often codes (ISTAT, ids): no thousands separators.
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : i18n.num1(v);
  if (typeof v === 'boolean') return i18n.t(v ? 'common.yes' : 'common.no');
  return String(v);
}

// attrRows lists the attributes worth showing: scalars, not hidden.
export function attrRows(props, skip = new Set()) {
  return Object.entries(props || {}).filter(([k, v]) => !HIDDEN_PROPS.has(k) && !skip.has(k) && v !== '' && v != null && typeof v !== 'object');
}

// zoneRows reads the zoning report's JSON (/reports/zoning?f=json): every
// zone and constraint the parcel touches, with m² and % of the parcel;
// border effects (slivers below the report's threshold) come last, dimmed.
export function zoneRows(doc) {
  const parcel = doc?.parcels?.[0] || {};
  const pick = (arr, kind, sliver) => (Array.isArray(arr) ? arr : []).map((z) => ({
    kind,
    sliver,
    code: z.zone_code ?? '',
    cls: z.zone_class ?? null,
    description: z.description ?? '',
    norm: z.norm_ref ?? '',
    area: z.area_m2 ?? null,
    pct: z.pct ?? null,
  }));
  return [
    ...pick(parcel.zoning, 'zone', false), ...pick(parcel.zoning_border_effects, 'zone', true),
    ...pick(parcel.constraints, 'constraint', false), ...pick(parcel.constraints_border_effects, 'constraint', true),
  ];
}

// parcelRows are the parcel card's rows [field, label, text]: the address
// it was found by, the cadastral data (the comune by name), then the other
// attributes of the parcel layer.
export function parcelRows(i18n, props, address, titles = {}) {
  const p = props || {};
  const rows = [
    ...(address?.label ? [['address', i18n.t('search.address'), address.label]] : []),
    ['foglio', i18n.t('info.foglio'), p.foglio], ['particella', i18n.t('info.particella'), p.particella],
    ['sezione', i18n.t('info.sezione'), p.sezione], ['ref', i18n.t('info.ref'), p.ref],
    ['area', i18n.t('info.area'), p.area_m2 != null ? i18n.area(p.area_m2) : null],
    ['comune', i18n.t('info.comune'), comuneLabel(p.comune_name, p.comune)],
  ];
  const known = new Set(['comune', 'sezione', 'foglio', 'particella', 'allegato', 'sviluppo', 'ref', 'area_m2']);
  for (const [k, v] of attrRows(p.attributes, known)) rows.push([k, i18n.prop(k, titles[k]), formatValue(i18n, k, v)]);
  return rows.filter(([, , v]) => v != null && v !== '');
}

// chipColor is the colour that stands for a feature in the panel, from
// the palette: its zone class, speed band or area class; null for none.
export function chipColor(palette, kind, props) {
  const p = props || {};
  if (kind === 'constraint') return { color: palette.color('constraint'), type: 'line', dashed: true };
  if (p.zone_class != null || p.zone_code != null) return { color: palette.colorOf('zone_class', p.zone_class), type: 'fill' };
  if (p.speed_band != null) return { color: palette.colorOf('speed_band', p.speed_band), type: 'circle' };
  if (p.area_class != null) return { color: palette.colorOf('area_class', p.area_class), type: 'circle' };
  return null;
}

// groupFeatures groups the rendered features under a click by layer, each
// feature once. On a cadastral layer (parcels, or fogli) the click is about
// a parcel, and the report's zones replace the zoning and constraint
// features (they cover the whole parcel); the other groups are ordered as
// the palette reads kinds. Which cadastral layer holds the parcel, the
// parcel lookup says (/parcels/at).
export function groupFeatures(feats, byName, palette) {
  const groups = new Map();
  const seen = new Set();
  for (const f of feats) {
    const name = f.sourceLayer || f.layer?.['source-layer'];
    const key = `${name}:${f.id ?? JSON.stringify(f.properties)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push({ ...f, sourceLayer: name });
  }
  const kindOf = (n) => byName[n]?.kind;
  const zoneKinds = ['zoning', 'constraint'];
  const onParcel = [...groups.keys()].some((n) => kindOf(n) === 'cadastral');
  const zoneFeats = [...groups].filter(([n]) => zoneKinds.includes(kindOf(n))).flatMap(([, fs]) => fs);
  const others = [...groups]
    .filter(([n]) => !(onParcel && zoneKinds.includes(kindOf(n))))
    .sort(([a], [b]) => palette.kindRank(kindOf(a)) - palette.kindRank(kindOf(b)));
  return { groups, onParcel, zoneFeats, others };
}
