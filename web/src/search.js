// The search box: one combobox (WAI-ARIA 1.2 pattern) for cadastral
// references and addresses. Suggestions come from /parcels/suggest while
// typing; choosing one (or pressing Enter on free text) asks
// /parcels/search and hands the parcel to onSelect.
import { getJSON, isAbort } from './api.js';
import { h, icon, clear, debounce, announce } from './dom.js';

export function createSearch({ i18n, onSelect, onPoint }) {
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

  let options = []; // {label, sub, kind, run}
  let active = -1;
  let ctrl = null;
  let lastQ = '';

  const setOpen = (open) => {
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    root.classList.toggle('open', open);
    if (!open) setActive(-1);
  };
  const setActive = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0 && list.children[i]) {
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const setStatus = (msg) => {
    status.textContent = msg || '';
    status.hidden = !msg;
  };
  let stale = false; // the options are for an older text than the input's
  const render = (opts, heading, forQuery) => {
    options = opts;
    stale = false;
    list.dataset.query = forQuery ?? input.value.trim();
    clear(list);
    opts.forEach((o, i) => {
      const li = h('li', { id: `search-opt-${i}`, role: 'option', 'aria-selected': 'false', class: `opt opt-${o.kind}` },
        h('span', { class: 'opt-icon' }, icon(o.kind === 'address' ? 'pin' : 'parcel')),
        h('span', { class: 'opt-text' }, h('span', { class: 'opt-label' }, o.label), o.sub ? h('span', { class: 'opt-sub' }, o.sub) : null));
      li.addEventListener('mousedown', (ev) => ev.preventDefault()); // keep the focus in the input
      li.addEventListener('click', () => choose(i));
      list.append(li);
    });
    setOpen(opts.length > 0);
    setStatus(heading || (opts.length ? '' : null));
    if (opts.length) announce(heading || i18n.t('search.results', { n: opts.length }));
  };

  const parcelOption = (f) => {
    const p = f.properties || {};
    const sub = [p.ref, p.area_m2 != null ? i18n.area(p.area_m2) : null].filter(Boolean).join(' · ');
    return { kind: 'parcel', label: p.label || `${i18n.t('info.foglio')} ${p.foglio} – ${i18n.t('info.particella')} ${p.particella}`, sub, run: () => finish(f, via) };
  };
  let via = null; // the address chosen, when the parcel was found through one

  const finish = (feature, address) => {
    setOpen(false);
    const p = feature.properties || {};
    input.value = address?.label || p.label || p.ref || input.value;
    clearBtn.hidden = !input.value;
    onSelect(feature, address || null);
  };

  // search runs /parcels/search: one parcel is chosen at once, several
  // become the options to pick from.
  const search = async (q, point, address = null) => {
    via = address;
    ctrl?.abort();
    ctrl = new AbortController();
    setStatus(i18n.t('search.searching'));
    try {
      const fc = await getJSON('parcels/search', { q }, { signal: ctrl.signal });
      const fs = fc.features || [];
      if (fs.length === 1) {
        setStatus('');
        finish(fs[0], address);
      } else if (fs.length > 1) {
        render(fs.map(parcelOption), i18n.t('search.pick'));
        setActive(0);
      } else throw Object.assign(new Error('none'), { status: 404 });
    } catch (err) {
      if (isAbort(err)) return;
      if (point && onPoint) {
        setStatus('');
        setOpen(false);
        onPoint(point, q);
        return;
      }
      render([], i18n.t('search.none', { q }));
    }
  };

  const choose = (i) => {
    const o = options[i];
    if (o) o.run();
  };

  const suggest = debounce(async () => {
    const q = input.value.trim();
    if (q === lastQ) return;
    lastQ = q;
    ctrl?.abort();
    if (!q) {
      setOpen(false);
      setStatus('');
      return;
    }
    ctrl = new AbortController();
    try {
      const res = await getJSON('parcels/suggest', { q, limit: 8 }, { signal: ctrl.signal });
      const sg = res.suggestions || [];
      render(sg.map((s) => ({
        kind: s.kind === 'address' ? 'address' : 'parcel',
        label: s.label,
        sub: s.kind === 'address' ? (s.ref ? `${i18n.t('search.address')} · ${s.ref}` : i18n.t('search.address')) : s.ref,
        run: () => {
          input.value = s.label;
          search(s.q || s.label, s.point, s.kind === 'address' ? { label: s.label, point: s.point } : null);
        },
      })), sg.length ? '' : i18n.t('search.none', { q }), q);
    } catch (err) {
      if (isAbort(err)) return;
      render([], err.status === 400 ? err.message : i18n.t('search.none', { q }));
    }
  }, 160);

  input.addEventListener('input', () => {
    clearBtn.hidden = !input.value;
    stale = true;
    suggest();
  });
  input.addEventListener('keydown', (ev) => {
    const n = options.length;
    switch (ev.key) {
      case 'ArrowDown':
        ev.preventDefault();
        if (list.hidden && n) setOpen(true);
        if (n) setActive((active + 1) % n);
        break;
      case 'ArrowUp':
        ev.preventDefault();
        if (n) setActive((active - 1 + n) % n);
        break;
      case 'Home':
      case 'End':
        if (!list.hidden && n) {
          ev.preventDefault();
          setActive(ev.key === 'Home' ? 0 : n - 1);
        }
        break;
      case 'Enter': {
        ev.preventDefault();
        if (!list.hidden && active >= 0 && !stale) choose(active);
        else if (input.value.trim()) search(input.value.trim());
        break;
      }
      case 'Escape':
        if (!list.hidden) {
          ev.preventDefault();
          setOpen(false);
        } else if (input.value) {
          input.value = '';
          lastQ = '';
          clearBtn.hidden = true;
          setStatus('');
        }
        break;
      default:
    }
  });
  input.addEventListener('blur', () => setTimeout(() => setOpen(false), 120));
  input.addEventListener('focus', () => { if (options.length && input.value.trim() === lastQ) setOpen(true); });
  clearBtn.addEventListener('click', () => {
    input.value = '';
    lastQ = '';
    clearBtn.hidden = true;
    setOpen(false);
    setStatus('');
    input.focus();
  });
  setStatus('');
  return { root, input, focus: () => input.focus(), setValue: (v) => { input.value = v; clearBtn.hidden = !v; } };
}
