// URLs and the location hash. Pure: the base is passed in (api.js gives
// the page's), so that node --test can check them.

// buildURL resolves path against base and sets the non-empty params.
export function buildURL(base, path, params) {
  const u = new URL(String(path).replace(/^\//, ''), base);
  for (const [k, v] of Object.entries(params || {})) {
    if (v != null && v !== '') u.searchParams.set(k, v);
  }
  return u.href;
}

// parseHash reads "#map=15/43.8/10.5&parcel=E715_003700.125&divide".
export function parseHash(hash) {
  return new URLSearchParams(String(hash || '').replace(/^#/, ''));
}

// writeHash writes params back, readable: keys without a value stay bare
// ("#divide", not "#divide="), slashes and commas are not escaped (the
// map's "15/43.8/10.5"); anything else that needs escaping stays escaped.
export function writeHash(params) {
  const s = params.toString().replace(/%2F/gi, '/').replace(/%2C/gi, ',');
  return `#${s.replace(/=&/g, '&').replace(/=$/, '')}`;
}

// hashWith returns hash with key set to value (null removes it); '' when
// nothing is left.
export function hashWith(hash, key, value) {
  const p = parseHash(hash);
  if (value == null) p.delete(key);
  else p.set(key, value);
  const out = writeHash(p);
  return out === '#' ? '' : out;
}

// fileSafe makes a reference usable in a file name.
export function fileSafe(ref) {
  return String(ref).replace(/[^\w.-]+/g, '_');
}
