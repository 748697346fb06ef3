// The server's API, relative to where the viewer is served: the page lives
// at <base>/map/, the API at <base>/ (so a proxy prefix keeps working).
import { buildURL } from './urls.js';

export const apiBase = new URL('../', location.href.split('#')[0]);

export function apiURL(path, params) {
  return buildURL(apiBase, path, params);
}

// ApiError carries a problem+json answer (RFC 9457): status, detail and
// the parameter at fault.
export class ApiError extends Error {
  constructor(status, detail, parameter) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.parameter = parameter;
  }
}

async function failure(res) {
  let detail = `${res.status} ${res.statusText}`;
  let parameter;
  try {
    const p = await res.json();
    if (p.detail) detail = p.detail;
    parameter = p.parameter;
  } catch { /* not JSON */ }
  return new ApiError(res.status, detail, parameter);
}

export async function getJSON(path, params, opts = {}) {
  const res = await fetch(apiURL(path, params), { signal: opts.signal, headers: { Accept: 'application/json, application/geo+json' } });
  if (!res.ok && !(opts.accept || []).includes(res.status)) throw await failure(res);
  return opts.withStatus ? { status: res.status, body: await res.json() } : res.json();
}

export async function getText(path, params, opts = {}) {
  const res = await fetch(apiURL(path, params), { signal: opts.signal, headers: { Accept: opts.type || 'text/html' } });
  if (!res.ok) throw await failure(res);
  return res.text();
}

export const isAbort = (err) => err?.name === 'AbortError';
