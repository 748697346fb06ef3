// The two views of the page, kept in the hash: the map (#…) and the
// digital-divide dashboard (#divide…). Tabs change only the view part of
// the hash, so the map keeps its position.
import { clear } from './dom.js';
import { parseHash, hashWith } from './urls.js';

export const isDivideHash = (hash) => parseHash(hash).has('divide');

export function createRouter({ ui, i18n, panels, info, layerRoot, divide }) {
  const route = () => {
    const d = isDivideHash(location.hash);
    ui.app.classList.toggle('mode-divide', d);
    for (const a of document.querySelectorAll('.tab')) {
      if ((a.dataset.view === 'divide') === d) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    ui.sideTitle.textContent = i18n.t(d ? 'divide.title' : 'layers.title');
    ui.fabLabel.textContent = i18n.t(d ? 'divide.title' : 'layers.title');
    clear(ui.sideBody).append(d ? divide().root : layerRoot);
    if (d) {
      // The dashboard is the panel: one panel at a time, so the parcel
      // (or the report) closes, and the dashboard opens, also on a phone.
      info.close();
      panels.openSide();
      divide().activate();
    } else {
      divide()?.deactivate();
    }
  };
  for (const a of document.querySelectorAll('.tab')) {
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      const next = hashWith(location.hash, 'divide', a.dataset.view === 'divide' ? '' : null);
      history.pushState(null, '', next || location.pathname + location.search);
      route();
    });
  }
  window.addEventListener('popstate', route);
  window.addEventListener('hashchange', () => { if (!!divide()?.active !== isDivideHash(location.hash)) route(); });
  return { route };
}
