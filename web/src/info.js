// Click-info: what is at a point in every visible layer (rendered features),
// the parcel there from /parcels/at, its zones and constraints from the
// zoning report, and the report itself (HTML in the panel, PDF download).
import { getJSON, isAbort } from './api.js';
import { h, icon, clear, announce } from './dom.js';
import { groupFeatures } from './info-data.js';
import { layerSection, zonesSection, reportSection, parcelCard } from './info-sections.js';
import { hashWith } from './urls.js';

// queryAt returns the rendered features at a click: in layers with areas
// what is exactly under the pointer (their outlines would also catch the
// neighbour); in points and lines, within a few pixels.
function queryAt(map, model, point) {
  const areas = [];
  const thin = [];
  for (const e of model.filter((m) => m.visible && m.kind !== 'basemap')) {
    const sls = e.styleLayers.filter((sl) => map.getLayer(sl.id));
    const fills = sls.filter((sl) => sl.type === 'fill');
    if (fills.length) areas.push(...fills.map((sl) => sl.id));
    else thin.push(...sls.filter((sl) => sl.type === 'circle' || sl.type === 'line').map((sl) => sl.id));
  }
  return [
    ...(areas.length ? map.queryRenderedFeatures(point, { layers: areas }) : []),
    ...(thin.length ? map.queryRenderedFeatures([[point.x - 4, point.y - 4], [point.x + 4, point.y + 4]], { layers: thin }) : []),
  ];
}

// outlinedAt reports whether a visible layer of parcels is drawn as its
// fogli's outlines at zoom z (the server's style starts its fill deeper,
// tiles/style.go): no parcel is under the pointer there, the parcel lookup
// says which one the click is in.
function outlinedAt(model, z) {
  return model.some((e) => e.visible && e.kind === 'cadastral'
    && e.styleLayers.some((sl) => sl.type === 'fill' && sl.minzoom > z)
    && e.styleLayers.some((sl) => sl.type === 'line' && sl.minzoom <= z));
}

// createInfo builds the panel. panels (panels.js) opens and closes it so
// that it never covers another panel.
export function createInfo({ map, i18n, panel, catalog, model, palette, highlight, panels }) {
  const ctx = { i18n, palette, byName: Object.fromEntries(catalog.map((c) => [c.name, c])) };
  const title = h('h2', { id: 'info-title', tabindex: '-1' }, i18n.t('info.title'));
  const body = h('div', { class: 'panel-body info-body' });
  const closeBtn = h('button', { type: 'button', class: 'icon-btn', 'aria-label': i18n.t('info.close'), title: i18n.t('info.close') }, icon('close'));
  clear(panel).append(h('header', { class: 'panel-head' }, title, closeBtn), body);
  panel.setAttribute('aria-labelledby', 'info-title');
  let ctrl = null;

  // Closing the panel clears the highlight (panels' onInfoClosed).
  const close = () => {
    ctrl?.abort();
    panels.closeInfo();
  };
  closeBtn.addEventListener('click', close);
  panel.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') close(); });

  const open = (heading) => {
    ctrl?.abort();
    ctrl = new AbortController();
    title.textContent = heading;
    clear(body);
    panels.openInfo();
    return ctrl.signal;
  };

  const parcelHeading = (p) => `${i18n.t('info.parcel')} ${p.foglio ?? '?'}/${p.particella ?? '?'}`;

  // showParcel fills the panel from a parcel Feature (search or click).
  const showParcel = (feature, { others = [], fallbackZones = [], address = null } = {}) => {
    const p = feature.properties || {};
    const signal = open(parcelHeading(p));
    highlight(feature);
    const layer = ctx.byName[p.layer];
    body.append(
      h('p', { class: 'parcel-sub' }, layer?.title || p.layer || '', layer?.synthetic ? h('span', { class: 'badge' }, i18n.t('layers.synthetic')) : null),
      parcelCard(ctx, feature, address),
      p.ref ? reportSection(ctx, p.ref, (wide) => panels.setInfoWide(wide)) : null,
      p.ref ? zonesSection(ctx, p.ref, fallbackZones, signal) : null,
      ...others);
    announce(parcelHeading(p));
    if (p.ref && new URLSearchParams(location.hash.slice(1)).get('parcel') !== p.ref) {
      history.replaceState(history.state, '', hashWith(location.hash, 'parcel', p.ref) || location.pathname + location.search);
    }
  };

  // showAt answers a click: rendered features of the visible layers around
  // the point; when a parcel is drawn there, its full record.
  const showAt = async ({ point, lngLat }) => {
    const { onParcel, zoneFeats, others } = groupFeatures(queryAt(map, model, point), ctx.byName, palette);
    const sections = (except) => others.filter(([n]) => n !== except).map(([n, fs]) => layerSection(ctx, n, fs));
    const noParcel = (note) => {
      highlight(null);
      if (!note) open(i18n.t('info.title'));
      else clear(body);
      title.textContent = i18n.t('info.title');
      body.append(h('p', { class: 'muted coords' }, i18n.t('info.at', { lat: lngLat.lat.toFixed(5), lon: lngLat.lng.toFixed(5) })));
      if (note) body.append(h('p', null, note));
      else if (!others.length) body.append(h('p', null, i18n.t('info.nothing')));
      body.append(...sections());
      announce(i18n.t('info.title'));
    };
    const outlined = !onParcel && outlinedAt(model, map.getZoom());
    if (!onParcel && !outlined) {
      noParcel(null);
      return;
    }
    const signal = open(i18n.t('common.loading'));
    body.append(h('p', { class: 'muted' }, i18n.t('common.loading')));
    try {
      const at = { lon: lngLat.lng.toFixed(7), lat: lngLat.lat.toFixed(7) };
      const { status, body: f } = await getJSON('parcels/at', at, { signal, accept: outlined ? [404] : [], withStatus: true });
      // Among outlines a click between parcels (a road) is no error.
      if (status === 404) {
        noParcel(f.detail || i18n.t('info.nothing'));
        return;
      }
      showParcel(f, { others: sections(f.properties?.layer), fallbackZones: zoneFeats });
    } catch (err) {
      if (isAbort(err)) return;
      // Show the tiles' attributes: the lookup failed, the map did not.
      title.textContent = i18n.t('info.title');
      clear(body).append(h('p', { class: 'note' }, i18n.t('info.loadError', { msg: err.message })), ...sections());
    }
  };

  return { showAt, showParcel, close, isOpen: () => !panel.hidden };
}
