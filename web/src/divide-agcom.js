// The dashboard's AGCOM section: the FTTH share of addresses per comune
// (/analytics/agcom), as a table and, on demand, a choropleth.
import { getJSON, isAbort } from './api.js';
import { h, clear } from './dom.js';
import { readAgcom } from './divide-data.js';
import { paintAgcom } from './divide-map.js';
import { agcomSection } from './divide-view.js';

export function createAgcom({ map, v, agcomLayer, comuniLayer, sourceOf, padding }) {
  const { i18n, palette, state } = v;
  const box = h('section', { class: 'agcom' });
  let doc = null;
  let rows = null;
  const paint = () => paintAgcom(map, { rows: state.agcom ? rows : null, palette, comuniLayer, comuniSource: comuniLayer && sourceOf(comuniLayer.name) });
  const fit = () => {
    const b = agcomLayer?.bbox;
    if (state.agcom && b) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: padding(), duration: 600 });
  };
  const render = () => clear(box).append(...agcomSection(v, {
    doc, rows,
    onToggle: (on) => { state.agcom = on; paint(); fit(); },
    onSnapshot: (d) => { state.agcomSnapshot = d; load(); },
  }));
  const load = async () => {
    if (!agcomLayer) return;
    try {
      doc = await getJSON('analytics/agcom', { snapshot: state.agcomSnapshot });
      rows = readAgcom(doc);
      state.agcomSnapshot = doc.snapshot || state.agcomSnapshot;
      render();
      paint();
    } catch (err) {
      if (isAbort(err)) return;
      clear(box).append(h('h3', null, i18n.t('agcom.title')), h('p', { class: 'muted' }, i18n.t('agcom.none')));
    }
  };
  return { box, load, paint, present: !!agcomLayer };
}
