import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValue, zoneRows, parcelRows, chipColor, groupFeatures, attrRows } from '../src/info-data.js';
import { palette, it } from './helpers.js';

test('attribute values are formatted by meaning', () => {
  assert.equal(formatValue(it, 'speed_band', '>=1000'), '≥ 1 Gbit/s');
  assert.equal(formatValue(it, 'area_m2', 3858.567), '3.858,57 m²');
  assert.equal(formatValue(it, 'pro_com', 46017), '46017', 'codes keep their digits');
  assert.equal(formatValue(it, 'x', 2.25), '2,3');
  assert.equal(formatValue(it, 'x', true), 'sì');
  assert.equal(formatValue(it, 'x', ''), '–');
});

test('hidden and structured attributes are left out', () => {
  assert.deepEqual(attrRows({ fid: 1, geom: 'x', nome: 'Lucca', obj: { a: 1 }, vuoto: '', comune_name: 'Lucca' }), [['nome', 'Lucca']]);
});

test('the zoning report\'s rows: zones, border effects, constraints', () => {
  const doc = { parcels: [{
    zoning: [{ zone_code: 'E3', zone_class: 'E', description: 'agricola', area_m2: 100, pct: 99.9 }],
    zoning_border_effects: [{ zone_code: 'B1', zone_class: 'B', area_m2: 0.1, pct: 0.1 }],
    constraints: [{ zone_code: '136', zone_class: 'paesaggistico', area_m2: 100, pct: 100 }],
    constraints_border_effects: [],
  }] };
  const rows = zoneRows(doc);
  assert.deepEqual(rows.map((r) => [r.kind, r.code, r.sliver]), [['zone', 'E3', false], ['zone', 'B1', true], ['constraint', '136', false]]);
  assert.deepEqual(zoneRows({}), []);
});

test('the parcel card names the comune, formats the area, adds other attributes', () => {
  const p = { foglio: '37', particella: '125', ref: 'E715_003700.125', comune: 'E715', comune_name: 'Lucca', area_m2: 3858.567, sezione: '',
    attributes: { comune: 'E715', foglio: '37', tipo: 'particella', qualita: 'seminativo' } };
  const rows = parcelRows(it, p, { label: 'VIA DEL FOSSO 12' }, { qualita: 'Qualità' });
  const by = Object.fromEntries(rows.map(([k, , v]) => [k, v]));
  assert.equal(by.comune, 'Lucca (E715)');
  assert.equal(by.area, '3.858,57 m²');
  assert.equal(by.address, 'VIA DEL FOSSO 12');
  assert.equal(by.qualita, 'seminativo');
  assert.ok(!('sezione' in by), 'empty rows are left out');
  assert.equal(rows.find(([k]) => k === 'qualita')[1], 'Qualità');
  assert.equal(parcelRows(it, { comune: 'E715' }, null).find(([k]) => k === 'comune')[2], 'E715');
});

test('chips take the palette\'s colours', () => {
  assert.equal(chipColor(palette, 'zoning', { zone_class: 'E', zone_code: 'E1' }).color, palette.colorOf('zone_class', 'E'));
  assert.deepEqual(chipColor(palette, 'constraint', {}), { color: palette.color('constraint'), type: 'line', dashed: true });
  assert.equal(chipColor(palette, 'broadband', { speed_band: '<30' }).color, palette.colorOf('speed_band', '<30'));
  assert.equal(chipColor(palette, 'address', { area_class: 'grey' }).color, palette.colorOf('area_class', 'grey'));
  assert.equal(chipColor(palette, 'generic', { nome: 'x' }), null);
});

test('features under a click, grouped: on a parcel, its zones apart, the others by kind', () => {
  const byName = {
    parcels: { kind: 'cadastral' }, fogli: { kind: 'cadastral' },
    zoning: { kind: 'zoning' }, vincoli: { kind: 'constraint' }, civici: { kind: 'address' }, aree: { kind: 'boundary' },
  };
  const f = (layer, id) => ({ sourceLayer: layer, id, properties: { id } });
  const feats = [f('aree', 1), f('civici', 2), f('zoning', 3), f('fogli', 4), f('parcels', 5), f('parcels', 5), f('vincoli', 6)];
  const g = groupFeatures(feats, byName, palette);
  assert.equal(g.onParcel, true);
  assert.deepEqual(g.zoneFeats.map((x) => x.id), [3, 6]);
  assert.deepEqual(g.others.map(([n]) => n), ['fogli', 'parcels', 'aree', 'civici']);
  assert.equal(g.groups.get('parcels').length, 1);
  const off = groupFeatures([f('zoning', 3), f('aree', 1)], byName, palette);
  assert.equal(off.onParcel, false);
  assert.deepEqual(off.others.map(([n]) => n), ['zoning', 'aree']);
});
