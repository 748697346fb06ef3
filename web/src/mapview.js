// The MapLibre map: built on the server's style, fitted to the data,
// with its controls, the state it reports for tests (data-idle), and the
// highlight of the chosen parcel.
import {
  Map as MLMap, NavigationControl, ScaleControl, GeolocateControl, AttributionControl, Marker,
} from 'maplibre-gl';
import { ACCENT } from './mapstyle.js';
import { toast } from './shell.js';

// startBounds frames the parcels, else the zoning, else any layer.
function startBounds(catalog) {
  const pick = (kinds) => catalog.find((c) => kinds.includes(c.kind) && c.bbox)?.bbox;
  return pick(['cadastral']) || pick(['zoning']) || pick(['boundary', 'generic', 'address', 'broadband', 'constraint']);
}

function mapLocale(i18n) {
  return {
    'NavigationControl.ZoomIn': i18n.t('ml.zoomIn'), 'NavigationControl.ZoomOut': i18n.t('ml.zoomOut'),
    'GeolocateControl.FindMyLocation': i18n.t('ml.locate'), 'GeolocateControl.LocationNotAvailable': i18n.t('ml.noLocation'),
    'AttributionControl.ToggleAttribution': i18n.t('ml.attribution'), 'Map.Title': i18n.t('ml.title'),
  };
}

// reportState marks the map element idle (MapLibre's idle event) for the
// browser tests and assistive tools; failures are shown once.
function reportState(map, mapEl, i18n) {
  map.on('idle', () => {
    mapEl.dataset.idle = 'true';
    if (!performance.getEntriesByName('sit:first-idle').length) performance.mark('sit:first-idle');
  });
  map.on('dataloading', () => { delete mapEl.dataset.idle; });
  map.on('movestart', () => { delete mapEl.dataset.idle; });
  map.on('error', (ev) => {
    // MapLibre logs to console.error without a listener; a failed tile is
    // not a page error.
    const msg = ev.error?.message || String(ev.error || 'error');
    if (ev.error?.name === 'AbortError') return;
    console.warn('map:', msg);
    if (!ev.tile && !ev.sourceId) toast(i18n.t('map.error', { msg }));
  });
}

export function createMap({ mapEl, style, catalog, i18n, padding }) {
  const bbox = startBounds(catalog);
  const map = new MLMap({
    container: mapEl,
    style,
    hash: 'map',
    bounds: bbox ? [[bbox[0], bbox[1]], [bbox[2], bbox[3]]] : undefined,
    fitBoundsOptions: { padding: padding() },
    center: bbox ? undefined : [12.5, 42.5],
    zoom: bbox ? undefined : 5,
    maxZoom: 21,
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    cooperativeGestures: false,
    locale: mapLocale(i18n),
  });
  window.sitMap = map; // for the console and the browser tests
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new GeolocateControl({ positionOptions: { enableHighAccuracy: true }, trackUserLocation: false, showAccuracyCircle: true }), 'top-right');
  map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');
  map.addControl(new AttributionControl({ compact: true }), 'bottom-right');
  // Compact means a button: start closed, the sources are one click away.
  map.once('load', () => document.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show'));
  reportState(map, mapEl, i18n);
  return map;
}

// addHighlight draws the chosen parcel above everything (call at load);
// it returns highlight(feature|null) and a marker setter.
export function addHighlight(map) {
  map.addSource('sit-highlight', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({ id: 'sit-highlight-fill', type: 'fill', source: 'sit-highlight', paint: { 'fill-color': ACCENT, 'fill-opacity': 0.18 } });
  map.addLayer({ id: 'sit-highlight-casing', type: 'line', source: 'sit-highlight', paint: { 'line-color': '#ffffff', 'line-width': 6, 'line-opacity': 0.9 } });
  map.addLayer({ id: 'sit-highlight-line', type: 'line', source: 'sit-highlight', paint: { 'line-color': ACCENT, 'line-width': 3 } });
}

// createMarks keeps the highlighted parcel and the one marker (an address
// found, a point searched).
export function createMarks(map, onCleared) {
  let marker = null;
  const setMarker = (lngLat, scale = 1) => {
    marker?.remove();
    marker = lngLat ? new Marker({ color: ACCENT, scale }).setLngLat(lngLat).addTo(map) : null;
  };
  const highlight = (feature) => {
    const src = map.getSource('sit-highlight');
    const fc = { type: 'FeatureCollection', features: feature?.geometry ? [{ type: 'Feature', geometry: feature.geometry, properties: {} }] : [] };
    src?.setData(fc);
    if (!feature) {
      setMarker(null);
      onCleared?.();
    }
  };
  return { highlight, setMarker };
}
