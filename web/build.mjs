// Builds the viewer into dist/: one ESM bundle and one stylesheet with
// content-hashed names, MapLibre's worker copied under a hashed name,
// index.html referencing them, and a .gz beside every text asset (the Go
// handler serves those to clients that accept gzip). dist/README.txt is kept:
// it is what `go build` embeds before the first build.
//
//   node build.mjs           production build
//   node build.mjs --dev     unminified, with source maps
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zc } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const assets = join(dist, 'assets');
const dev = process.argv.includes('--dev');

const hash = (buf) => createHash('sha256').update(buf).digest('base64url').replace(/[-_]/g, '').slice(0, 10);

async function clean() {
  await mkdir(assets, { recursive: true });
  for (const name of await readdir(dist)) {
    if (name !== 'README.txt') await rm(join(dist, name), { recursive: true, force: true });
  }
  await mkdir(assets, { recursive: true });
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

async function build() {
  const t0 = performance.now();
  await checkStrings();
  await clean();

  // MapLibre 6 runs its worker as a separate ES module; give it a hashed
  // name and tell the bundle where it is (setWorkerUrl in src/main.js).
  const worker = await readFile(join(here, 'node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs'));
  const workerName = `maplibre-gl-worker-${hash(worker)}.mjs`;
  await writeFile(join(assets, workerName), worker);

  const result = await esbuild.build({
    entryPoints: { app: join(here, 'src/main.js') },
    bundle: true,
    format: 'esm',
    splitting: false,
    minify: !dev,
    sourcemap: dev ? 'linked' : false,
    target: ['chrome111', 'firefox115', 'safari16.4'],
    outdir: assets,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    legalComments: 'eof',
    metafile: true,
    define: { __WORKER_FILE__: JSON.stringify(workerName) },
    loader: { '.svg': 'text' },
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => p.split('/').pop());
  const js = outputs.find((n) => /^app-.*\.js$/.test(n));
  const css = outputs.find((n) => /^app-.*\.css$/.test(n));
  if (!js || !css) throw new Error(`build: expected app-*.js and app-*.css, got ${outputs.join(', ')}`);

  const page = (await readFile(join(here, 'src/index.html'), 'utf8'))
    .replaceAll('{{CSS}}', `assets/${css}`)
    .replaceAll('{{JS}}', `assets/${js}`)
    .replaceAll('{{WORKER}}', `assets/${workerName}`);
  if (/\{\{[A-Z]+\}\}/.test(page)) throw new Error('build: src/index.html has an unknown placeholder');
  await writeFile(join(dist, 'index.html'), page);

  // Precompress: the handler serves these bytes as they are.
  const sizes = [];
  for (const [dir, names] of [[dist, ['index.html']], [assets, await readdir(assets)]]) {
    for (const name of names) {
      if (!/\.(m?js|css|html|svg|json|map)$/.test(name)) continue;
      const body = await readFile(join(dir, name));
      const gz = gzipSync(body, { level: zc.Z_BEST_COMPRESSION });
      if (gz.length < body.length) await writeFile(join(dir, name + '.gz'), gz);
      sizes.push(`${name} ${(body.length / 1024).toFixed(0)} KiB (gzip ${(gz.length / 1024).toFixed(0)} KiB)`);
    }
  }
  console.log(`viewer built in ${(performance.now() - t0).toFixed(0)} ms → dist/\n  ${sizes.join('\n  ')}`);
}

build().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
