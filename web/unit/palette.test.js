import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paletteOf, matchExpr, stepExpr, stepRanges } from '../src/palette.js';
import { palette, paletteJSON } from './helpers.js';

test('colours come from the server palette', () => {
  const zones = paletteJSON.legends.find((l) => l.property === 'zone_class');
  for (const e of zones.entries) assert.equal(palette.colorOf('zone_class', e.value), e.color);
  assert.equal(palette.colorOf('zone_class', 'Z'), zones.other);
  assert.equal(palette.colorOf('speed_band', '>=1000'), paletteJSON.legends.find((l) => l.property === 'speed_band').entries[3].color);
  assert.equal(palette.color('constraint'), paletteJSON.colors.constraint);
  assert.equal(palette.color('nonsense'), paletteJSON.colors.other);
});

test('a style without a palette draws every value as other', () => {
  const p = paletteOf({});
  assert.equal(p.colorOf('zone_class', 'A'), p.other);
  assert.equal(matchExpr(p, 'zone_class'), p.other);
  assert.equal(p.kindRank('zoning'), 0);
});

test('kinds in reading order', () => {
  assert.ok(palette.kindRank('cadastral') < palette.kindRank('zoning'));
  assert.ok(palette.kindRank('zoning') < palette.kindRank('generic'));
  assert.equal(palette.kindRank('unknown'), paletteJSON.kinds.length);
  assert.ok(palette.drawRank('zoning') < palette.drawRank('address'));
});

test('MapLibre expressions from the palette', () => {
  const e = matchExpr(palette, 'area_class');
  assert.deepEqual(e.slice(0, 2), ['match', ['coalesce', ['get', 'area_class'], '']]);
  assert.equal(e[e.indexOf('white') + 1], palette.colorOf('area_class', 'white'));
  assert.equal(e.at(-1), paletteJSON.colors.other);
  const s = stepExpr(palette.ftth.steps, ['get', 'share'], palette.ftth.no_data);
  assert.deepEqual(s.slice(0, 5), ['step', ['get', 'share'], palette.ftth.no_data, 0, palette.ftth.steps[0].color]);
  assert.equal(stepExpr([], 1, '#000'), '#000');
});

test('FTTH classes are named as ranges', () => {
  const r = stepRanges(palette.ftth);
  assert.equal(r.length, 5);
  assert.equal(r[0].label, '0–20%');
  assert.equal(r[4].label, '80–100%');
  assert.equal(r[2].color, palette.ftth.steps[2].color);
});
