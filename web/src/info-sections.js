// The sections of the click-info panel: a layer's features, the parcel
// card, the parcel's zones (from the zoning report) and the report itself.
import { apiURL, getJSON, isAbort } from './api.js';
import { h, icon, clear, announce } from './dom.js';
import { swatch } from './panel-layers.js';
import { formatValue, attrRows, zoneRows, parcelRows, chipColor } from './info-data.js';
import { fileSafe } from './urls.js';

export function attrTable(i18n, props, catalogEntry) {
  const titles = Object.fromEntries((catalogEntry?.properties || []).map((p) => [p.name, p.title]));
  const rows = attrRows(props);
  if (!rows.length) return null;
  const label = (k) => (k === 'zone_class' && catalogEntry?.kind === 'constraint' ? i18n.t('info.constraintType') : i18n.prop(k, titles[k]));
  const dl = (rs) => h('dl', { class: 'attrs' }, rs.map(([k, v]) => [h('dt', null, label(k)), h('dd', null, formatValue(i18n, k, v))]));
  if (rows.length <= 8) return dl(rows);
  // Long records (e.g. ISTAT boundaries): the first rows, the rest on demand.
  return h('div', { class: 'attrs-wrap' }, dl(rows.slice(0, 6)),
    h('details', null, h('summary', null, i18n.t('info.more', { n: rows.length - 6 })), dl(rows.slice(6))));
}

export function featureChip(palette, kind, props) {
  const c = chipColor(palette, kind, props);
  return c ? swatch(c.color, c.type, c.dashed) : null;
}

export function layerSection(ctx, name, feats) {
  const { i18n, byName, palette } = ctx;
  const c = byName[name] || { title: name };
  const more = feats.length > 3 ? h('p', { class: 'muted' }, i18n.t('info.more', { n: feats.length - 3 })) : null;
  return h('section', { class: 'info-layer' },
    h('h3', null, c.title || name, c.synthetic ? h('span', { class: 'badge', title: i18n.t('layers.syntheticTitle') }, i18n.t('layers.synthetic')) : null),
    feats.slice(0, 3).map((f) => h('div', { class: 'info-feature' }, featureChip(palette, c.kind, f.properties), attrTable(i18n, f.properties, c))),
    more);
}

function zonesTable(ctx, rows) {
  const { i18n, palette } = ctx;
  return h('table', { class: 'zones' },
    h('tbody', null, rows.map((z) => h('tr', { class: [z.kind, z.sliver && 'sliver'] },
      h('td', null, z.kind === 'constraint' ? swatch(palette.color('constraint'), 'line', true) : swatch(palette.colorOf('zone_class', z.cls), 'fill')),
      h('th', { scope: 'row' }, h('strong', null, z.code || (z.kind === 'constraint' ? i18n.t('info.constraint') : '')),
        z.description ? h('span', { class: 'zone-desc' }, z.description) : null,
        z.norm ? h('span', { class: 'zone-norm' }, z.norm) : null),
      h('td', { class: 'num' }, i18n.percent100(z.pct), h('span', { class: 'zone-area' }, z.area != null ? i18n.area(z.area) : ''))))));
}

// zonesSection fills in from the zoning report; the features under the
// click stand in when the report is unavailable.
export function zonesSection(ctx, ref, fallbackZones, signal) {
  const { i18n, byName, palette } = ctx;
  const head = () => h('h3', null, i18n.t('info.zones'));
  const box = h('section', { class: 'info-zones', 'aria-busy': 'true' }, head(), h('p', { class: 'muted' }, i18n.t('info.zonesLoading')));
  getJSON('reports/zoning', { parcel: ref, f: 'json' }, { signal }).then((doc) => {
    const rows = zoneRows(doc);
    box.removeAttribute('aria-busy');
    clear(box).append(head(), rows.length ? zonesTable(ctx, rows) : h('p', { class: 'muted' }, i18n.t('info.zonesNone')));
  }).catch((err) => {
    if (isAbort(err)) return;
    box.removeAttribute('aria-busy');
    clear(box).append(head());
    if (!fallbackZones.length) {
      box.append(h('p', { class: 'muted' }, err.message));
      return;
    }
    box.append(h('p', { class: 'muted' }, i18n.t('info.zonesUnavailable')),
      ...fallbackZones.map((f) => h('div', { class: 'info-feature' }, featureChip(palette, byName[f.sourceLayer]?.kind, f.properties), attrTable(i18n, f.properties, byName[f.sourceLayer]))));
  });
  return box;
}

// reportSection opens the zoning report (HTML) in the panel, widening it,
// and links the PDF and the JSON.
export function reportSection(ctx, ref, onWide) {
  const { i18n } = ctx;
  const htmlURL = apiURL('reports/zoning', { parcel: ref, f: 'html' });
  const frameBox = h('div', { class: 'report-frame', hidden: true });
  const toggle = h('button', { type: 'button', class: 'btn primary', 'aria-expanded': 'false', id: 'report-open' }, icon('doc'), i18n.t('info.reportOpen'));
  toggle.addEventListener('click', () => {
    const opening = frameBox.hidden;
    if (opening && !frameBox.firstChild) {
      frameBox.append(h('iframe', { src: htmlURL, title: `${i18n.t('info.report')} ${ref}`, loading: 'eager', sandbox: 'allow-same-origin allow-popups allow-downloads' }));
    }
    frameBox.hidden = !opening;
    onWide(opening);
    toggle.setAttribute('aria-expanded', String(opening));
    clear(toggle).append(icon('doc'), i18n.t(opening ? 'info.reportHide' : 'info.reportOpen'));
    if (opening) {
      announce(i18n.t('info.report'));
      // The report is what was asked for: bring it to the top of the panel.
      requestAnimationFrame(() => toggle.scrollIntoView({ block: 'start', behavior: 'smooth' }));
    }
  });
  return h('section', { class: 'info-report' },
    h('div', { class: 'actions' }, toggle,
      h('a', { class: 'btn', href: apiURL('reports/zoning', { parcel: ref, f: 'pdf' }), download: `report-urbanistico-${fileSafe(ref)}.pdf`, id: 'report-pdf' }, icon('download'), i18n.t('info.pdf')),
      h('a', { class: 'btn ghost', href: apiURL('reports/zoning', { parcel: ref, f: 'json' }), target: '_blank', rel: 'noopener' }, i18n.t('info.json'))),
    frameBox);
}

export function parcelCard(ctx, f, address) {
  const { i18n, byName } = ctx;
  const p = f.properties || {};
  const titles = Object.fromEntries((byName[p.layer]?.properties || []).map((q) => [q.name, q.title]));
  return h('section', { class: 'parcel-card' },
    p.road ? h('p', { class: 'note' }, i18n.t('info.road')) : null,
    h('dl', { class: 'attrs parcel-attrs' }, parcelRows(i18n, p, address, titles)
      .map(([k, label, v]) => [h('dt', null, label), h('dd', { dataset: { field: k } }, String(v))])));
}
