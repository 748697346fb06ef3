// What the browser checks (basemap.test.mjs, viewer.test.mjs) share: a run
// of named steps, each recorded with its outcome and time; a failing step
// saves a full-page screenshot in the artifacts directory; the errors the
// page logs are collected with the step they happened in (run.current).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// check throws msg unless cond holds: a step's assertion.
export function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

// harness makes the run of the check called name against the server at
// base; artifacts and shots are directories (shots optional: every
// screenshot taken with shot is saved there too).
export function harness({ name, base, artifacts, shots }) {
  const run = { results: [], errors: [], current: 'start' };

  // api reads a JSON document of the server; anything but 2xx fails the step.
  run.api = async (path) => {
    const res = await fetch(base + path);
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };

  run.shot = async (page, shotName) => {
    const png = await page.screenshot();
    if (shots) {
      mkdirSync(shots, { recursive: true });
      writeFileSync(join(shots, `${shotName}.png`), png);
    }
    return png;
  };

  run.step = async (page, stepName, fn) => {
    run.current = stepName;
    const t0 = Date.now();
    try {
      await fn();
      run.results.push({ name: stepName, ok: true, ms: Date.now() - t0 });
      console.error(`${name}: ok: ${stepName} (${Date.now() - t0} ms)`);
    } catch (err) {
      run.results.push({ name: stepName, ok: false, ms: Date.now() - t0, err: err.message });
      console.error(`${name}: FAIL: ${stepName}: ${err.message}`);
      try {
        mkdirSync(artifacts, { recursive: true });
        writeFileSync(join(artifacts, `${stepName.replace(/\W+/g, '-')}.png`), await page.screenshot({ fullPage: true }));
      } catch (e) {
        console.error(`${name}: no screenshot: ${e.message}`);
      }
    }
  };
  return run;
}
