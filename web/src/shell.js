// The page shell: top bar (brand, search, tabs, language), the stage with
// the map, the side panel, its opening button and the info panel.
import { h, icon, clear } from './dom.js';

function topbar(i18n, config, search) {
  const tab = (href, name, label, iconName) => h('a', { href, class: 'tab', dataset: { view: name } }, icon(iconName), h('span', { class: 'tab-label' }, label));
  const other = i18n.lang === 'it' ? 'en' : 'it';
  const langLink = h('a', { class: 'lang', href: `?lang=${other}${location.hash}`, hreflang: other, lang: other, title: i18n.t('nav.lang'), 'aria-label': i18n.t('nav.lang') }, i18n.t('nav.langShort'));
  langLink.addEventListener('click', (ev) => {
    ev.preventDefault();
    location.href = `?lang=${other}${location.hash}`;
  });
  return h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: './', title: i18n.t('app.subtitle') },
      h('span', { class: 'logo', 'aria-hidden': 'true' }),
      h('span', { class: 'brand-text' }, h('strong', null, 'SIT'), h('small', null, config.comune || i18n.t('app.subtitle')))),
    search.root,
    h('nav', { class: 'tabs', 'aria-label': i18n.t('app.subtitle') }, tab('#', 'map', i18n.t('nav.map'), 'map'), tab('#divide', 'divide', i18n.t('nav.divide'), 'chart')),
    langLink);
}

// shell draws the page and returns its parts.
export function shell(i18n, config, search) {
  const app = clear(document.getElementById('app'));
  const sideTitle = h('h2', { id: 'side-title', tabindex: -1 }, i18n.t('layers.title'));
  const sideBody = h('div', { class: 'panel-body', id: 'side-body' });
  const collapse = h('button', { type: 'button', class: 'icon-btn', 'aria-label': i18n.t('layers.hide'), title: i18n.t('layers.hide'), 'aria-controls': 'side' }, icon('close'));
  const side = h('aside', { id: 'side', class: 'panel side', 'aria-labelledby': 'side-title' }, h('header', { class: 'panel-head' }, sideTitle, collapse), sideBody);
  const fabLabel = h('span', null, i18n.t('layers.title'));
  const fab = h('button', { type: 'button', class: 'fab', id: 'side-open', 'aria-controls': 'side', 'aria-expanded': 'false' }, icon('layers'), fabLabel);
  const mapEl = h('div', { id: 'map', role: 'region', 'aria-label': i18n.t('map.label') });
  const info = h('aside', { id: 'info', class: 'panel info', hidden: true });
  const stage = h('main', { class: 'stage' }, mapEl, side, fab, info,
    h('div', { id: 'toast', class: 'toast', role: 'alert', hidden: true }),
    h('div', { id: 'live', class: 'sr-only', 'aria-live': 'polite' }));
  app.append(topbar(i18n, config, search), stage);
  return { app, stage, side, sideTitle, sideBody, collapse, fab, fabLabel, info, mapEl };
}

// toast shows a message for a few seconds.
export function toast(msg) {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = msg;
  el.hidden = false;
  clearTimeout(toast.t);
  toast.t = setTimeout(() => { el.hidden = true; }, 6000);
}
