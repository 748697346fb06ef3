// The dashboard's panel: controls, key figures, the bar chart and the
// table per zone, the AGCOM section. Each function draws from a view
// context {i18n, palette, state, report}.
import { apiURL } from './api.js';
import { h, s, icon } from './dom.js';
import { swatch } from './panel-layers.js';
import { stepRanges } from './palette.js';
import { keysOf, countsOf, columnsOf, zoneKey, fastShare, whiteShare, segments, propertyOf } from './divide-data.js';

export const colorOf = (v, k) => v.palette.colorOf(propertyOf(v.state.mode), k);
export const labelOf = (v, k) => (k === 'unknown' ? v.i18n.t('band.none') : v.i18n.t(v.state.mode === 'area' ? `area.${k}` : `band.${k}`));
const chip = (v, k) => swatch(colorOf(v, k), v.state.mode === 'area' ? 'circle' : 'fill');

export function select(id, label, options, value, onchange) {
  const el = h('select', { id }, options.map(([val, text]) => h('option', { value: val, selected: val === value }, text)));
  el.addEventListener('change', () => onchange(el.value));
  return h('label', { class: 'field', for: id }, h('span', null, label), el);
}

// controls are the dashboard's choices: zones, mode, coverage layer,
// snapshot and comparison; on holds a handler per choice.
export function controls(v, { zoneLayers, coverage, on }) {
  const { i18n, report } = v;
  const snaps = report?.snapshots_available || [];
  const dates = (ds) => ds.map((d) => [d, i18n.date(d)]);
  return h('div', { class: 'controls' },
    select('divide-zones', i18n.t('divide.zones'), zoneLayers.map((l) => [l.name, l.title || l.name]), v.state.zones, on.zones),
    segmented(v, on.mode),
    coverage.length > 1 ? select('divide-coverage', i18n.t('divide.coverage'), coverage.map((l) => [l.name, l.title]), v.state.coverage, on.coverage) : null,
    snaps.length ? select('divide-snapshot', i18n.t('divide.snapshot'), dates(snaps), report.snapshot, on.snapshot) : null,
    snaps.length > 1 ? select('divide-compare', i18n.t('divide.compare'), [['', i18n.t('divide.noCompare')], ...dates(snaps.filter((d) => d !== report.snapshot))], report.compare || '', on.compare) : null);
}

export function segmented(v, onMode) {
  const b = (mode, label) => h('button', { type: 'button', class: 'seg', 'aria-pressed': String(v.state.mode === mode), onclick: () => onMode(mode) }, label);
  return h('div', { class: 'field' }, h('span', null, v.i18n.t('divide.mode')),
    h('div', { class: 'segmented', role: 'group', 'aria-label': v.i18n.t('divide.mode') }, b('band', v.i18n.t('divide.modeBand')), b('area', v.i18n.t('divide.modeArea'))));
}

function bar(v, c) {
  const { i18n } = v;
  const keys = columnsOf(v.report, v.state.mode);
  const total = c.addresses || 0;
  let x = 0;
  const segs = segments(c, v.state.mode, keys).map((sg) => {
    const r = s('rect', { x: x.toFixed(3), y: 0, width: (sg.share * 100).toFixed(3), height: 10, fill: colorOf(v, sg.key) },
      s('title', null, `${labelOf(v, sg.key)}: ${i18n.num(sg.n)} (${i18n.pct(sg.share)})`));
    x += sg.share * 100;
    return r;
  });
  if (!segs.length) segs.push(s('rect', { x: 0, y: 0, width: 100, height: 10, fill: '#eceff3' }));
  const label = keys.map((k) => `${labelOf(v, k)} ${i18n.pct((countsOf(c, v.state.mode)[k]?.addresses || 0) / (total || 1))}`).join(', ');
  return s('svg', { class: 'divide-bar', viewBox: '0 0 100 10', preserveAspectRatio: 'none', role: 'img', 'aria-label': label }, segs);
}

export function kpis(v) {
  const { i18n } = v;
  const t = v.report.total.current;
  const ch = v.report.total.change;
  const card = (value, label, extra) => h('div', { class: 'kpi' }, h('strong', null, value), h('span', null, label), extra);
  const change = (pp, good) => (ch ? h('em', { class: good ? 'up' : 'down' }, `${i18n.pp(pp)} pp`) : null);
  return h('div', { class: 'kpis' },
    card(i18n.num(t.addresses), i18n.t('divide.kpiAddresses')),
    card(i18n.pct(fastShare(t)), i18n.t('divide.kpiFast'), change(ch?.fast_pct_points, ch?.fast_pct_points >= 0)),
    card(i18n.pct(whiteShare(t)), i18n.t('divide.kpiWhite'), change(ch?.white_pct_points, ch?.white_pct_points <= 0)));
}

export function chart(v) {
  const { i18n, report, state } = v;
  return h('div', { id: 'divide-chart', class: 'chart' },
    h('p', { class: 'chart-caption' }, h('span', null, i18n.t('divide.chart')), h('span', null, i18n.t(state.mode === 'area' ? 'divide.kpiWhite' : 'divide.kpiFast'))),
    report.zones_stats.map((z) => h('div', { class: 'chart-row' },
      h('span', { class: 'chart-label' }, z.name || z.code),
      bar(v, z.current),
      h('span', { class: 'chart-value' }, i18n.pct(state.mode === 'area' ? whiteShare(z.current) : fastShare(z.current))))),
    h('ul', { class: 'legend inline' }, keysOf(report, state.mode).map((k) => h('li', null, chip(v, k), labelOf(v, k)))));
}

function tableRow(v, z, cols, onZone) {
  const { i18n, state } = v;
  const c = z.current;
  const isTotal = !onZone;
  const counts = Object.fromEntries(cols.map((k) => [k, countsOf(c, state.mode)[k]?.addresses || 0]));
  const delta = z.change ? (state.mode === 'area' ? -z.change.white_pct_points : z.change.fast_pct_points) : null;
  const status = z.change ? i18n.t(`divide.${{ improved: 'improved', worsened: 'worse' }[z.change.status] || 'unchanged'}`) : '';
  return h('tr', { class: [isTotal && 'total'], dataset: isTotal ? {} : { zone: zoneKey(z), fid: String(z.fid), total: String(c.addresses), counts: JSON.stringify(counts) } },
    h('th', { scope: 'row' }, isTotal ? i18n.t('divide.totalRow') : h('button', { type: 'button', class: 'link', title: i18n.t('divide.zoomZone', { z: z.name }), onclick: () => onZone(z) }, z.name || z.code),
      !isTotal && z.code && z.code !== z.name ? h('small', null, z.code) : null),
    h('td', { class: 'num' }, i18n.num(c.addresses)),
    cols.map((k) => h('td', { class: 'num count' }, i18n.num(counts[k]), h('small', null, c.addresses ? i18n.pct(counts[k] / c.addresses) : ''))),
    v.report.compare ? h('td', { class: ['num', 'delta', z.change?.status], title: status }, z.change ? i18n.pp(delta) : '–') : null);
}

export function table(v, onZone) {
  const { i18n, report, state } = v;
  const cols = columnsOf(report, state.mode);
  const cmp = !!report.compare;
  const query = { zones: state.zones, coverage: state.coverage, snapshot: report.snapshot, ...(cmp ? { compare: report.compare } : {}) };
  const head = h('tr', null,
    h('th', { scope: 'col' }, i18n.t('divide.zone')),
    h('th', { scope: 'col', class: 'num' }, i18n.t('divide.total')),
    cols.map((k) => h('th', { scope: 'col', class: 'num' }, h('span', { class: 'th-key' }, chip(v, k), labelOf(v, k)))),
    cmp ? h('th', { scope: 'col', class: 'num', title: i18n.t(state.mode === 'area' ? 'divide.changeHintArea' : 'divide.changeHint', { d: i18n.date(report.compare) }) }, i18n.t('divide.change')) : null);
  return h('div', { class: 'table-wrap' },
    h('table', { id: 'divide-table', class: 'data', dataset: { query: JSON.stringify(query), mode: state.mode } },
      h('thead', null, head),
      h('tbody', null, report.zones_stats.map((z) => tableRow(v, z, cols, onZone))),
      h('tfoot', null, tableRow(v, report.total, cols, null))));
}

export function downloads(v) {
  const { i18n, report, state } = v;
  const q = { zones: state.zones, coverage: state.coverage, snapshot: report.snapshot, compare: report.compare || '' };
  return h('div', { class: 'actions' },
    h('a', { class: 'btn', id: 'divide-csv', href: apiURL('analytics/broadband', { ...q, f: 'csv' }), download: `divario-digitale-${state.zones}-${report.snapshot}.csv` }, icon('download'), i18n.t('divide.csv')),
    h('a', { class: 'btn ghost', href: apiURL('analytics/broadband', { ...q, f: 'json' }), target: '_blank', rel: 'noopener' }, i18n.t('divide.json')));
}

// agcomSection lists the comuni by FTTH share, with the choropleth's
// toggle, snapshot and legend (the palette's FTTH steps).
export function agcomSection(v, { doc, rows, onToggle, onSnapshot }) {
  const { i18n, palette, state } = v;
  const snaps = doc?.snapshots_available || [];
  const toggle = h('input', { type: 'checkbox', id: 'agcom-toggle', checked: state.agcom });
  toggle.addEventListener('change', () => onToggle(toggle.checked));
  const sorted = [...(rows || [])].sort((a, b) => (b.share ?? -1) - (a.share ?? -1));
  const th = (key, cls) => h('th', { scope: 'col', class: cls }, i18n.t(key));
  return [
    h('h3', null, i18n.t('agcom.title')),
    h('p', { class: 'muted' }, i18n.t('agcom.intro')),
    h('div', { class: 'controls' },
      h('label', { class: 'check', for: 'agcom-toggle' }, toggle, i18n.t('agcom.show')),
      snaps.length > 1 ? select('agcom-snapshot', i18n.t('divide.snapshot'), snaps.map((d) => [d, i18n.date(d)]), state.agcomSnapshot, onSnapshot) : null),
    h('ul', { class: 'legend inline' }, h('li', null, i18n.t('agcom.legend'), ':'), stepRanges(palette.ftth).map((r) => h('li', null, swatch(r.color), r.label))),
    h('div', { class: 'table-wrap short' }, h('table', { class: 'data', id: 'agcom-table' },
      h('thead', null, h('tr', null, th('agcom.comune'), th('agcom.addresses', 'num'), th('agcom.ftth', 'num'))),
      h('tbody', null, sorted.map((r) => h('tr', { dataset: { code: String(r.code) } },
        h('th', { scope: 'row' }, r.name), h('td', { class: 'num' }, i18n.num(r.addresses)), h('td', { class: 'num' }, i18n.percent100(r.share))))))),
  ];
}

// figures are the dashboard's body: key figures, chart, table (the
// selected zone marked) and downloads; a note while loading.
export function figures(v, onZone, selectedFid) {
  if (!v.report) return [h('p', { class: 'muted pad' }, v.i18n.t('divide.loading'))];
  const t = table(v, onZone);
  if (selectedFid != null) for (const tr of t.querySelectorAll('tbody tr')) tr.classList.toggle('selected', tr.dataset.fid === String(selectedFid));
  return [kpis(v), chart(v), t, downloads(v)];
}
