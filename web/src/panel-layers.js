// The layer panel: per catalog layer a toggle, a legend, an opacity slider,
// zoom-to-layer, and a note when the layer is not drawn at this zoom.
import { h, icon, clear } from './dom.js';
import { applyOpacity, applyVisibility } from './mapstyle.js';
import { legendLabel, groupByKind } from './legend.js';

export function swatch(color, type = 'fill', dashed = false, colors = null) {
  if (colors?.length) {
    const stops = colors.map((c, i) => `${c} ${(i * 100) / colors.length}% ${((i + 1) * 100) / colors.length}%`).join(', ');
    return h('span', { class: 'swatch swatch-multi', style: { '--c': colors[0], background: `linear-gradient(135deg, ${stops})` }, 'aria-hidden': 'true' });
  }
  return h('span', { class: ['swatch', `swatch-${type}`, dashed && 'swatch-dashed'], style: { '--c': color || 'gray' }, 'aria-hidden': 'true' });
}

export function legendList(i18n, legend) {
  if (!legend?.items?.length) return null;
  return h('ul', { class: 'legend' }, legend.items.map((it) =>
    h('li', null, swatch(it.color, 'fill'), h('span', null, legendLabel(i18n, legend.property, it)))));
}

// details is the fold-out of a layer: opacity, description, counts.
function details(i18n, e, id, map) {
  const slider = h('input', { type: 'range', min: 0, max: 100, step: 5, value: Math.round(e.opacity * 100), id: `${id}-opacity`, 'aria-label': `${i18n.t('layers.opacity')} – ${e.title}` });
  const out = h('output', { for: `${id}-opacity` }, `${Math.round(e.opacity * 100)}%`);
  slider.addEventListener('input', () => {
    e.opacity = Number(slider.value) / 100;
    out.textContent = `${slider.value}%`;
    applyOpacity(map, e);
  });
  return h('div', { class: 'layer-details', id: `${id}-details`, hidden: true },
    h('label', { class: 'opacity', for: `${id}-opacity` }, i18n.t('layers.opacity')), slider, out,
    e.description ? h('p', { class: 'layer-desc' }, e.description) : null,
    h('p', { class: 'layer-meta' },
      e.features != null ? i18n.t('layers.features', { n: i18n.num(e.features) }) : null,
      e.attribution ? h('span', null, ' · ', e.attribution) : null));
}

// layerRow is one layer of the panel.
function layerRow(i18n, e, map, onChange) {
  const id = `layer-${e.name}`;
  const checkbox = h('input', { type: 'checkbox', checked: e.visible, id: `${id}-toggle` });
  const fold = details(i18n, e, id, map);
  const expander = h('button', { type: 'button', class: 'icon-btn expander', 'aria-expanded': 'false', 'aria-controls': `${id}-details`, title: i18n.t('layers.details'), 'aria-label': `${i18n.t('layers.details')} – ${e.title}` }, icon('chevron'));
  expander.addEventListener('click', () => {
    const open = expander.getAttribute('aria-expanded') !== 'true';
    expander.setAttribute('aria-expanded', String(open));
    fold.hidden = !open;
  });
  const zoomBtn = e.bbox ? h('button', {
    type: 'button', class: 'icon-btn', title: i18n.t('layers.zoomTo'), 'aria-label': `${i18n.t('layers.zoomTo')} – ${e.title}`,
    onclick: () => map.fitBounds([[e.bbox[0], e.bbox[1]], [e.bbox[2], e.bbox[3]]], { padding: 40, maxZoom: Math.max(e.minzoom, 15) }),
  }, icon('zoom')) : null;
  const li = h('li', { class: ['layer', !e.visible && 'off'], dataset: { layer: e.name } },
    h('div', { class: 'layer-row' },
      h('label', { class: 'layer-toggle', for: `${id}-toggle` }, checkbox, swatch(e.swatch?.color, e.swatch?.type, e.swatch?.dashed, e.swatch?.colors),
        h('span', { class: 'layer-title' }, e.title || (e.kind === 'basemap' ? i18n.t('layers.basemap') : e.name))),
      zoomBtn, expander),
    h('div', { class: 'layer-sub' },
      e.synthetic ? h('span', { class: 'badge', title: i18n.t('layers.syntheticTitle') }, i18n.t('layers.synthetic')) : null,
      h('span', { class: 'layer-hint' }, i18n.t('layers.fromZoom', { z: Math.ceil(e.minzoom) }))),
    legendList(i18n, e.legend), fold);
  checkbox.addEventListener('change', () => {
    e.visible = checkbox.checked;
    applyVisibility(map, e);
    li.classList.toggle('off', !e.visible);
    onChange?.(e);
  });
  return { e, li, checkbox };
}

export function renderLayerPanel(root, { map, model, i18n, palette, onChange }) {
  clear(root);
  if (!model.length) {
    root.append(h('p', { class: 'muted pad' }, i18n.t('layers.empty')));
    return { refresh() {} };
  }
  const rows = [];
  for (const [kind, entries] of groupByKind(model, palette)) {
    const list = h('ul', { class: 'layer-list' });
    for (const e of entries) {
      const r = layerRow(i18n, e, map, onChange);
      rows.push(r);
      list.append(r.li);
    }
    root.append(h('section', { class: 'layer-group' }, h('h3', null, i18n.t(`kind.${kind}`)), list));
  }
  const refresh = () => {
    const z = map.getZoom();
    for (const r of rows) {
      r.li.classList.toggle('out-of-range', z < r.e.minzoom);
      r.checkbox.checked = r.e.visible;
      r.li.classList.toggle('off', !r.e.visible);
    }
  };
  map.on('zoomend', refresh);
  refresh();
  return { refresh };
}
