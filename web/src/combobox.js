// The search box's combobox (WAI-ARIA 1.2 pattern): the input, the list of
// options, the active option and the status line. It knows nothing of
// what the options are; search.js fills it.
import { h, icon, clear, announce } from './dom.js';

export function createCombobox(i18n) {
  const listId = 'search-list';
  const input = h('input', {
    id: 'search-input', type: 'search', role: 'combobox', autocomplete: 'off', spellcheck: false,
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
    placeholder: i18n.t('search.placeholder'), 'aria-label': i18n.t('search.label'), enterkeyhint: 'search',
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'search-list', 'aria-label': i18n.t('search.label'), hidden: true });
  const status = h('div', { class: 'search-status', role: 'status', 'aria-live': 'polite' });
  const clearBtn = h('button', { type: 'button', class: 'icon-btn search-clear', 'aria-label': i18n.t('search.clear'), title: i18n.t('search.clear'), hidden: true }, icon('close'));
  const root = h('div', { class: 'search', role: 'search' },
    h('label', { class: 'search-icon', for: 'search-input' }, icon('search'), h('span', { class: 'sr-only' }, i18n.t('search.label'))),
    input, clearBtn, list, status);
  const cb = { root, input, list, clearBtn, options: [], active: -1, stale: false };

  cb.setActive = (i) => {
    cb.active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0 && list.children[i]) {
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  cb.setOpen = (open) => {
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    root.classList.toggle('open', open);
    if (!open) cb.setActive(-1);
  };
  cb.setStatus = (msg) => {
    status.textContent = msg || '';
    status.hidden = !msg;
  };
  cb.choose = (i) => cb.options[i]?.run();
  // render shows the options (each {kind, label, sub, run}) for a query.
  cb.render = (opts, heading, forQuery) => {
    cb.options = opts;
    cb.stale = false;
    list.dataset.query = forQuery ?? input.value.trim();
    clear(list);
    opts.forEach((o, i) => {
      const li = h('li', { id: `search-opt-${i}`, role: 'option', 'aria-selected': 'false', class: `opt opt-${o.kind}` },
        h('span', { class: 'opt-icon' }, icon(o.kind === 'address' ? 'pin' : 'parcel')),
        h('span', { class: 'opt-text' }, h('span', { class: 'opt-label' }, o.label), o.sub ? h('span', { class: 'opt-sub' }, o.sub) : null));
      li.addEventListener('mousedown', (ev) => ev.preventDefault()); // keep the focus in the input
      li.addEventListener('click', () => cb.choose(i));
      list.append(li);
    });
    cb.setOpen(opts.length > 0);
    cb.setStatus(heading || (opts.length ? '' : null));
    if (opts.length) announce(heading || i18n.t('search.results', { n: opts.length }));
  };
  cb.setValue = (v) => {
    input.value = v;
    clearBtn.hidden = !v;
  };
  return cb;
}
