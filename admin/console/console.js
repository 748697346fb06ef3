// The GIS office's console (/console/, /c/{comune}/console/): sign in, the
// layers with their title and visibility, uploads followed to their counts
// and rejects, the import history, and for administrators the audit log,
// accounts and tokens. It is a client of /auth/… and /admin/… like any
// other: every change carries the session's CSRF token (X-CSRF-Token, from
// /auth/session), and what a button may do the API decides (a refusal is
// shown as the problem's detail). The page and its strings come from the
// server in the visitor's language (admin/console_text.go). No secret is
// kept: a new token's secret is shown once, from the answer that made it.

const texts = JSON.parse(document.getElementById('sit-texts').textContent);
const lang = document.documentElement.lang;
// Counts are grouped from four digits, as everywhere in SIT (internal/l10n).
const ints = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'it-IT', { useGrouping: 'always', maximumFractionDigits: 0 });
const times = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'it-IT', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Rome' });
// The site's root: the console is at ROOT/console/ (ROOT is / or /c/{comune}/).
const root = new URL('../', window.location.href);

const state = { csrf: '', me: null, comuni: [], auditBefore: 0 };
const done = new Set(['succeeded', 'failed', 'interrupted']);

export function t(key, vars = {}) {
  const s = texts[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, n) => String(vars[n] ?? ''));
}
const num = (n) => (n == null ? '–' : ints.format(n));
const when = (s) => (s ? times.format(new Date(s)) : '–');
const $ = (sel, el = document) => el.querySelector(sel);

// el makes an element: el('td', {class: 'num'}, 'text', child…).
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...children.filter((c) => c != null));
  return e;
}

class APIError extends Error {
  constructor(status, doc) {
    super(doc.detail || doc.title || `HTTP ${status}`);
    this.status = status;
    this.doc = doc;
  }
}

// api calls the server; a problem becomes an APIError with its detail.
async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = state.csrf;
  const opt = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    opt.body = JSON.stringify(body);
  }
  const res = await fetch(new URL(path, root), opt);
  if (res.status === 204) return null;
  const doc = await res.json().catch(() => ({}));
  if (!res.ok) {
    if (res.status === 401 && path.startsWith('admin/')) showLogin(false);
    throw new APIError(res.status, doc);
  }
  return doc;
}

function say(text, error = false) {
  const s = $('#status');
  s.textContent = text;
  s.classList.toggle('error', error);
}

// guard runs an action and shows its error, if any.
async function guard(fn) {
  try {
    await fn();
  } catch (e) {
    say(e instanceof APIError ? t('error.api', { status: e.status, detail: e.message }) : t('error.network', { detail: e.message }), true);
  }
}

function show(id) {
  for (const s of ['login', 'denied', 'console']) $(`#${s}`).hidden = s !== id;
}

function showLogin(oidc) {
  show('login');
  $('#who').hidden = true;
  $('#logout').hidden = true;
  if (oidc) {
    $('#oidc').hidden = false;
    $('#oidc-link').href = new URL(`auth/oidc/login?return_to=${encodeURIComponent(window.location.pathname)}`, root).href;
  }
  $('#login-form [name=username]').focus();
}

async function start() {
  const s = await api('GET', 'auth/session');
  state.csrf = s.csrfToken || '';
  if (!s.authenticated) {
    showLogin(s.oidc);
    return;
  }
  $('#who').textContent = t('nav.who', { name: s.username, role: t(`role.${s.role}`) });
  $('#who').hidden = false;
  $('#logout').hidden = s.kind !== 'account';
  try {
    state.me = await api('GET', 'admin/me');
  } catch (e) {
    if (e.status !== 403) throw e;
    show('denied');
    return;
  }
  await openConsole();
}

async function openConsole() {
  const me = state.me;
  $('#scope').textContent = me.scope === '*' ? t('scope.all') : me.scope;
  for (const b of document.querySelectorAll('[data-admin]')) b.hidden = !me.admin;
  $('#upload-off').hidden = me.uploads;
  $('#upload-form button[type=submit]').disabled = !me.uploads;
  state.comuni = (await api('GET', 'admin/comuni')).comuni;
  fillComuni();
  show('console');
  await openTab(window.location.hash.slice(1) || 'layers');
}

// fillComuni offers an administrator of the instance the comune of a new
// account or token ("" : the whole instance); others make them in their own.
function fillComuni() {
  const instance = state.me.admin && state.me.scope === '*';
  for (const label of document.querySelectorAll('[data-instance]')) {
    label.hidden = !instance;
    const sel = $('select', label);
    if (sel) sel.replaceChildren(el('option', { value: '' }, t('scope.all')), ...state.comuni.map((c) => el('option', { value: c.slug }, c.name)));
  }
}

const loaders = {
  layers: loadLayers, upload: async () => offerNames((await api('GET', 'admin/layers')).layers), imports: loadImports, audit: () => loadAudit(true), accounts: loadAccounts, tokens: loadTokens,
  comuni: loadComuni,
};

async function openTab(name) {
  const tab = document.querySelector(`[data-tab="${CSS.escape(name)}"]`);
  if (!loaders[name] || !tab || tab.hidden) name = 'layers';
  for (const b of document.querySelectorAll('[data-tab]')) b.setAttribute('aria-selected', String(b.dataset.tab === name));
  for (const p of document.querySelectorAll('.tab')) p.hidden = p.id !== `tab-${name}`;
  history.replaceState(null, '', `#${name}`);
  $('#token-secret').hidden = true;
  $('#token-secret-value').textContent = '';
  await guard(loaders[name]);
}

function visibilitySelect(value, enabled) {
  const sel = el('select', { name: 'visibility', disabled: !enabled, 'aria-label': t('col.visibility') });
  for (const v of ['public', 'professional', 'internal']) sel.append(el('option', { value: v, selected: v === value }, t(`vis.${v}`)));
  return sel;
}

function layerRow(l) {
  const title = el('input', { name: 'title', value: l.title, disabled: !l.editable, 'aria-label': t('col.title') });
  const vis = visibilitySelect(l.visibility, l.editable && state.me.admin);
  const save = el('button', { type: 'button', name: 'save', disabled: !l.editable }, t('layers.save'));
  save.addEventListener('click', () => guard(() => saveLayer(l, title.value, vis.value)));
  let del = null;
  if (state.me.admin && l.editable) {
    del = el('button', { type: 'button', name: 'delete', class: 'danger' }, t('layers.delete'));
    del.addEventListener('click', () => guard(async () => {
      if (!window.confirm(t('layers.confirmDelete', { name: l.name }))) return;
      await api('DELETE', `admin/layers/${encodeURIComponent(l.name)}`);
      say(t('layers.deleted', { name: l.name }));
      await loadLayers();
    }));
  }
  return el('tr', { 'data-layer': l.name },
    el('td', {}, el('code', {}, l.name), l.synthetic ? el('span', { class: 'tag' }, t('layers.synthetic')) : null),
    el('td', {}, title), el('td', {}, vis), el('td', {}, l.comune || t('scope.shared')), el('td', {}, l.geometryType || '–'),
    el('td', { class: 'num' }, num(l.features)), el('td', { class: 'num' }, num(l.version)), el('td', {}, when(l.updated)),
    el('td', { class: 'actions' }, save, del ? ' ' : null, del));
}

async function loadLayers() {
  const { layers } = await api('GET', 'admin/layers');
  const rows = layers.map(layerRow);
  offerNames(layers);
  $('#layers-table tbody').replaceChildren(...rows);
  if (!rows.length) $('#layers-table tbody').append(el('tr', {}, el('td', { colspan: 9 }, t('layers.none'))));
  await loadPublished();
}

// loadPublished shows an administrator of the instance the database's own
// relations served as they are (GET /admin/published): the layers with
// whether their edits are tracked and why not, what is not served and what
// would serve it, and each published source with its button to unpublish.
async function loadPublished() {
  const box = $('#published');
  box.hidden = !(state.me.admin && state.me.scope === '*');
  if (box.hidden) return;
  const doc = await api('GET', 'admin/published');
  const rows = doc.layers.map((l) => el('tr', { 'data-published': l.name },
    el('td', {}, el('code', {}, l.name)), el('td', {}, l.origin), el('td', {}, t(l.tracked ? 'pub.yes' : 'pub.no')),
    el('td', {}, t(`vis.${l.visibility}`)), el('td', {}, l.notes.join(' '))));
  if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: 5 }, t('pub.none'))));
  $('#published-table tbody').replaceChildren(...rows);
  $('#published-sources').replaceChildren(...doc.sources.map((src) => {
    const rm = el('button', { type: 'button', name: 'unpublish', class: 'danger' }, t('pub.remove'));
    rm.addEventListener('click', () => guard(async () => {
      if (!window.confirm(t('pub.confirmRemove', { source: src.source }))) return;
      await api('DELETE', `admin/published/${encodeURIComponent(src.source)}`);
      say(t('pub.removed', { source: src.source }));
      await loadLayers();
    }));
    return el('li', { 'data-source': src.source }, el('code', {}, src.source), ` ${t(`pub.by.${src.declaredBy || 'unknown'}`)} `, rm);
  }));
  $('#published-missing').replaceChildren(...doc.notServed.map((n) => el('li', {}, t('pub.notServed', { note: n }))));
}

// publish sends the form to POST /admin/published; statements the owner
// role may not run are shown for the tables' owner.
async function publish(form) {
  const rep = await api('POST', 'admin/published', {
    source: form.source.value.trim(), visibility: form.visibility.value, mercator: form.mercator.checked,
    noTileCopy: form.noTileCopy.checked,
  });
  say(t('pub.done', { source: rep.source, n: num(rep.relations.length), tracked: num(rep.tracked.length) }));
  const pending = $('#published-pending');
  const parts = [];
  if (rep.pending.length) parts.push(t('pub.pending'), ...rep.pending);
  if (rep.advice.length) parts.push(t('pub.advice'), ...rep.advice);
  if (rep.tileCopies.length) parts.push(t('pub.copied'), ...rep.tileCopies);
  pending.textContent = parts.join('\n');
  pending.hidden = !parts.length;
  form.reset();
  await loadLayers();
}

// offerNames gives the upload form the layers this principal may import into.
function offerNames(layers) {
  $('#layer-names').replaceChildren(...layers.filter((l) => l.editable).map((l) => el('option', { value: l.name }, l.title)));
}

async function purge() {
  const { purged } = await api('POST', 'admin/cache/purge');
  say(t('layers.purged', { n: num(purged) }));
}

async function saveLayer(l, title, visibility) {
  const patch = {};
  if (title !== l.title) patch.title = title;
  if (visibility !== l.visibility) patch.visibility = visibility;
  if (!Object.keys(patch).length) {
    say(t('layers.unchanged', { name: l.name }));
    return;
  }
  const nl = await api('PATCH', `admin/layers/${encodeURIComponent(l.name)}`, patch);
  Object.assign(l, nl);
  say(t('layers.saved', { name: l.name, vis: t(`vis.${nl.visibility}`) }));
  await loadLayers();
}

// upload sends the form with XMLHttpRequest (fetch reports no upload
// progress), then follows the job until it ends.
function upload(form) {
  const fd = new FormData();
  for (const [k, v] of new FormData(form)) {
    if (k === 'file' || v !== '') fd.append(k, v);
  }
  const xhr = new XMLHttpRequest();
  xhr.open('POST', new URL('admin/uploads', root));
  xhr.setRequestHeader('X-CSRF-Token', state.csrf);
  xhr.setRequestHeader('Accept', 'application/json');
  xhr.responseType = 'json';
  $('#job').hidden = false;
  $('#job-id').textContent = '';
  showResults(null);
  xhr.upload.addEventListener('progress', (e) => {
    if (!e.lengthComputable) return;
    setBar(e.loaded, e.total);
    $('#job-phase').textContent = t('job.sending', { done: num(Math.round(e.loaded / 1024)), total: num(Math.round(e.total / 1024)) });
  });
  return new Promise((resolve, reject) => {
    xhr.addEventListener('load', () => {
      if (xhr.status !== 202) reject(new APIError(xhr.status, xhr.response || {}));
      else resolve(follow(xhr.response));
    });
    xhr.addEventListener('error', () => reject(new Error(t('upload.broken'))));
    xhr.send(fd);
  });
}

function setBar(doneN, total) {
  const bar = $('#job-bar');
  if (total > 0) {
    bar.max = total;
    bar.value = Math.min(doneN, total);
  } else bar.removeAttribute('value');
}

// follow polls the job until it ends, showing its phase and progress.
async function follow(job) {
  $('#job-id').textContent = job.id;
  for (;;) {
    renderJob(job);
    if (done.has(job.status)) break;
    await new Promise((r) => setTimeout(r, 500));
    job = await api('GET', `admin/jobs/${encodeURIComponent(job.id)}`);
  }
  say(t(`job.${job.status}`), job.status !== 'succeeded');
  if (job.status === 'succeeded') await loadLayers();
}

function renderJob(job) {
  const p = job.progress;
  const unit = p.unit === 'bytes' ? 'KiB' : t('job.features');
  const scale = p.unit === 'bytes' ? 1024 : 1;
  let text = t(`job.${job.status}`);
  if (job.status === 'running' && p.layer) {
    text += ' — ' + t('job.progress', { layer: p.layer, done: num(Math.round(p.done / scale)), total: p.total >= 0 ? num(Math.round(p.total / scale)) : '?', unit });
  }
  if (p.error) text += ' — ' + p.error;
  $('#job-phase').textContent = text;
  $('#job').dataset.status = job.status;
  if (done.has(job.status)) setBar(1, 1);
  else setBar(p.done, p.total);
  $('#job-notices').replaceChildren(...p.notices.map((n) => el('li', { class: n.level }, n.layer ? `${n.layer}: ${n.text}` : n.text)));
  showResults(p.results);
}

function showResults(results) {
  const rs = results || [];
  $('#job-results').hidden = !rs.length;
  $('#job-results tbody').replaceChildren(...rs.map((r) => el('tr', { 'data-layer': r.layer },
    el('td', {}, el('code', {}, r.layer)), el('td', { class: 'num', 'data-col': 'read' }, num(r.read)),
    el('td', { class: 'num', 'data-col': 'loaded' }, num(r.loaded)), el('td', { class: 'num', 'data-col': 'rejected' }, num(r.rejected)),
    el('td', { class: 'num' }, num(r.repaired)), el('td', { class: 'num' }, r.version ? num(r.version) : '–'),
    el('td', { class: r.error ? 'error' : '' }, r.error || (r.version ? el('a', { href: new URL(`collections/${encodeURIComponent(r.layer)}`, root).href }, t('job.open')) : '')))));
  const rejects = rs.flatMap((r) => r.rejects.map((x) => el('tr', {}, el('td', {}, r.layer), el('td', { class: 'num' }, num(x.record)), el('td', {}, x.reason))));
  $('#job-rejects').hidden = !rejects.length;
  $('#job-rejects-title').hidden = !rejects.length;
  $('#job-rejects tbody').replaceChildren(...rejects);
}

async function loadImports() {
  const { imports } = await api('GET', 'admin/imports?limit=100');
  $('#imports-table tbody').replaceChildren(...imports.map((x) => el('tr', {},
    el('td', {}, when(x.started)), el('td', {}, el('code', {}, x.layer)), el('td', {}, x.source), el('td', {}, x.format),
    el('td', { class: `st-${x.status}` }, t(`import.${x.status}`)), el('td', { class: 'num' }, num(x.read)), el('td', { class: 'num' }, num(x.loaded)),
    el('td', { class: 'num' }, num(x.rejected)), el('td', { class: 'num' }, x.version ? num(x.version) : '–'), el('td', {}, x.message))));
}

async function loadAudit(fresh) {
  if (fresh) {
    state.auditBefore = 0;
    $('#audit-table tbody').replaceChildren();
  }
  const limit = 100;
  const { entries } = await api('GET', `admin/audit?limit=${limit}${state.auditBefore ? `&before=${state.auditBefore}` : ''}`);
  $('#audit-table tbody').append(...entries.map((e) => el('tr', { class: `res-${e.result}` },
    el('td', {}, when(e.at)), el('td', {}, e.actor), el('td', { title: JSON.stringify(e.detail) }, e.action), el('td', {}, e.target),
    el('td', {}, t(`result.${e.result}`)),
    el('td', { class: 'num' }, String(e.status || '')), el('td', {}, e.remoteAddr))));
  if (entries.length) state.auditBefore = entries[entries.length - 1].id;
  $('#audit-more').hidden = entries.length < limit;
}

async function loadAccounts() {
  const { accounts } = await api('GET', 'admin/accounts');
  $('#accounts-table tbody').replaceChildren(...accounts.map((a) => {
    const toggle = el('button', { type: 'button', name: 'toggle' }, a.disabled ? t('accounts.enable') : t('accounts.disable'));
    toggle.addEventListener('click', () => guard(async () => {
      await api('PATCH', `admin/accounts/${a.id}`, { disabled: !a.disabled });
      say(t(a.disabled ? 'accounts.enabled' : 'accounts.disabled', { name: a.username }));
      await loadAccounts();
    }));
    const del = el('button', { type: 'button', name: 'delete', class: 'danger' }, t('accounts.delete'));
    del.addEventListener('click', () => guard(async () => {
      if (!window.confirm(t('accounts.confirmDelete', { name: a.username }))) return;
      await api('DELETE', `admin/accounts/${a.id}`);
      say(t('accounts.deleted', { name: a.username }));
      await loadAccounts();
    }));
    return el('tr', { 'data-account': a.username }, el('td', {}, a.username), el('td', {}, a.displayName), el('td', {}, t(`role.${a.role}`)),
      el('td', {}, a.comune || t('scope.all')), el('td', {}, when(a.lastLogin)),
      el('td', {}, a.disabled ? t('accounts.off') : t('accounts.on')), el('td', {}, toggle, ' ', del));
  }));
}

async function createAccount(form) {
  const f = new FormData(form);
  const body = { username: f.get('username'), role: f.get('role') };
  for (const k of ['password', 'displayName', 'email']) if (f.get(k)) body[k] = f.get(k);
  if (!$('[data-instance]', form).hidden) body.comune = f.get('comune');
  const a = await api('POST', 'admin/accounts', body);
  form.reset();
  say(t('accounts.created', { name: a.username }));
  await loadAccounts();
}

async function loadTokens() {
  const { tokens } = await api('GET', 'admin/tokens');
  $('#tokens-table tbody').replaceChildren(...tokens.map((k) => {
    const revoke = el('button', { type: 'button', name: 'revoke', class: 'danger', disabled: !!k.revoked }, t('tokens.revoke'));
    revoke.addEventListener('click', () => guard(async () => {
      await api('DELETE', `admin/tokens/${k.id}`);
      say(t('tokens.revoked', { name: k.name }));
      await loadTokens();
    }));
    return el('tr', { 'data-token': k.name }, el('td', {}, k.name), el('td', {}, el('code', {}, k.prefix)), el('td', {}, t(`role.${k.role}`)),
      el('td', {}, k.comune || t('scope.all')), el('td', {}, k.createdBy), el('td', {}, when(k.expires)), el('td', {}, when(k.lastUsed)),
      el('td', {}, k.revoked ? t('tokens.off', { at: when(k.revoked) }) : t('accounts.on')), el('td', {}, revoke));
  }));
}

async function createToken(form) {
  const f = new FormData(form);
  const body = { name: f.get('name'), role: f.get('role'), ttlSeconds: Math.round(Number(f.get('days') || 0) * 86400) };
  if (!$('[data-instance]', form).hidden) body.comune = f.get('comune');
  const k = await api('POST', 'admin/tokens', body);
  form.reset();
  // The secret is in this answer only: shown until the clerk dismisses it
  // or leaves the tab, never stored.
  $('#token-secret-value').textContent = k.secret;
  $('#token-secret').hidden = false;
  say(t('tokens.created', { name: k.name }));
  await loadTokens();
}

// parseView reads "lon, lat, zoom" ("" : no change).
function parseView(text) {
  if (!text.trim()) return undefined;
  const v = text.split(',').map((x) => Number(x.trim()));
  if (v.length !== 3 || v.some((x) => x === '' || Number.isNaN(x))) throw new Error(t('comuni.badView'));
  return v;
}

async function loadComuni() {
  state.comuni = (await api('GET', 'admin/comuni')).comuni;
  $('#comuni-table tbody').replaceChildren(...state.comuni.map((c) => {
    const input = (name, value, size) => el('input', { name, value: value ?? '', size, 'aria-label': t(`col.${name}`) });
    const name = input('comuneName', c.name, 24);
    const belfiore = input('belfiore', c.belfiore, 5);
    const header = input('reportHeader', c.reportHeader, 30);
    const view = input('view', c.defaultView ? c.defaultView.join(', ') : '', 18);
    const save = el('button', { type: 'button', name: 'save' }, t('layers.save'));
    save.addEventListener('click', () => guard(async () => {
      const body = { name: name.value, belfiore: belfiore.value, reportHeader: header.value };
      const v = parseView(view.value);
      if (v) body.defaultView = v;
      const nc = await api('PATCH', `admin/comuni/${encodeURIComponent(c.slug)}`, body);
      say(t('comuni.saved', { name: nc.name }));
      await loadComuni();
    }));
    return el('tr', { 'data-comune': c.slug }, el('td', {}, el('code', {}, c.slug)), el('td', {}, name), el('td', {}, belfiore),
      el('td', {}, header), el('td', {}, view), el('td', {}, save));
  }));
}

async function createComune(form) {
  const f = new FormData(form);
  const body = { slug: f.get('slug'), name: f.get('name') };
  if (f.get('belfiore')) body.belfiore = f.get('belfiore');
  const c = await api('POST', 'admin/comuni', body);
  form.reset();
  say(t('comuni.created', { name: c.name }));
  await loadComuni();
  fillComuni();
}

async function login(form) {
  const f = new FormData(form);
  const s = await api('POST', 'auth/login', { username: f.get('username'), password: f.get('password') });
  form.reset();
  state.csrf = s.csrfToken;
  say('');
  await start();
}

async function logout() {
  await api('POST', 'auth/logout');
  state.csrf = '';
  state.me = null;
  say(t('nav.loggedOut'));
  await start();
}

function onSubmit(id, fn) {
  $(id).addEventListener('submit', (e) => {
    e.preventDefault();
    const button = $('button[type=submit]', e.target);
    button.disabled = true;
    guard(() => fn(e.target)).finally(() => {
      button.disabled = id === '#upload-form' && !state.me?.uploads;
    });
  });
}

function wire() {
  onSubmit('#login-form', login);
  onSubmit('#upload-form', upload);
  onSubmit('#account-form', createAccount);
  onSubmit('#token-form', createToken);
  onSubmit('#comune-form', createComune);
  onSubmit('#publish-form', publish);
  $('#purge').addEventListener('click', () => guard(purge));
  $('#logout').addEventListener('click', () => guard(logout));
  $('#audit-more').addEventListener('click', () => guard(() => loadAudit(false)));
  $('#token-secret-done').addEventListener('click', () => {
    $('#token-secret').hidden = true;
    $('#token-secret-value').textContent = '';
  });
  for (const b of document.querySelectorAll('[data-tab]')) b.addEventListener('click', () => openTab(b.dataset.tab));
  const drop = $('#drop');
  const input = $('#upload-form [name=file]');
  const named = () => { $('#drop-name').textContent = input.files.length ? input.files[0].name : ''; };
  input.addEventListener('change', named);
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files.length) input.files = e.dataTransfer.files;
    named();
  });
}

wire();
guard(start);
