// The digital-divide dashboard (#divide): coverage on the map by speed band
// or area class, a table and a bar chart per zone from /analytics/broadband,
// the change between two snapshots, CSV download, and the AGCOM per-comune
// FTTH choropleth from /analytics/agcom. Colours come from the palette.
import { getJSON, isAbort } from './api.js';
import { h, clear, announce } from './dom.js';
import { dashboardLayers, defaultZones } from './divide-data.js';
import * as draw from './divide-map.js';
import * as view from './divide-view.js';
import { createAgcom } from './divide-agcom.js';

// firstReport loads the analytics; on a first visit it compares the
// latest snapshot with the one before.
async function firstReport(params, compare, signal) {
  const doc = await getJSON('analytics/broadband', params, { signal });
  if (compare !== null) return { doc, compare };
  const prev = [...(doc.snapshots_available || [])].sort().filter((d) => d < doc.snapshot).pop();
  if (!prev) return { doc, compare: '' };
  return { doc: await getJSON('analytics/broadband', { ...params, compare: prev }, { signal }), compare: prev };
}

// want says whether a layer is shown on the dashboard: the coverage and
// the zones, boundaries as they were; what would hide them off.
function want(e, state) {
  if (e.name === state.coverage || e.name === state.zones || (e.kind === 'boundary' && e.visible)) return true;
  return ['zoning', 'constraint', 'cadastral', 'address', 'broadband'].includes(e.kind) ? false : e.visible;
}

// setVisible shows each layer of the model as visibleOf says, and
// returns what each was before.
function setVisible(map, model, visibleOf, applyVisibility) {
  const was = model.map((e) => ({ e, visible: e.visible }));
  for (const e of model) {
    const on = visibleOf(e);
    if (on === e.visible) continue;
    e.visible = on;
    applyVisibility(map, e);
  }
  return was;
}

export function createDivide({ map, i18n, catalog, model, palette, onVisibility, applyVisibility, padding }) {
  const { coverage, zoneLayers, agcomLayer, comuniLayer } = dashboardLayers(catalog);
  const state = { coverage: coverage[0]?.name, zones: defaultZones(zoneLayers, coverage[0])?.name, snapshot: '', compare: null, mode: 'band', agcom: false, agcomSnapshot: '' };
  const root = h('div', { class: 'divide' });
  const body = h('div', { class: 'divide-body', 'aria-live': 'polite' });
  const entry = (name) => model.find((e) => e.name === name);
  const sourceOf = (name) => map.getLayer(entry(name)?.styleLayers?.[0]?.id)?.source || 'sit';
  const coverageIds = () => (entry(state.coverage)?.styleLayers || []).filter((l) => l.type === 'circle').map((l) => l.id);
  const v = { i18n, palette, state, report: null };
  let ctrl = null;
  let saved = null;
  let selectedFid = null;
  const api = { root, active: false };

  const paintCoverage = () => draw.paintCoverage(map, coverageIds(), palette, state.mode, v.report?.snapshot);
  const agcom = createAgcom({ map, v, agcomLayer, comuniLayer, sourceOf, padding });
  const zoneOverlay = () => {
    if (!state.zones) return;
    draw.addZoneOverlay(map, state.zones, sourceOf(state.zones), selectedFid);
    draw.updateLabels(map, state.zones, v.report);
  };
  const updateLabels = () => draw.updateLabels(map, state.zones, v.report);
  const onMoveEnd = () => map.once('idle', updateLabels);

  const selectZone = (z, fly) => {
    selectedFid = z.fid;
    draw.selectZoneOnMap(map, z.fid);
    for (const tr of root.querySelectorAll('#divide-table tbody tr')) tr.classList.toggle('selected', tr.dataset.fid === String(z.fid));
    if (!fly) return;
    draw.fitZone(map, state.zones, z.fid, padding());
    announce(z.name || z.code);
  };

  // on are the controls' changes.
  const on = {
    zones: (val) => { state.zones = val; selectedFid = null; zoneOverlay(); load(); },
    mode: (mode) => { state.mode = mode; paintCoverage(); render(); },
    coverage: (val) => { state.coverage = val; load(); },
    snapshot: (val) => { state.snapshot = val; load(); },
    compare: (val) => { state.compare = val; load(); },
  };
  const render = () => {
    clear(root);
    if (!coverage.length || !state.zones) {
      root.append(h('p', { class: 'pad muted' }, i18n.t('divide.noLayer')));
      return;
    }
    root.append(h('p', { class: 'intro' }, i18n.t('divide.intro')), view.controls(v, { zoneLayers, coverage, on }), body);
    clear(body).append(...view.figures(v, (z) => selectZone(z, true), selectedFid));
    if (agcom.present) root.append(agcom.box);
  };

  const load = async () => {
    ctrl?.abort();
    ctrl = new AbortController();
    root.setAttribute('aria-busy', 'true');
    try {
      const params = { zones: state.zones, coverage: state.coverage, snapshot: state.snapshot, compare: state.compare || '', f: 'json' };
      const { doc, compare } = await firstReport(params, state.compare, ctrl.signal);
      state.compare = compare;
      v.report = doc;
      render();
      paintCoverage();
      map.once('idle', updateLabels);
    } catch (err) {
      if (isAbort(err)) return;
      v.report = null;
      render();
      clear(body).append(h('p', { class: 'note' }, i18n.t('divide.error', { msg: err.message })));
    } finally {
      root.removeAttribute('aria-busy');
    }
  };

  // Coverage and zones on; what would hide them off; restored on leave.
  api.activate = () => {
    if (api.active) return;
    api.active = true;
    saved = { visible: setVisible(map, model, (e) => want(e, state), applyVisibility), paint: draw.saveCoverage(map, coverageIds()) };
    onVisibility?.();
    zoneOverlay();
    draw.fitLayer(map, catalog.find((c) => c.name === state.coverage)?.bbox, entry(state.coverage)?.minzoom || 0, padding());
    map.on('moveend', onMoveEnd);
    render();
    if (!v.report) {
      load();
      agcom.load();
    } else {
      paintCoverage();
      agcom.paint();
    }
  };
  api.deactivate = () => {
    if (!api.active) return;
    api.active = false;
    map.off('moveend', onMoveEnd);
    draw.removeOverlays(map);
    draw.restoreCoverage(map, saved?.paint);
    const before = new Map((saved?.visible || []).map(({ e, visible }) => [e, visible]));
    setVisible(map, model, (e) => before.get(e) ?? e.visible, applyVisibility);
    onVisibility?.();
  };
  // A click inside a zone selects its row (unless it hit a coverage point,
  // which the info panel describes).
  api.onClick = (ev) => {
    const zoneIds = (entry(state.zones)?.styleLayers || []).map((l) => l.id);
    const row = draw.zoneAt(map, ev.point, coverageIds(), zoneIds, v.report);
    if (!row) return false;
    selectZone(row, false);
    root.querySelector(`#divide-table tr[data-fid="${CSS.escape(String(row.fid))}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    return true;
  };
  render();
  return api;
}
