import { test } from 'node:test';
import assert from 'node:assert/strict';
import { infoFits, rectsOverlap } from '../src/panels.js';

test('on a phone, one sheet at a time', () => {
  assert.equal(infoFits({ stageWidth: 375, sideOpen: true, sideWidth: 375 }), false);
  assert.equal(infoFits({ stageWidth: 375, sideOpen: false, sideWidth: 375 }), true);
});

test('on a wide screen, the info panel goes beside the side panel when there is room', () => {
  assert.equal(infoFits({ stageWidth: 1280, sideOpen: true, sideWidth: 560 }), true);
  assert.equal(infoFits({ stageWidth: 800, sideOpen: true, sideWidth: 560 }), false);
  assert.equal(infoFits({ stageWidth: 800, sideOpen: true, sideWidth: 340 }), true);
  assert.equal(infoFits({ stageWidth: 800, sideOpen: false, sideWidth: 560 }), true);
});

test('overlap of boxes', () => {
  const a = { x: 0, y: 0, width: 100, height: 100 };
  assert.equal(rectsOverlap(a, { x: 100, y: 0, width: 50, height: 50 }), false);
  assert.equal(rectsOverlap(a, { x: 99, y: 99, width: 50, height: 50 }), true);
});
