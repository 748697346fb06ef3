// Builds the viewer into dist/, which is committed: `go build` and
// `go install github.com/sit-gis/sit/cmd/sit@VERSION` embed it, so a
// binary built without Node.js serves the real viewer. The output must
// therefore be reproducible, byte for byte, from web/src and the locked
// packages (`node build.mjs --check` rebuilds into a temporary directory
// and compares; CI runs it), and dist/build-inputs.sha256 records what it
// was built from (the Go tests of package web check that it is current).
//
// Output: two ES module entries with content-hashed names sharing one chunk
// (MapLibre, pmtiles): app-*.js, the viewer (index.html loads it), and
// page-*.js, the map of the OGC API HTML pages, loaded through the unhashed
// page-map.js (those pages cannot know the hash); their stylesheets; and
// MapLibre's worker under a hashed name. No .gz files: the Go handler
// compresses once (zlib versions differ between Node.js releases, so
// precompressed bytes would not be reproducible).
//
//   node build.mjs           production build into dist/
//   node build.mjs --check   build elsewhere, fail if dist/ differs
//   node build.mjs --dev     unminified, with source maps (not for committing)
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dev = process.argv.includes('--dev');
const check = process.argv.includes('--check');

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const hash = (buf) => createHash('sha256').update(buf).digest('base64url').replace(/[-_]/g, '').slice(0, 10);

async function clean(dist) {
  await mkdir(dist, { recursive: true });
  for (const name of await readdir(dist)) {
    if (name !== 'README.txt') await rm(join(dist, name), { recursive: true, force: true });
  }
  await mkdir(join(dist, 'assets'), { recursive: true });
}

// filesUnder lists the files below dir, sorted, as paths relative to base.
async function filesUnder(dir, base = dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p, base)));
    else out.push(relative(base, p));
  }
  return out.sort();
}

// inputsRecord is what the bundle is built from, one "sha256  path" line
// per file (sha256sum's format), paths relative to web/. The Go test in
// package web recomputes it from the same files.
async function inputsRecord() {
  const files = ['build.mjs', 'package.json', 'package-lock.json', ...(await filesUnder(join(here, 'src'), here))];
  const lines = [];
  for (const f of files.sort()) lines.push(`${sha256(await readFile(join(here, f)))}  ${f}`);
  return lines.join('\n') + '\n';
}

// checkStrings fails the build when the sources use a string key that a
// language lacks, or when the languages have different keys.
async function checkStrings() {
  const { dicts } = await import('./src/i18n.js');
  const [first, ...rest] = Object.keys(dicts);
  const problems = [];
  for (const lang of rest) {
    for (const k of Object.keys(dicts[first])) if (!(k in dicts[lang])) problems.push(`${lang} lacks ${k}`);
    for (const k of Object.keys(dicts[lang])) if (!(k in dicts[first])) problems.push(`${first} lacks ${k}`);
  }
  const src = join(here, 'src');
  for (const name of await readdir(src)) {
    if (!name.endsWith('.js')) continue;
    const text = await readFile(join(src, name), 'utf8');
    for (const m of text.matchAll(/\bt\('([a-zA-Z]+\.[\w.<>=-]+)'/g)) {
      if (!(m[1] in dicts[first])) problems.push(`${name}: unknown string ${m[1]}`);
    }
  }
  if (problems.length) throw new Error(`build: strings:\n  ${problems.join('\n  ')}`);
}

// bundle runs esbuild; it returns the output file names by entry.
async function bundle(assets, workerName) {
  const result = await esbuild.build({
    entryPoints: { app: join(here, 'src/main.js'), page: join(here, 'src/page-map.js') },
    bundle: true,
    format: 'esm',
    splitting: true,
    minify: !dev,
    sourcemap: dev ? 'linked' : false,
    target: ['chrome111', 'firefox115', 'safari16.4'],
    outdir: assets,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    legalComments: 'eof',
    metafile: true,
    define: { __WORKER_FILE__: JSON.stringify(workerName) },
    loader: { '.svg': 'text' },
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => p.split('/').pop());
  const pick = (re) => {
    const name = outputs.find((n) => re.test(n));
    if (!name) throw new Error(`build: no output matches ${re} (got ${outputs.join(', ')})`);
    return name;
  };
  return { appJS: pick(/^app-.*\.js$/), appCSS: pick(/^app-.*\.css$/), pageJS: pick(/^page-.*\.js$/), pageCSS: pick(/^page-.*\.css$/) };
}

// pageLoader is dist/page-map.js: an unhashed module that the HTML pages
// load, which loads the hashed page script and its stylesheet.
function pageLoader(out) {
  return `// The map of SIT's OGC API HTML pages (built by web/build.mjs; do not edit).
const css = document.createElement('link');
css.rel = 'stylesheet';
css.href = new URL('./assets/${out.pageCSS}', import.meta.url).href;
document.head.append(css);
import('./assets/${out.pageJS}');
`;
}

async function build(dist) {
  const t0 = performance.now();
  const assets = join(dist, 'assets');
  await checkStrings();
  await clean(dist);

  // MapLibre 6 runs its worker as a separate ES module; give it a hashed
  // name and tell the bundle where it is (setWorkerUrl in src/main.js).
  const worker = await readFile(join(here, 'node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs'));
  const workerName = `maplibre-gl-worker-${hash(worker)}.mjs`;
  await writeFile(join(assets, workerName), worker);

  const out = await bundle(assets, workerName);
  const page = (await readFile(join(here, 'src/index.html'), 'utf8'))
    .replaceAll('{{CSS}}', `assets/${out.appCSS}`)
    .replaceAll('{{JS}}', `assets/${out.appJS}`)
    .replaceAll('{{WORKER}}', `assets/${workerName}`);
  if (/\{\{[A-Z]+\}\}/.test(page)) throw new Error('build: src/index.html has an unknown placeholder');
  await writeFile(join(dist, 'index.html'), page);
  await writeFile(join(dist, 'page-map.js'), pageLoader(out));
  await writeFile(join(dist, 'build-inputs.sha256'), await inputsRecord());

  const sizes = [];
  for (const f of await filesUnder(dist)) {
    if (f !== 'README.txt') sizes.push(`${f} ${((await readFile(join(dist, f))).length / 1024).toFixed(0)} KiB`);
  }
  console.log(`viewer built in ${(performance.now() - t0).toFixed(0)} ms → ${relative(process.cwd(), dist) || '.'}/\n  ${sizes.join('\n  ')}`);
}

// compare lists the differences between the committed dist/ and a fresh build.
async function compare(committed, fresh) {
  const a = (await filesUnder(committed)).filter((f) => f !== 'README.txt');
  const b = (await filesUnder(fresh)).filter((f) => f !== 'README.txt');
  const diffs = [];
  for (const f of a) if (!b.includes(f)) diffs.push(`dist/${f} is not built from the sources any more`);
  for (const f of b) {
    if (!a.includes(f)) diffs.push(`dist/${f} is missing`);
    else if (!(await readFile(join(committed, f))).equals(await readFile(join(fresh, f)))) diffs.push(`dist/${f} differs from a fresh build`);
  }
  return diffs;
}

async function main() {
  const dist = join(here, 'dist');
  if (!check) return build(dist);
  const tmp = await mkdtemp(join(tmpdir(), 'sit-viewer-'));
  try {
    await build(join(tmp, 'dist'));
    const diffs = await compare(dist, join(tmp, 'dist'));
    if (diffs.length) {
      throw new Error(`build --check: web/dist is not what web/src builds:\n  ${diffs.join('\n  ')}\n` +
        'run (cd web && npm ci && npm run build) and commit web/dist');
    }
    console.log('build --check: web/dist is a reproducible build of web/src');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
