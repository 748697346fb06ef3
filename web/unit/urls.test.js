import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildURL, parseHash, writeHash, hashWith, fileSafe } from '../src/urls.js';

test('API URLs resolve against the base and skip empty parameters', () => {
  const base = 'http://h/proxy/';
  assert.equal(buildURL(base, '/reports/zoning', { parcel: 'E715_003700.125', f: 'pdf', empty: '', none: null }),
    'http://h/proxy/reports/zoning?parcel=E715_003700.125&f=pdf');
  assert.equal(buildURL(base, 'parcels/search', { q: 'via del fosso 12' }), 'http://h/proxy/parcels/search?q=via+del+fosso+12');
});

test('the hash keeps the map view readable and the flags bare', () => {
  const p = parseHash('#map=15/43.84/10.50&divide');
  assert.equal(p.get('map'), '15/43.84/10.50');
  assert.ok(p.has('divide'));
  assert.equal(writeHash(p), '#map=15/43.84/10.50&divide');
  assert.equal(hashWith('#map=15/43.84/10.50', 'parcel', 'E715_003700.125'), '#map=15/43.84/10.50&parcel=E715_003700.125');
  assert.equal(hashWith('#map=15/43.84/10.50&divide', 'divide', null), '#map=15/43.84/10.50');
  assert.equal(hashWith('#divide', 'divide', null), '');
  assert.equal(hashWith('', 'divide', ''), '#divide');
});

test('values that need escaping stay escaped in the hash', () => {
  const h = hashWith('', 'parcel', 'a&b=c');
  assert.equal(parseHash(h).get('parcel'), 'a&b=c');
});

test('a reference becomes a file name', () => {
  assert.equal(fileSafe('E715_003700.125'), 'E715_003700.125');
  assert.equal(fileSafe('37/125 a'), '37_125_a');
});
