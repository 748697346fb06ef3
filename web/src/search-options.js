// The options of the search box, as data: a parcel of /parcels/search, a
// suggestion of /parcels/suggest. Pure: unit-tested with node --test.

// parcelOption describes a parcel found: its label and, beneath, the
// national reference and the area.
export function parcelOption(i18n, props) {
  const p = props || {};
  return {
    kind: 'parcel',
    label: p.label || `${i18n.t('info.foglio')} ${p.foglio} – ${i18n.t('info.particella')} ${p.particella}`,
    sub: [p.ref, p.area_m2 != null ? i18n.area(p.area_m2) : null].filter(Boolean).join(' · '),
  };
}

// suggestionOption describes a suggestion: a parcel (its reference
// beneath) or an address (and its parcel's reference).
export function suggestionOption(i18n, s) {
  const address = s.kind === 'address';
  return {
    kind: address ? 'address' : 'parcel',
    label: s.label,
    sub: address ? (s.ref ? `${i18n.t('search.address')} · ${s.ref}` : i18n.t('search.address')) : s.ref,
    query: s.q || s.label,
    point: s.point,
    address: address ? { label: s.label, point: s.point } : null,
  };
}

// nextActive moves the active option for a key (ArrowDown, ArrowUp, Home,
// End) among n options; -1 is none, null means the key does not move it.
export function nextActive(key, active, n) {
  if (!n) return null;
  switch (key) {
    case 'ArrowDown': return (active + 1) % n;
    case 'ArrowUp': return (active - 1 + n) % n;
    case 'Home': return 0;
    case 'End': return n - 1;
    default: return null;
  }
}
