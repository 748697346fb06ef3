// No function of the viewer is longer than 120 lines (the project's rule):
// every module of src/ is parsed (acorn) and each function measured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as acorn from 'acorn';

const MAX = 120;
const src = new URL('../src/', import.meta.url);

function functions(node, out = []) {
  if (!node || typeof node.type !== 'string') return out;
  if (/Function/.test(node.type)) out.push(node);
  for (const v of Object.values(node)) {
    if (Array.isArray(v)) v.forEach((c) => functions(c, out));
    else if (v && typeof v === 'object' && typeof v.type === 'string') functions(v, out);
  }
  return out;
}

test(`no viewer function is longer than ${MAX} lines`, () => {
  const long = [];
  let counted = 0;
  for (const name of readdirSync(src).filter((n) => n.endsWith('.js'))) {
    const ast = acorn.parse(readFileSync(new URL(name, src), 'utf8'), { ecmaVersion: 'latest', sourceType: 'module', locations: true });
    for (const f of functions(ast)) {
      counted++;
      const lines = f.loc.end.line - f.loc.start.line + 1;
      if (lines > MAX) long.push(`${name}:${f.loc.start.line} ${f.id?.name || '(anonymous)'} ${lines} lines`);
    }
  }
  assert.ok(counted > 100, `only ${counted} functions found`);
  assert.deepEqual(long, []);
});
