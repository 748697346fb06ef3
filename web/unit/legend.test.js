import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerModel, legendLabel, scaleOpacity, swatchOf, groupByKind } from '../src/legend.js';
import { palette, it, en } from './helpers.js';

const catalog = [
  { name: 'parcels', title: 'Particelle', kind: 'cadastral', geometryType: 'MultiPolygon' },
  { name: 'zoning', title: 'Zone', kind: 'zoning', geometryType: 'MultiPolygon' },
  { name: 'agcom', title: 'AGCOM', kind: 'broadband', geometryType: 'MultiPolygon' },
  { name: 'comuni', title: 'Comuni', kind: 'boundary', geometryType: 'MultiPolygon' },
];
const style = {
  layers: [
    { id: 'background', type: 'background' },
    { id: 'base', type: 'raster', source: 'basemap', metadata: { 'sit:basemap': true } },
    { id: 'zoning-fill', type: 'fill', 'source-layer': 'zoning', minzoom: 10, paint: { 'fill-opacity': 0.45 } },
    { id: 'agcom-fill', type: 'fill', 'source-layer': 'agcom', paint: { 'fill-color': ['step'], 'fill-opacity': 0.6 } },
    { id: 'comuni-line', type: 'line', 'source-layer': 'comuni', paint: { 'line-color': '#5e3c99', 'line-dasharray': [2, 1] } },
    { id: 'parcels-fill', type: 'fill', 'source-layer': 'parcels', minzoom: 14, paint: { 'fill-color': '#ffffff', 'fill-opacity': 0 } },
    { id: 'parcels-line', type: 'line', 'source-layer': 'parcels', minzoom: 14, paint: { 'line-color': '#4d4d4d' } },
    { id: 'parcels-label', type: 'symbol', 'source-layer': 'parcels:labels', minzoom: 17 },
  ],
};
const legends = [
  { layer: 'zoning', property: 'zone_class', items: [{ value: 'A', color: '#d7301f' }, { value: null, color: '#bdbdbd' }] },
  { layer: 'agcom', property: 'ftth_share', steps: palette.ftth },
];

test('one entry per catalog layer, top of the map first, the base map last', () => {
  const m = layerModel(style, catalog, legends, palette);
  assert.deepEqual(m.map((e) => e.name), ['parcels', 'comuni', 'agcom', 'zoning', 'basemap']);
  const parcels = m[0];
  assert.deepEqual(parcels.styleLayers.map((l) => l.id), ['parcels-fill', 'parcels-line', 'parcels-label']);
  assert.equal(parcels.minzoom, 14);
  assert.deepEqual(parcels.swatch, { color: '#4d4d4d', type: 'outline', dashed: false });
  assert.deepEqual(m[1].swatch, { color: '#5e3c99', type: 'outline', dashed: true });
  assert.deepEqual(m[3].swatch, { type: 'multi', colors: ['#d7301f'] });
  assert.equal(m[2].legend.items.length, 5);
  assert.equal(m[2].legend.items[0].label, '0–20%');
  assert.deepEqual(m[0].styleLayers[0].base, { 'fill-opacity': 0 });
});

test('the base map entry takes its swatch from the palette', () => {
  const b = layerModel(style, catalog, legends, palette).at(-1);
  assert.equal(b.kind, 'basemap');
  assert.deepEqual(b.swatch, { type: 'fill', color: palette.color('basemap_fill') });
  assert.notEqual(palette.color('basemap_fill'), palette.other);
});

test('a layer without a legend of its own gets its kind\'s from the palette', () => {
  const m = layerModel(style, catalog, [], palette);
  const z = m.find((e) => e.name === 'zoning');
  assert.equal(z.legend.property, 'zone_class');
  assert.deepEqual(z.legend.items.map((i) => i.color), palette.legend('zone_class').entries.map((e) => e.color));
});

test('legend labels in the viewer\'s language', () => {
  assert.equal(legendLabel(it, 'zone_class', { value: 'E' }), 'E – agricole');
  assert.equal(legendLabel(en, 'speed_band', { value: '<30' }), it.t('band.<30'));
  assert.equal(legendLabel(it, 'area_class', { value: 'white' }), 'Area bianca');
  assert.equal(legendLabel(it, 'zone_class', { value: null }), 'altro');
  assert.equal(legendLabel(it, 'ftth_share', { value: '0–20%', label: '0–20%' }), '0–20%');
});

test('opacity scales numbers and zoom curves', () => {
  assert.equal(scaleOpacity(undefined, 0.5), 0.5);
  assert.equal(scaleOpacity(0.45, 0.5), 0.225);
  assert.deepEqual(scaleOpacity(['interpolate', ['linear'], ['zoom'], 10, 0.2, 18, 1], 0.5), ['interpolate', ['linear'], ['zoom'], 10, 0.1, 18, 0.5]);
  assert.deepEqual(scaleOpacity(['step', ['zoom'], 0, 10, 1], 0.5), ['step', ['zoom'], 0, 10, 0.5]);
});

test('the panel groups layers by kind in reading order', () => {
  const m = layerModel(style, catalog, legends, palette);
  assert.deepEqual(groupByKind(m, palette).map(([k]) => k), ['cadastral', 'zoning', 'broadband', 'boundary', 'basemap']);
  assert.deepEqual(swatchOf([], 'Point'), { color: '#777', type: 'line' });
});
