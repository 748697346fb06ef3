import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPaper, mergeBasemap, addHitLayers, polygonCircles } from '../src/style-parts.js';
import { paletteJSON } from './helpers.js';

const server = {
  version: 8, metadata: { 'sit:legend': [] }, sources: { sit: { type: 'vector' } },
  layers: [{ id: 'background', type: 'background' }, { id: 'comuni-line', type: 'line', source: 'sit', 'source-layer': 'comuni', minzoom: 6 }],
};

test('a raster base map goes right above the background, marked', () => {
  const s = mergeBasemap(server, { sources: { basemap: { type: 'raster' } }, layers: [{ id: 'basemap', type: 'raster', source: 'basemap' }] });
  assert.deepEqual(s.layers.map((l) => l.id), ['background', 'basemap', 'comuni-line']);
  assert.equal(s.layers[1].metadata['sit:basemap'], true);
  assert.ok(s.sources.basemap && s.sources.sit);
  assert.equal(mergeBasemap(server, null), server);
});

test('a base map style goes under the server layers, which keep their metadata', () => {
  const base = { version: 8, metadata: { x: 1 }, sources: { osm: {} }, layers: [{ id: 'land', type: 'fill', source: 'osm' }] };
  const s = mergeBasemap(server, { style: base });
  assert.deepEqual(s.layers.map((l) => l.id), ['land', 'comuni-line']);
  assert.deepEqual(s.metadata, { x: 1, 'sit:legend': [] });
});

test('outline-only polygon layers get an invisible fill to be clicked', () => {
  const catalog = [{ name: 'comuni', geometryType: 'MultiPolygon' }];
  const s = addHitLayers(server, catalog);
  assert.deepEqual(s.layers.map((l) => l.id), ['background', 'comuni-hit', 'comuni-line']);
  assert.equal(s.layers[1].minzoom, 6);
  assert.equal(s.layers[1].paint['fill-opacity'], 0);
  assert.equal(server.layers.length, 2, 'the server style is not changed');
});

test('circles of a polygon layer become fills', () => {
  const s = polygonCircles({ layers: [{ id: 'a-circle', type: 'circle', 'source-layer': 'a', paint: { 'circle-color': '#123456' } }] }, [{ name: 'a', geometryType: 'Polygon' }], '#000');
  assert.equal(s.layers[0].type, 'fill');
  assert.equal(s.layers[0].paint['fill-color'], '#123456');
});

test('the palette\'s paper goes under a style without a background', () => {
  const overlay = { metadata: { 'sit:palette': paletteJSON }, layers: [{ id: 'zoning-fill', type: 'fill' }] };
  const s = withPaper(overlay);
  assert.deepEqual(s.layers.map((l) => l.id), ['background', 'zoning-fill']);
  assert.equal(s.layers[0].paint['background-color'], paletteJSON.colors.background);
  assert.equal(withPaper(server), server, 'a style with a background keeps it');
  assert.equal(withPaper({ layers: [] }).layers.length, 0, 'no palette, no paper');
});
