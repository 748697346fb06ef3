// Click-info: what is at a point in every visible layer (rendered features),
// the parcel there from /parcels/at, its zones and constraints from the
// zoning report, and the report itself (HTML in the panel, PDF download).
import { apiURL, getJSON, isAbort } from './api.js';
import { h, icon, clear, announce } from './dom.js';
import { swatch } from './panel-layers.js';
import { ZONE_COLORS, BAND_COLORS, AREA_COLORS, OTHER_COLOR } from './mapstyle.js';

const colorOf = (pairs, v) => (pairs.find(([k]) => k === v) || [])[1] || OTHER_COLOR;
const HIDDEN_PROPS = new Set(['fid', 'layer', 'geom', 'geom_3857', 'label', 'kind', 'attributes', 'centroid', 'match', 'road', 'area_method']);

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

function attrTable(i18n, props, catalogEntry, skip = new Set()) {
  const titles = Object.fromEntries((catalogEntry?.properties || []).map((p) => [p.name, p.title]));
  const rows = Object.entries(props).filter(([k, v]) => !HIDDEN_PROPS.has(k) && !skip.has(k) && v !== '' && v != null && typeof v !== 'object');
  if (!rows.length) return null;
  const label = (k) => (k === 'zone_class' && catalogEntry?.kind === 'constraint' ? i18n.t('info.constraintType') : i18n.prop(k, titles[k]));
  const dl = (rs) => h('dl', { class: 'attrs' }, rs.map(([k, v]) => [h('dt', null, label(k)), h('dd', null, formatValue(i18n, k, v))]));
  if (rows.length <= 8) return dl(rows);
  // Long records (e.g. ISTAT boundaries): the first rows, the rest on demand.
  return h('div', { class: 'attrs-wrap' }, dl(rows.slice(0, 6)),
    h('details', null, h('summary', null, i18n.t('info.more', { n: rows.length - 6 })), dl(rows.slice(6))));
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

export function createInfo({ map, i18n, panel, catalog, model, highlight, onClose }) {
  const byName = Object.fromEntries(catalog.map((c) => [c.name, c]));
  const cadastral = new Set(catalog.filter((c) => c.kind === 'cadastral').map((c) => c.name));
  const title = h('h2', { id: 'info-title', tabindex: '-1' }, i18n.t('info.title'));
  const body = h('div', { class: 'panel-body info-body' });
  const closeBtn = h('button', { type: 'button', class: 'icon-btn', 'aria-label': i18n.t('info.close'), title: i18n.t('info.close') }, icon('close'));
  clear(panel).append(h('header', { class: 'panel-head' }, title, closeBtn), body);
  panel.setAttribute('aria-labelledby', 'info-title');
  let ctrl = null;

  const close = () => {
    ctrl?.abort();
    panel.hidden = true;
    panel.classList.remove('wide');
    highlight(null);
    onClose?.();
  };
  closeBtn.addEventListener('click', close);
  panel.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') close(); });

  const open = (heading) => {
    ctrl?.abort();
    ctrl = new AbortController();
    title.textContent = heading;
    clear(body);
    panel.classList.remove('wide');
    panel.hidden = false;
    return ctrl.signal;
  };

  const layerSection = (name, feats) => {
    const c = byName[name] || { title: name };
    const more = feats.length > 3 ? h('p', { class: 'muted' }, i18n.t('info.more', { n: feats.length - 3 })) : null;
    return h('section', { class: 'info-layer' },
      h('h3', null, c.title || name, c.synthetic ? h('span', { class: 'badge', title: i18n.t('layers.syntheticTitle') }, i18n.t('layers.synthetic')) : null),
      feats.slice(0, 3).map((f) => h('div', { class: 'info-feature' }, featureChip(f, c.kind), attrTable(i18n, f.properties, c))),
      more);
  };

  const featureChip = (f, kind) => {
    const p = f.properties || {};
    if (kind === 'constraint') return swatch('#b2182b', 'line', true);
    if (p.zone_class != null || p.zone_code != null) return swatch(colorOf(ZONE_COLORS, p.zone_class), 'fill');
    if (p.speed_band != null) return swatch(colorOf(BAND_COLORS, p.speed_band), 'circle');
    if (p.area_class != null) return swatch(colorOf(AREA_COLORS, p.area_class), 'circle');
    return null;
  };

  const zonesSection = (ref, fallbackZones, signal) => {
    const box = h('section', { class: 'info-zones', 'aria-busy': 'true' }, h('h3', null, i18n.t('info.zones')), h('p', { class: 'muted' }, i18n.t('info.zonesLoading')));
    getJSON('reports/zoning', { parcel: ref, f: 'json' }, { signal }).then((doc) => {
      const rows = zoneRows(doc);
      box.removeAttribute('aria-busy');
      clear(box).append(h('h3', null, i18n.t('info.zones')));
      if (!rows.length) {
        box.append(h('p', { class: 'muted' }, i18n.t('info.zonesNone')));
        return;
      }
      box.append(h('table', { class: 'zones' },
        h('tbody', null, rows.map((z) => h('tr', { class: [z.kind, z.sliver && 'sliver'] },
          h('td', null, z.kind === 'constraint' ? swatch('#b2182b', 'line', true) : swatch(colorOf(ZONE_COLORS, z.cls), 'fill')),
          h('th', { scope: 'row' }, h('strong', null, z.code || (z.kind === 'constraint' ? i18n.t('info.constraint') : '')),
            z.description ? h('span', { class: 'zone-desc' }, z.description) : null,
            z.norm ? h('span', { class: 'zone-norm' }, z.norm) : null),
          h('td', { class: 'num' }, z.pct != null ? `${i18n.num1(z.pct)}%` : '–', h('span', { class: 'zone-area' }, z.area != null ? i18n.area(z.area) : '')))))));
    }).catch((err) => {
      if (isAbort(err)) return;
      box.removeAttribute('aria-busy');
      clear(box).append(h('h3', null, i18n.t('info.zones')));
      if (fallbackZones.length) {
        box.append(h('p', { class: 'muted' }, i18n.t('info.zonesUnavailable')));
        box.append(...fallbackZones.map((f) => h('div', { class: 'info-feature' }, featureChip(f, byName[f.sourceLayer]?.kind), attrTable(i18n, f.properties, byName[f.sourceLayer]))));
      } else box.append(h('p', { class: 'muted' }, err.message));
    });
    return box;
  };

  const reportSection = (ref) => {
    const htmlURL = apiURL('reports/zoning', { parcel: ref, f: 'html' });
    const pdfURL = apiURL('reports/zoning', { parcel: ref, f: 'pdf' });
    const frameBox = h('div', { class: 'report-frame', hidden: true });
    const toggle = h('button', { type: 'button', class: 'btn primary', 'aria-expanded': 'false', id: 'report-open' }, icon('doc'), i18n.t('info.reportOpen'));
    toggle.addEventListener('click', () => {
      const opening = frameBox.hidden;
      if (opening && !frameBox.firstChild) {
        frameBox.append(h('iframe', { src: htmlURL, title: `${i18n.t('info.report')} ${ref}`, loading: 'eager', sandbox: 'allow-same-origin allow-popups allow-downloads' }));
      }
      frameBox.hidden = !opening;
      panel.classList.toggle('wide', opening);
      toggle.setAttribute('aria-expanded', String(opening));
      clear(toggle).append(icon('doc'), i18n.t(opening ? 'info.reportHide' : 'info.reportOpen'));
      if (opening) {
        announce(i18n.t('info.report'));
        // The report is what was asked for: bring it to the top of the panel.
        requestAnimationFrame(() => toggle.scrollIntoView({ block: 'start', behavior: 'smooth' }));
      }
    });
    const safe = ref.replace(/[^\w.-]+/g, '_');
    return h('section', { class: 'info-report' },
      h('div', { class: 'actions' }, toggle,
        h('a', { class: 'btn', href: pdfURL, download: `report-urbanistico-${safe}.pdf`, id: 'report-pdf' }, icon('download'), i18n.t('info.pdf')),
        h('a', { class: 'btn ghost', href: apiURL('reports/zoning', { parcel: ref, f: 'json' }), target: '_blank', rel: 'noopener' }, i18n.t('info.json'))),
      frameBox);
  };

  const parcelCard = (f, address) => {
    const p = f.properties || {};
    const rows = [
      ...(address?.label ? [['address', i18n.t('search.address'), address.label]] : []),
      ['foglio', i18n.t('info.foglio'), p.foglio], ['particella', i18n.t('info.particella'), p.particella],
      ['sezione', i18n.t('info.sezione'), p.sezione], ['ref', i18n.t('info.ref'), p.ref],
      ['area', i18n.t('info.area'), p.area_m2 != null ? i18n.area(p.area_m2) : null], ['comune', i18n.t('info.comune'), p.comune],
    ];
    // Other attributes of the parcel layer (tipo, qualità, …) after the canonical ones.
    const known = new Set(['comune', 'sezione', 'foglio', 'particella', 'allegato', 'sviluppo', 'ref', 'area_m2', ...HIDDEN_PROPS]);
    const titles = Object.fromEntries((byName[p.layer]?.properties || []).map((q) => [q.name, q.title]));
    for (const [k, v] of Object.entries(p.attributes || {})) {
      if (!known.has(k) && v != null && v !== '' && typeof v !== 'object') rows.push([k, i18n.prop(k, titles[k]), formatValue(i18n, k, v)]);
    }
    return h('section', { class: 'parcel-card' },
      p.road ? h('p', { class: 'note' }, i18n.t('info.road')) : null,
      h('dl', { class: 'attrs parcel-attrs' }, rows.filter(([, , v]) => v != null && v !== '')
        .map(([k, label, v]) => [h('dt', null, label), h('dd', { dataset: { field: k } }, String(v))])));
  };

  const parcelHeading = (p) => `${i18n.t('info.parcel')} ${p.foglio ?? '?'}/${p.particella ?? '?'}`;

  // showParcel fills the panel from a parcel Feature (search or click).
  const showParcel = (feature, { others = [], fallbackZones = [], address = null } = {}) => {
    const p = feature.properties || {};
    const signal = open(parcelHeading(p));
    highlight(feature);
    const synthetic = byName[p.layer]?.synthetic;
    body.append(
      h('p', { class: 'parcel-sub' }, byName[p.layer]?.title || p.layer || '', synthetic ? h('span', { class: 'badge' }, i18n.t('layers.synthetic')) : null),
      parcelCard(feature, address),
      p.ref ? reportSection(p.ref) : null,
      p.ref ? zonesSection(p.ref, fallbackZones, signal) : null,
      ...others);
    announce(parcelHeading(p));
    const hash = new URLSearchParams(location.hash.slice(1));
    if (p.ref && hash.get('parcel') !== p.ref) {
      hash.set('parcel', p.ref);
      history.replaceState(history.state, '', `#${decodeURIComponent(hash.toString()).replace(/=&/g, '&').replace(/=$/, '')}`);
    }
  };

  // showAt answers a click: rendered features of the visible layers around
  // the point; when a parcel is drawn there, its full record.
  const showAt = async (ev) => {
    const { point, lngLat } = ev;
    // Layers with areas: what is exactly under the pointer (their outlines
    // would also catch the neighbour); points and lines: within a few pixels.
    const areas = [];
    const thin = [];
    for (const e of model.filter((m) => m.visible && m.kind !== 'basemap')) {
      const sls = e.styleLayers.filter((sl) => map.getLayer(sl.id));
      const fills = sls.filter((sl) => sl.type === 'fill');
      if (fills.length) areas.push(...fills.map((sl) => sl.id));
      else thin.push(...sls.filter((sl) => sl.type === 'circle' || sl.type === 'line').map((sl) => sl.id));
    }
    const feats = [
      ...(areas.length ? map.queryRenderedFeatures(point, { layers: areas }) : []),
      ...(thin.length ? map.queryRenderedFeatures([[point.x - 4, point.y - 4], [point.x + 4, point.y + 4]], { layers: thin }) : []),
    ];
    const groups = new Map();
    const seen = new Set();
    for (const f of feats) {
      const name = f.sourceLayer || f.layer['source-layer'];
      const key = `${name}:${f.id ?? JSON.stringify(f.properties)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!groups.has(name)) groups.set(name, []);
      groups.get(name).push(f);
    }
    const parcelLayer = [...groups.keys()].find((n) => cadastral.has(n));
    const zoneFeats = [...groups.entries()].filter(([n]) => ['zoning', 'constraint'].includes(byName[n]?.kind)).flatMap(([, fs]) => fs);
    for (const f of zoneFeats) f.sourceLayer = f.sourceLayer || f.layer['source-layer'];
    // On a parcel, the report's zones replace the zoning and constraint
    // features under the pointer: they cover the whole parcel.
    const zoneKinds = ['zoning', 'constraint'];
    const order = ['cadastral', 'zoning', 'constraint', 'broadband', 'address', 'boundary', 'generic'];
    const rank = (n) => { const i = order.indexOf(byName[n]?.kind); return i < 0 ? order.length : i; };
    const others = [...groups.entries()]
      .filter(([n]) => n !== parcelLayer && !(parcelLayer && zoneKinds.includes(byName[n]?.kind)))
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([n, fs]) => layerSection(n, fs));
    if (parcelLayer) {
      const signal = open(i18n.t('common.loading'));
      body.append(h('p', { class: 'muted' }, i18n.t('common.loading')));
      try {
        const f = await getJSON('parcels/at', { lon: lngLat.lng.toFixed(7), lat: lngLat.lat.toFixed(7) }, { signal });
        showParcel(f, { others, fallbackZones: zoneFeats });
      } catch (err) {
        if (isAbort(err)) return;
        // Show the tile's attributes: the lookup failed, the map did not.
        title.textContent = i18n.t('info.title');
        clear(body).append(h('p', { class: 'note' }, i18n.t('info.loadError', { msg: err.message })), layerSection(parcelLayer, groups.get(parcelLayer)), ...others);
      }
      return;
    }
    highlight(null);
    open(i18n.t('info.title'));
    body.append(h('p', { class: 'muted coords' }, i18n.t('info.at', { lat: lngLat.lat.toFixed(5), lon: lngLat.lng.toFixed(5) })));
    if (!others.length) body.append(h('p', null, i18n.t('info.nothing')));
    body.append(...others);
    announce(i18n.t('info.title'));
  };

  return { showAt, showParcel, close, isOpen: () => !panel.hidden };
}
