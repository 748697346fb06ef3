// The digital-divide dashboard (#divide): coverage on the map by speed band
// or area class, a table and a bar chart per zone from /analytics/broadband,
// the change between two snapshots, CSV download, and the AGCOM per-comune
// FTTH choropleth from /analytics/agcom.
import { apiURL, getJSON, isAbort } from './api.js';
import { h, s, icon, clear, announce } from './dom.js';
import { BAND_COLORS, AREA_COLORS, OTHER_COLOR, ACCENT, matchColor } from './mapstyle.js';
import { swatch } from './panel-layers.js';

const isPoly = (g) => /Polygon/.test(g || '');
const FAST = ['100-1000', '>=1000'];
// AGCOM choropleth: FTTH share of addresses, five classes.
const CHORO = [[0, '#f1eef6'], [20, '#bdc9e1'], [40, '#74a9cf'], [60, '#2b8cbe'], [80, '#045a8d']];

function bboxArea(b) {
  return b ? Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]) : Infinity;
}

// defaultZones picks the zones to aggregate by: the smallest boundary
// layer (by extent) that contains the coverage's centre, e.g. statistical
// areas rather than the province's comuni.
function defaultZones(zoneLayers, cov) {
  if (!zoneLayers.length) return null;
  const c = cov?.bbox ? [(cov.bbox[0] + cov.bbox[2]) / 2, (cov.bbox[1] + cov.bbox[3]) / 2] : null;
  const inside = (l) => !c || (l.bbox && l.bbox[0] <= c[0] && c[0] <= l.bbox[2] && l.bbox[1] <= c[1] && c[1] <= l.bbox[3]);
  const rank = (l) => (l.kind === 'boundary' ? 0 : 1);
  return [...zoneLayers].filter(inside).sort((a, b) => rank(a) - rank(b) || bboxArea(a.bbox) - bboxArea(b.bbox))[0] || zoneLayers[0];
}

function readAgcom(doc) {
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

export function createDivide({ map, i18n, catalog, model, onVisibility, applyVisibility, padding }) {
  const coverage = catalog.filter((c) => c.kind === 'broadband' && !isPoly(c.geometryType));
  const zoneLayers = catalog.filter((c) => isPoly(c.geometryType) && !['broadband', 'cadastral'].includes(c.kind));
  const agcomLayer = catalog.find((c) => c.kind === 'broadband' && isPoly(c.geometryType));
  const comuniLayer = catalog.find((c) => c.kind === 'boundary' && (c.properties || []).some((p) => p.name === 'com_istat_code_num'));
  const state = { coverage: coverage[0]?.name, zones: defaultZones(zoneLayers, coverage[0])?.name, snapshot: '', compare: null, mode: 'band', agcom: false, agcomSnapshot: '' };
  const root = h('div', { class: 'divide' });
  const entry = (name) => model.find((e) => e.name === name);
  let ctrl = null;
  let report = null;
  let saved = null;
  let selectedFid = null;
  const api = { root, active: false };

  // --- map -----------------------------------------------------------
  const coverageLayerIds = () => (entry(state.coverage)?.styleLayers || []).filter((l) => l.type === 'circle').map((l) => l.id);
  const paintCoverage = () => {
    const prop = state.mode === 'area' ? 'area_class' : 'speed_band';
    const colors = state.mode === 'area' ? AREA_COLORS : BAND_COLORS;
    for (const id of coverageLayerIds()) {
      map.setPaintProperty(id, 'circle-color', matchColor(prop, colors));
      map.setPaintProperty(id, 'circle-stroke-color', state.mode === 'area' ? '#4a4a4a' : '#ffffff');
      map.setPaintProperty(id, 'circle-stroke-width', state.mode === 'area' ? 0.8 : 0.5);
      // Tiles carry the snapshot from zoom 15 (tiles/tiling.go): below it
      // both snapshots are drawn, the later on top (imported last).
      if (report?.snapshot) map.setFilter(id, ['any', ['!', ['has', 'snapshot']], ['==', ['to-string', ['get', 'snapshot']], report.snapshot]]);
    }
  };
  const zoneOverlay = () => {
    if (!state.zones) return;
    const src = entry(state.zones)?.styleLayers?.[0] && map.getLayer(entry(state.zones).styleLayers[0].id)
      ? map.getLayer(entry(state.zones).styleLayers[0].id).source : 'sit';
    for (const id of ['divide-zones', 'divide-zone-selected', 'divide-zone-labels']) if (map.getLayer(id)) map.removeLayer(id);
    map.addLayer({ id: 'divide-zones', type: 'line', source: src, 'source-layer': state.zones, paint: { 'line-color': '#0b3a6e', 'line-width': 1.6, 'line-opacity': 0.85 } });
    map.addLayer({ id: 'divide-zone-selected', type: 'line', source: src, 'source-layer': state.zones, filter: ['==', ['id'], selectedFid ?? -1], paint: { 'line-color': ACCENT, 'line-width': 4 } });
    // Zone names, when the style has fonts (glyphs): one label per zone, at
    // the centroid of its largest piece in the loaded tiles (a polygon cut
    // by tile borders would otherwise be labelled once per tile).
    const font = map.getStyle().layers.find((l) => l.type === 'symbol' && l.layout?.['text-font'])?.layout['text-font'];
    if (map.getStyle().glyphs && font) {
      if (!map.getSource('divide-labels')) map.addSource('divide-labels', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer({ id: 'divide-zone-labels', type: 'symbol', source: 'divide-labels',
        layout: { 'text-field': ['get', 'name'], 'text-font': font, 'text-size': 12, 'text-max-width': 8 },
        paint: { 'text-color': '#0b3a6e', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 } });
      updateLabels();
    }
  };
  const ringCentroid = (ring) => {
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
  };
  const updateLabels = () => {
    const src = map.getSource('divide-labels');
    if (!src || !report) return;
    const names = Object.fromEntries(report.zones_stats.map((z) => [String(z.fid), z.name || z.code]));
    const best = new Map();
    for (const f of map.querySourceFeatures(map.getLayer('divide-zones')?.source || 'sit', { sourceLayer: state.zones })) {
      if (f.id == null || !names[String(f.id)]) continue;
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [];
      for (const poly of polys) {
        const c = ringCentroid(poly[0]);
        if (!best.has(f.id) || best.get(f.id).area < c.area) best.set(f.id, c);
      }
    }
    src.setData({ type: 'FeatureCollection', features: [...best].map(([id, c]) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c.at }, properties: { name: names[String(id)] } })) });
  };
  const removeOverlays = () => {
    for (const id of ['divide-zones', 'divide-zone-selected', 'divide-zone-labels', 'agcom-fill', 'agcom-line']) if (map.getLayer(id)) map.removeLayer(id);
    for (const id of ['agcom', 'divide-labels']) if (map.getSource(id)) map.removeSource(id);
  };

  // --- controls --------------------------------------------------------
  const select = (id, label, options, value, onchange) => {
    const el = h('select', { id }, options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)));
    el.addEventListener('change', () => onchange(el.value));
    return h('label', { class: 'field', for: id }, h('span', null, label), el);
  };
  const segmented = () => {
    const b = (mode, label) => h('button', { type: 'button', class: 'seg', 'aria-pressed': String(state.mode === mode), onclick: () => { state.mode = mode; paintCoverage(); render(); } }, label);
    return h('div', { class: 'field' }, h('span', null, i18n.t('divide.mode')),
      h('div', { class: 'segmented', role: 'group', 'aria-label': i18n.t('divide.mode') }, b('band', i18n.t('divide.modeBand')), b('area', i18n.t('divide.modeArea'))));
  };

  const keys = () => (state.mode === 'area' ? report.area_classes : report.speed_bands) || [];
  const colorOf = (k) => (state.mode === 'area' ? AREA_COLORS : BAND_COLORS).find(([v]) => v === k)?.[1] || OTHER_COLOR;
  const labelOf = (k) => (k === 'unknown' ? i18n.t('band.none') : i18n.t(state.mode === 'area' ? `area.${k}` : `band.${k}`));
  const countsOf = (c) => (state.mode === 'area' ? c.by_area_class : c.by_speed_band) || {};
  const zoneKey = (z) => String(z.code || z.name || z.fid);

  const bar = (c, w = 100) => {
    const total = c.addresses || 0;
    let x = 0;
    const segs = [];
    const all = [...keys(), ...(countsOf(c).unknown?.addresses ? ['unknown'] : [])];
    for (const k of all) {
      const n = countsOf(c)[k]?.addresses || 0;
      if (!n || !total) continue;
      const wd = (n / total) * w;
      segs.push(s('rect', { x: x.toFixed(3), y: 0, width: wd.toFixed(3), height: 10, fill: colorOf(k) }, s('title', null, `${labelOf(k)}: ${i18n.num(n)} (${i18n.pct(n / total)})`)));
      x += wd;
    }
    if (!segs.length) segs.push(s('rect', { x: 0, y: 0, width: w, height: 10, fill: '#eceff3' }));
    return s('svg', { class: 'divide-bar', viewBox: `0 0 ${w} 10`, preserveAspectRatio: 'none', role: 'img', 'aria-label': all.map((k) => `${labelOf(k)} ${i18n.pct((countsOf(c)[k]?.addresses || 0) / (total || 1))}`).join(', ') }, segs);
  };

  const fastShare = (c) => (c.addresses ? FAST.reduce((sum, k) => sum + (c.by_speed_band?.[k]?.addresses || 0), 0) / c.addresses : null);
  const whiteShare = (c) => (c.addresses ? (c.by_area_class?.white?.addresses || 0) / c.addresses : null);
  const pp = (v) => (v == null ? '–' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${i18n.num1(Math.abs(v))}`);

  const kpis = () => {
    const t = report.total.current;
    const ch = report.total.change;
    const card = (value, label, extra) => h('div', { class: 'kpi' }, h('strong', null, value), h('span', null, label), extra);
    return h('div', { class: 'kpis' },
      card(i18n.num(t.addresses), i18n.t('divide.kpiAddresses')),
      card(i18n.pct(fastShare(t)), i18n.t('divide.kpiFast'), ch ? h('em', { class: ch.fast_pct_points >= 0 ? 'up' : 'down' }, `${pp(ch.fast_pct_points)} pp`) : null),
      card(i18n.pct(whiteShare(t)), i18n.t('divide.kpiWhite'), ch ? h('em', { class: ch.white_pct_points <= 0 ? 'up' : 'down' }, `${pp(ch.white_pct_points)} pp`) : null));
  };

  const selectZone = (z, fly) => {
    selectedFid = z.fid;
    if (map.getLayer('divide-zone-selected')) map.setFilter('divide-zone-selected', ['==', ['id'], z.fid ?? -1]);
    for (const tr of root.querySelectorAll('#divide-table tbody tr')) tr.classList.toggle('selected', tr.dataset.fid === String(z.fid));
    if (!fly) return;
    const feats = map.querySourceFeatures(map.getLayer('divide-zones')?.source || 'sit', { sourceLayer: state.zones, filter: ['==', ['id'], z.fid] });
    let b = null;
    const grow = (c) => {
      if (typeof c[0] === 'number') {
        b = b ? [Math.min(b[0], c[0]), Math.min(b[1], c[1]), Math.max(b[2], c[0]), Math.max(b[3], c[1])] : [c[0], c[1], c[0], c[1]];
      } else c.forEach(grow);
    };
    for (const f of feats) grow(f.geometry.coordinates);
    if (b) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: padding(), maxZoom: 16, duration: 600 });
    announce(z.name || z.code);
  };

  const table = () => {
    const ks = keys();
    const hasUnknown = report.zones_stats.some((z) => countsOf(z.current).unknown?.addresses);
    const cols = hasUnknown ? [...ks, 'unknown'] : ks;
    const cmp = !!report.compare;
    const query = { zones: state.zones, coverage: state.coverage, snapshot: report.snapshot, ...(cmp ? { compare: report.compare } : {}) };
    const head = h('tr', null,
      h('th', { scope: 'col' }, i18n.t('divide.zone')),
      h('th', { scope: 'col', class: 'num' }, i18n.t('divide.total')),
      cols.map((k) => h('th', { scope: 'col', class: 'num' }, h('span', { class: 'th-key' }, swatch(colorOf(k), state.mode === 'area' ? 'circle' : 'fill'), labelOf(k)))),
      cmp ? h('th', { scope: 'col', class: 'num', title: i18n.t(state.mode === 'area' ? 'divide.changeHintArea' : 'divide.changeHint', { d: i18n.date(report.compare) }) }, i18n.t('divide.change')) : null);
    const row = (z, isTotal) => {
      const c = z.current;
      const counts = Object.fromEntries(cols.map((k) => [k, countsOf(c)[k]?.addresses || 0]));
      const delta = z.change ? (state.mode === 'area' ? -z.change.white_pct_points : z.change.fast_pct_points) : null;
      const tr = h('tr', { class: [isTotal && 'total'], dataset: isTotal ? {} : { zone: zoneKey(z), fid: String(z.fid), total: String(c.addresses), counts: JSON.stringify(counts) } },
        h('th', { scope: 'row' }, isTotal ? i18n.t('divide.totalRow') : h('button', { type: 'button', class: 'link', title: i18n.t('divide.zoomZone', { z: z.name }), onclick: () => selectZone(z, true) }, z.name || z.code),
          !isTotal && z.code && z.code !== z.name ? h('small', null, z.code) : null),
        h('td', { class: 'num' }, i18n.num(c.addresses)),
        cols.map((k) => h('td', { class: 'num count' }, i18n.num(counts[k]), h('small', null, c.addresses ? i18n.pct(counts[k] / c.addresses) : ''))),
        cmp ? h('td', { class: ['num', 'delta', z.change?.status] , title: z.change ? i18n.t(`divide.${{ improved: 'improved', worsened: 'worse' }[z.change.status] || 'unchanged'}`) : '' }, z.change ? `${pp(delta)}` : '–') : null);
      return tr;
    };
    return h('div', { class: 'table-wrap' },
      h('table', { id: 'divide-table', class: 'data', dataset: { query: JSON.stringify(query), mode: state.mode } },
        h('thead', null, head),
        h('tbody', null, report.zones_stats.map((z) => row(z, false))),
        h('tfoot', null, row(report.total, true))));
  };

  const chart = () => h('div', { id: 'divide-chart', class: 'chart' },
    h('p', { class: 'chart-caption' }, h('span', null, i18n.t('divide.chart')), h('span', null, i18n.t(state.mode === 'area' ? 'divide.kpiWhite' : 'divide.kpiFast'))),
    report.zones_stats.map((z) => h('div', { class: 'chart-row' },
      h('span', { class: 'chart-label' }, z.name || z.code),
      bar(z.current),
      h('span', { class: 'chart-value' }, i18n.pct(state.mode === 'area' ? whiteShare(z.current) : fastShare(z.current))))),
    h('ul', { class: 'legend inline' }, [...keys()].map((k) => h('li', null, swatch(colorOf(k), state.mode === 'area' ? 'circle' : 'fill'), labelOf(k)))));

  // --- AGCOM -------------------------------------------------------------
  const agcomBox = h('section', { class: 'agcom' });
  let agcomRows = null;
  const paintAgcom = () => {
    for (const id of ['agcom-fill', 'agcom-line']) if (map.getLayer(id)) map.removeLayer(id);
    if (map.getSource('agcom')) map.removeSource('agcom');
    if (!state.agcom || !agcomRows?.length) return;
    const steps = ['step', ['coalesce', ['get', 'share'], -1], '#e0e0e0', ...CHORO.flatMap(([v, c], i) => (i === 0 ? [0, c] : [v, c]))];
    const before = map.getLayer('divide-zones') ? 'divide-zones' : undefined;
    if (agcomRows.some((r) => r.geometry)) {
      map.addSource('agcom', { type: 'geojson', data: { type: 'FeatureCollection', features: agcomRows.map((r) => ({ type: 'Feature', geometry: r.geometry, properties: { share: r.share, name: r.name } })) } });
      map.addLayer({ id: 'agcom-fill', type: 'fill', source: 'agcom', paint: { 'fill-color': steps, 'fill-opacity': 0.75 } }, before);
      map.addLayer({ id: 'agcom-line', type: 'line', source: 'agcom', paint: { 'line-color': '#ffffff', 'line-width': 1 } }, before);
    } else if (comuniLayer) {
      const match = ['match', ['to-number', ['get', 'com_istat_code_num']]];
      for (const r of agcomRows) match.push(Number(r.code), r.share ?? -1);
      match.push(-1);
      const src = map.getLayer(entry(comuniLayer.name)?.styleLayers?.[0]?.id)?.source || 'sit';
      map.addLayer({ id: 'agcom-fill', type: 'fill', source: src, 'source-layer': comuniLayer.name, paint: { 'fill-color': ['step', match, '#e0e0e0', ...CHORO.flat()], 'fill-opacity': 0.75 } }, before);
    }
    const b = agcomLayer?.bbox;
    if (b) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: padding(), duration: 600 });
  };
  const loadAgcom = async () => {
    if (!agcomLayer) return;
    try {
      const doc = await getJSON('analytics/agcom', { snapshot: state.agcomSnapshot });
      agcomRows = readAgcom(doc);
      state.agcomSnapshot = doc.snapshot || state.agcomSnapshot;
      renderAgcom(doc);
      paintAgcom();
    } catch (err) {
      if (isAbort(err)) return;
      clear(agcomBox).append(h('h3', null, i18n.t('agcom.title')), h('p', { class: 'muted' }, i18n.t('agcom.none')));
    }
  };
  const renderAgcom = (doc) => {
    const snaps = doc?.snapshots_available || [];
    const toggle = h('input', { type: 'checkbox', id: 'agcom-toggle', checked: state.agcom });
    toggle.addEventListener('change', () => { state.agcom = toggle.checked; paintAgcom(); });
    const sorted = [...(agcomRows || [])].sort((a, b) => (b.share ?? -1) - (a.share ?? -1));
    clear(agcomBox).append(
      h('h3', null, i18n.t('agcom.title')),
      h('p', { class: 'muted' }, i18n.t('agcom.intro')),
      h('div', { class: 'controls' },
        h('label', { class: 'check', for: 'agcom-toggle' }, toggle, i18n.t('agcom.show')),
        snaps.length > 1 ? select('agcom-snapshot', i18n.t('divide.snapshot'), snaps.map((d) => [d, i18n.date(d)]), state.agcomSnapshot, (v) => { state.agcomSnapshot = v; loadAgcom(); }) : null),
      h('ul', { class: 'legend inline' }, h('li', null, i18n.t('agcom.legend'), ':'), CHORO.map(([v, c], i) => h('li', null, swatch(c), `${v}${i < CHORO.length - 1 ? `–${CHORO[i + 1][0]}` : '–100'}%`))),
      h('div', { class: 'table-wrap short' }, h('table', { class: 'data', id: 'agcom-table' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, i18n.t('agcom.comune')), h('th', { scope: 'col', class: 'num' }, i18n.t('agcom.addresses')), h('th', { scope: 'col', class: 'num' }, i18n.t('agcom.ftth')))),
        h('tbody', null, sorted.map((r) => h('tr', { dataset: { code: String(r.code) } }, h('th', { scope: 'row' }, r.name), h('td', { class: 'num' }, i18n.num(r.addresses)), h('td', { class: 'num' }, r.share != null ? `${i18n.num1(r.share)}%` : '–')))))));
  };

  // --- render --------------------------------------------------------------
  const body = h('div', { class: 'divide-body', 'aria-live': 'polite' });
  const render = () => {
    clear(root);
    if (!coverage.length || !state.zones) {
      root.append(h('p', { class: 'pad muted' }, i18n.t('divide.noLayer')));
      return;
    }
    const snaps = report?.snapshots_available || [];
    root.append(
      h('p', { class: 'intro' }, i18n.t('divide.intro')),
      h('div', { class: 'controls' },
        select('divide-zones', i18n.t('divide.zones'), zoneLayers.map((l) => [l.name, l.title || l.name]), state.zones, (v) => { state.zones = v; selectedFid = null; zoneOverlay(); load(); }),
        segmented(),
        coverage.length > 1 ? select('divide-coverage', i18n.t('divide.coverage'), coverage.map((l) => [l.name, l.title]), state.coverage, (v) => { state.coverage = v; load(); }) : null,
        snaps.length ? select('divide-snapshot', i18n.t('divide.snapshot'), snaps.map((d) => [d, i18n.date(d)]), report.snapshot, (v) => { state.snapshot = v; load(); }) : null,
        snaps.length > 1 ? select('divide-compare', i18n.t('divide.compare'), [['', i18n.t('divide.noCompare')], ...snaps.filter((d) => d !== report.snapshot).map((d) => [d, i18n.date(d)])], report.compare || '', (v) => { state.compare = v; load(); }) : null),
      body);
    clear(body);
    if (!report) {
      body.append(h('p', { class: 'muted pad' }, i18n.t('divide.loading')));
    } else {
      const q = { zones: state.zones, coverage: state.coverage, snapshot: report.snapshot, compare: report.compare || '' };
      body.append(kpis(), chart(), table(),
        h('div', { class: 'actions' },
          h('a', { class: 'btn', id: 'divide-csv', href: apiURL('analytics/broadband', { ...q, f: 'csv' }), download: `divario-digitale-${state.zones}-${report.snapshot}.csv` }, icon('download'), i18n.t('divide.csv')),
          h('a', { class: 'btn ghost', href: apiURL('analytics/broadband', { ...q, f: 'json' }), target: '_blank', rel: 'noopener' }, i18n.t('divide.json'))));
      if (selectedFid != null) for (const tr of body.querySelectorAll(`#divide-table tbody tr[data-fid="${CSS.escape(String(selectedFid))}"]`)) tr.classList.add('selected');
    }
    if (agcomLayer) root.append(agcomBox);
  };

  const load = async () => {
    ctrl?.abort();
    ctrl = new AbortController();
    root.setAttribute('aria-busy', 'true');
    try {
      const params = { zones: state.zones, coverage: state.coverage, snapshot: state.snapshot, compare: state.compare || '', f: 'json' };
      let doc = await getJSON('analytics/broadband', params, { signal: ctrl.signal });
      // First visit: compare the latest snapshot with the one before.
      if (state.compare === null) {
        const snaps = doc.snapshots_available || [];
        const i = snaps.indexOf(doc.snapshot);
        const prev = [...snaps].sort().filter((d) => d < doc.snapshot).pop();
        state.compare = prev || '';
        if (prev && i >= 0) doc = await getJSON('analytics/broadband', { ...params, compare: prev }, { signal: ctrl.signal });
      }
      report = doc;
      render();
      paintCoverage();
      map.once('idle', updateLabels);
    } catch (err) {
      if (isAbort(err)) return;
      report = null;
      render();
      clear(body).append(h('p', { class: 'note' }, i18n.t('divide.error', { msg: err.message })));
    } finally {
      root.removeAttribute('aria-busy');
    }
  };

  const onMoveEnd = () => map.once('idle', updateLabels);

  // Coverage and zones on; what would hide them off; restored on leave.
  api.activate = () => {
    if (api.active) return;
    api.active = true;
    saved = model.map((e) => ({ e, visible: e.visible }));
    const originals = {};
    for (const id of coverageLayerIds()) originals[id] = { color: map.getPaintProperty(id, 'circle-color'), filter: map.getFilter(id), stroke: map.getPaintProperty(id, 'circle-stroke-color'), sw: map.getPaintProperty(id, 'circle-stroke-width') };
    saved.originals = originals;
    for (const e of model) {
      const want = e.name === state.coverage || e.name === state.zones || (e.kind === 'boundary' && e.visible) ? true
        : ['zoning', 'constraint', 'cadastral', 'address', 'broadband'].includes(e.kind) ? false : e.visible;
      if (want !== e.visible) {
        e.visible = want;
        applyVisibility(map, e);
      }
    }
    onVisibility?.();
    zoneOverlay();
    // The dashboard is an overview: show the whole coverage.
    const b = catalog.find((c) => c.name === state.coverage)?.bbox;
    if (b) {
      map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: padding(), duration: 0 });
      // Not below the zoom where the coverage is drawn.
      const minz = entry(state.coverage)?.minzoom || 0;
      if (map.getZoom() < minz) map.jumpTo({ zoom: minz });
    }
    map.on('moveend', onMoveEnd);
    if (!report) {
      render();
      load();
      loadAgcom();
    } else {
      render();
      paintCoverage();
      paintAgcom();
    }
  };
  api.deactivate = () => {
    if (!api.active) return;
    api.active = false;
    map.off('moveend', onMoveEnd);
    removeOverlays();
    for (const [id, o] of Object.entries(saved?.originals || {})) {
      map.setPaintProperty(id, 'circle-color', o.color);
      map.setPaintProperty(id, 'circle-stroke-color', o.stroke);
      map.setPaintProperty(id, 'circle-stroke-width', o.sw);
      map.setFilter(id, o.filter || null);
    }
    for (const { e, visible } of saved || []) {
      if (e.visible !== visible) {
        e.visible = visible;
        applyVisibility(map, e);
      }
    }
    onVisibility?.();
  };
  // A click inside a zone selects its row (unless it hit a coverage point,
  // which the info panel describes).
  api.onClick = (ev) => {
    const pts = map.queryRenderedFeatures([[ev.point.x - 4, ev.point.y - 4], [ev.point.x + 4, ev.point.y + 4]], { layers: coverageLayerIds().filter((id) => map.getLayer(id)) });
    if (pts.length) return false;
    const ids = (entry(state.zones)?.styleLayers || []).map((l) => l.id).filter((id) => map.getLayer(id));
    const z = map.queryRenderedFeatures(ev.point, { layers: ids }).find((f) => f.id != null);
    const row = z && report?.zones_stats.find((r) => String(r.fid) === String(z.id));
    if (!row) return false;
    selectZone(row, false);
    root.querySelector(`#divide-table tr[data-fid="${CSS.escape(String(row.fid))}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    return true;
  };
  render();
  return api;
}
