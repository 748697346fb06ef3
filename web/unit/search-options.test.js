import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parcelOption, suggestionOption, nextActive } from '../src/search-options.js';
import { it } from './helpers.js';

test('a parcel option shows its reference and area', () => {
  const o = parcelOption(it, { label: 'Foglio 37 particella 125', ref: 'E715_003700.125', area_m2: 1234.5 });
  assert.deepEqual(o, { kind: 'parcel', label: 'Foglio 37 particella 125', sub: 'E715_003700.125 · 1.234,50 m²' });
  assert.equal(parcelOption(it, { foglio: '3', particella: '7' }).label, 'Foglio 3 – Particella 7');
});

test('an address suggestion keeps its point and its parcel', () => {
  const o = suggestionOption(it, { kind: 'address', label: 'VIA FILLUNGO 12', ref: 'E715_003700.125', point: [10.5, 43.8], q: 'VIA FILLUNGO 12' });
  assert.equal(o.kind, 'address');
  assert.equal(o.sub, 'Indirizzo · E715_003700.125');
  assert.deepEqual(o.address, { label: 'VIA FILLUNGO 12', point: [10.5, 43.8] });
  const p = suggestionOption(it, { kind: 'parcel', label: '37/125', ref: 'E715_003700.125' });
  assert.equal(p.address, null);
  assert.equal(p.query, '37/125');
});

test('arrows wrap around, Home and End jump', () => {
  assert.equal(nextActive('ArrowDown', -1, 3), 0);
  assert.equal(nextActive('ArrowDown', 2, 3), 0);
  assert.equal(nextActive('ArrowUp', 0, 3), 2);
  assert.equal(nextActive('End', 0, 3), 2);
  assert.equal(nextActive('Home', 2, 3), 0);
  assert.equal(nextActive('ArrowDown', 0, 0), null);
  assert.equal(nextActive('a', 0, 3), null);
});
