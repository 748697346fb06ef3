import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dashboardLayers, defaultZones, readAgcom, columnsOf, fastShare, whiteShare, segments, labelPoints, boundsOf, keysOf } from '../src/divide-data.js';

const catalog = [
  { name: 'cov', kind: 'broadband', geometryType: 'Point', bbox: [10.4, 43.8, 10.6, 43.9] },
  { name: 'agcom', kind: 'broadband', geometryType: 'MultiPolygon' },
  { name: 'comuni', kind: 'boundary', geometryType: 'MultiPolygon', bbox: [10.1, 43.7, 10.8, 44.3], properties: [{ name: 'com_istat_code_num' }] },
  { name: 'aree', kind: 'boundary', geometryType: 'MultiPolygon', bbox: [10.4, 43.79, 10.61, 43.91] },
  { name: 'parcels', kind: 'cadastral', geometryType: 'MultiPolygon' },
];

test('the dashboard picks its layers and the smallest zones around the coverage', () => {
  const d = dashboardLayers(catalog);
  assert.deepEqual(d.coverage.map((l) => l.name), ['cov']);
  assert.deepEqual(d.zoneLayers.map((l) => l.name), ['comuni', 'aree']);
  assert.equal(d.agcomLayer.name, 'agcom');
  assert.equal(d.comuniLayer.name, 'comuni');
  assert.equal(defaultZones(d.zoneLayers, d.coverage[0]).name, 'aree');
  assert.equal(defaultZones([], d.coverage[0]), null);
});

test('AGCOM rows from GeoJSON', () => {
  const rows = readAgcom({ features: [{ geometry: { type: 'Point' }, properties: { pro_com: 46017, comune: 'Lucca', ftth_addresses_pct: 18.8, indirizzi: 461446 } }, { properties: {} }] });
  assert.deepEqual(rows.map((r) => [r.code, r.name, r.share, r.addresses]), [[46017, 'Lucca', 18.8, 461446]]);
});

const report = {
  speed_bands: ['<30', '30-100', '100-1000', '>=1000'], area_classes: ['white', 'grey', 'black'],
  zones_stats: [{ current: { addresses: 10, by_speed_band: { '<30': { addresses: 2 }, '>=1000': { addresses: 8 } }, by_area_class: { white: { addresses: 2 }, black: { addresses: 8 } } } },
    { current: { addresses: 4, by_speed_band: { unknown: { addresses: 1 }, '100-1000': { addresses: 3 } }, by_area_class: { black: { addresses: 3 } } } }],
};

test('table columns and shares by mode', () => {
  assert.deepEqual(columnsOf(report, 'band'), [...report.speed_bands, 'unknown']);
  assert.deepEqual(columnsOf(report, 'area'), report.area_classes);
  assert.deepEqual(keysOf(report, 'area'), report.area_classes);
  const z = report.zones_stats[0].current;
  assert.equal(fastShare(z), 0.8);
  assert.equal(whiteShare(z), 0.2);
  assert.equal(fastShare({ addresses: 0 }), null);
  assert.deepEqual(segments(z, 'band', columnsOf(report, 'band')).map((s) => [s.key, s.share]), [['<30', 0.2], ['>=1000', 0.8]]);
});

test('one label per zone at its largest piece; bounds of nested coordinates', () => {
  const sq = (x, y, d) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
  const feats = [
    { id: 1, geometry: { type: 'MultiPolygon', coordinates: [sq(0, 0, 1), sq(10, 10, 4)] } },
    { id: 1, geometry: { type: 'Polygon', coordinates: sq(20, 20, 2) } },
    { id: 2, geometry: { type: 'Polygon', coordinates: sq(0, 0, 1) } },
  ];
  const pts = labelPoints(feats, { 1: 'Centro' });
  assert.equal(pts.length, 1);
  assert.deepEqual(pts[0].geometry.coordinates, [12, 12]);
  assert.equal(pts[0].properties.name, 'Centro');
  assert.deepEqual(boundsOf(feats.map((f) => f.geometry.coordinates)), [0, 0, 22, 22]);
  assert.equal(boundsOf([]), null);
});
