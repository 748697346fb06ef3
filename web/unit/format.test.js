import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFormat, comuneLabel } from '../src/format.js';

const it = makeFormat('it');
const en = makeFormat('en');

test('counts are grouped from four digits, in Italian and English', () => {
  assert.equal(it.num(1979), '1.979');
  assert.equal(it.num(10760), '10.760');
  assert.equal(it.num(999), '999');
  assert.equal(it.num(461446), '461.446');
  assert.equal(en.num(1979), '1,979');
  assert.equal(it.num(null), '–');
  assert.equal(it.num(Number.NaN), '–');
});

test('areas have two decimals, as the zoning report', () => {
  assert.equal(it.area(3858.567), '3.858,57 m²');
  assert.equal(it.area(3859), '3.859,00 m²');
  assert.equal(it.area(12.5), '12,50 m²');
  assert.equal(en.area(3858.567), '3,858.57 m²');
  assert.equal(it.area(undefined), '–');
});

test('shares have one decimal, whole or not', () => {
  assert.equal(it.pct(0.68), '68,0%');
  assert.equal(it.pct(0.954), '95,4%');
  assert.equal(it.percent100(75), '75,0%');
  assert.equal(it.percent100(null), '–');
  assert.equal(en.pct(0.5), '50.0%');
});

test('changes in percentage points carry their sign', () => {
  assert.equal(it.pp(1.234), '+1,2');
  assert.equal(it.pp(-0.44), '−0,4');
  assert.equal(it.pp(0.01), '±0,0');
  assert.equal(it.pp(null), '–');
});

test('dates are local to the language', () => {
  assert.match(it.date('2025-06-30'), /30 giu 2025/);
  assert.match(en.date('2025-06-30'), /30 Jun 2025/);
  assert.equal(it.date(''), '–');
});

test('a comune is named with its Belfiore code', () => {
  assert.equal(comuneLabel('Lucca', 'E715'), 'Lucca (E715)');
  assert.equal(comuneLabel('', 'E715'), 'E715');
  assert.equal(comuneLabel(undefined, undefined), '');
});
