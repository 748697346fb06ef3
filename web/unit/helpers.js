// Shared fixtures of the viewer's unit tests: the server's palette (kept
// equal to domain.ThePalette() by a Go test) and the Italian and English
// string tables.
import { readFileSync } from 'node:fs';
import { makeI18n } from '../src/i18n.js';
import { paletteOf } from '../src/palette.js';

export const paletteJSON = JSON.parse(readFileSync(new URL('./palette.json', import.meta.url), 'utf8'));
export const palette = paletteOf({ metadata: { 'sit:palette': paletteJSON } });
export const it = makeI18n('it');
export const en = makeI18n('en');
