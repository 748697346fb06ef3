// The search box: one combobox for cadastral references and addresses.
// Suggestions come from /parcels/suggest while typing; choosing one (or
// pressing Enter on free text) asks /parcels/search and hands the parcel
// to onSelect.
import { getJSON, isAbort } from './api.js';
import { debounce } from './dom.js';
import { createCombobox } from './combobox.js';
import { parcelOption, suggestionOption, nextActive } from './search-options.js';

// keys wires the keyboard of the combobox: arrows move, Enter chooses (or
// searches the text), Escape closes then clears.
function keys(cb, onEnter, onClear) {
  cb.input.addEventListener('keydown', (ev) => {
    const n = cb.options.length;
    const move = nextActive(ev.key, cb.active, n);
    if (move != null && (ev.key.startsWith('Arrow') || !cb.list.hidden)) {
      ev.preventDefault();
      if (ev.key === 'ArrowDown' && cb.list.hidden) cb.setOpen(true);
      cb.setActive(move);
      return;
    }
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') ev.preventDefault();
    if (ev.key === 'Enter') {
      ev.preventDefault();
      if (!cb.list.hidden && cb.active >= 0 && !cb.stale) cb.choose(cb.active);
      else if (cb.input.value.trim()) onEnter(cb.input.value.trim());
    } else if (ev.key === 'Escape') {
      if (!cb.list.hidden) {
        ev.preventDefault();
        cb.setOpen(false);
      } else if (cb.input.value) onClear();
    }
  });
}

export function createSearch({ i18n, onSelect, onPoint }) {
  const cb = createCombobox(i18n);
  const { input } = cb;
  let ctrl = null;
  let lastQ = '';
  let via = null; // the address chosen, when the parcel was found through one

  const finish = (feature, address) => {
    cb.setOpen(false);
    const p = feature.properties || {};
    cb.setValue(address?.label || p.label || p.ref || input.value);
    onSelect(feature, address || null);
  };

  // search runs /parcels/search: one parcel is chosen at once, several
  // become the options to pick from; none falls back on the point of an
  // address suggestion.
  const search = async (q, point, address = null) => {
    via = address;
    ctrl?.abort();
    ctrl = new AbortController();
    cb.setStatus(i18n.t('search.searching'));
    try {
      const fs = (await getJSON('parcels/search', { q }, { signal: ctrl.signal })).features || [];
      if (!fs.length) throw Object.assign(new Error('none'), { status: 404 });
      if (fs.length === 1) {
        cb.setStatus('');
        finish(fs[0], address);
        return;
      }
      cb.render(fs.map((f) => ({ ...parcelOption(i18n, f.properties), run: () => finish(f, via) })), i18n.t('search.pick'));
      cb.setActive(0);
    } catch (err) {
      if (isAbort(err)) return;
      if (point && onPoint) {
        cb.setStatus('');
        cb.setOpen(false);
        onPoint(point, q);
        return;
      }
      cb.render([], i18n.t('search.none', { q }));
    }
  };

  const suggest = debounce(async () => {
    const q = input.value.trim();
    if (q === lastQ) {
      // The same text again (typed anew): its options, without asking again.
      cb.stale = false;
      if (q && cb.options.length) cb.setOpen(true);
      return;
    }
    lastQ = q;
    ctrl?.abort();
    if (!q) {
      cb.setOpen(false);
      cb.setStatus('');
      return;
    }
    ctrl = new AbortController();
    try {
      const sg = (await getJSON('parcels/suggest', { q, limit: 8 }, { signal: ctrl.signal })).suggestions || [];
      cb.render(sg.map((s) => {
        const o = suggestionOption(i18n, s);
        return { ...o, run: () => { input.value = s.label; search(o.query, o.point, o.address); } };
      }), sg.length ? '' : i18n.t('search.none', { q }), q);
    } catch (err) {
      if (isAbort(err)) return;
      cb.render([], err.status === 400 ? err.message : i18n.t('search.none', { q }));
    }
  }, 160);

  const reset = () => {
    cb.setValue('');
    lastQ = '';
    cb.setOpen(false);
    cb.setStatus('');
  };
  input.addEventListener('input', () => {
    cb.clearBtn.hidden = !input.value;
    cb.stale = true;
    suggest();
  });
  keys(cb, (q) => search(q), reset);
  input.addEventListener('blur', () => setTimeout(() => cb.setOpen(false), 120));
  input.addEventListener('focus', () => { if (cb.options.length && input.value.trim() === lastQ) cb.setOpen(true); });
  cb.clearBtn.addEventListener('click', () => {
    reset();
    input.focus();
  });
  cb.setStatus('');
  return { root: cb.root, input, focus: () => input.focus(), setValue: cb.setValue };
}
