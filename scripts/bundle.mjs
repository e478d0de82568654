/**
 * The CLI as a few ES modules (dist/bundle/), for `bin/kmsfix.js`: loading ~70 small modules
 * one by one cost about 20 ms of every run's start (one-file latency is a target; see the
 * README's Benchmark). Code loaded on demand (a format's fix code, its parsers) stays in its
 * own chunks; packages stay in node_modules. `tsc` still emits dist/src (the
 * worker of a run started from the TypeScript sources, in tests, loads dist/src/engine/worker.js).
 *
 * Then the same CLI as one CommonJS file, dist/bundle/cli.cjs, and the start that runs it with V8's
 * cached code, dist/bundle/start.cjs (src/cli/start.ts; the ES modules stay for the worker threads and
 * as the fallback). vm.Script, which runs it, has no `import()` of ES modules on every Node 20: the
 * ES-only packages (magic-string) are bundled in, every other `import()` becomes require() (the
 * CommonJS packages stay in node_modules), and `import.meta.url` is the file's own URL.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts', 'src/engine/worker.ts'],
  // cli.js and worker.js side by side: the pool finds its worker script beside its own chunk.
  entryNames: '[name]',
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

/** Packages that are ES modules only: bundled into the CommonJS files. */
const ES_ONLY = ['magic-string'];
const { dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const commonJs = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: Object.keys(dependencies).filter((name) => !ES_ONLY.includes(name)),
  define: { 'import.meta.url': '__kmsfixMetaUrl' },
  banner: { js: 'var __kmsfixMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
};
// Beside worker.js, which the pool finds beside the file it runs from.
const cli = path.join(outdir, 'cli.cjs');
await build({ ...commonJs, entryPoints: ['src/cli.ts'], outfile: cli, supported: { 'dynamic-import': false } });
const hash = createHash('sha256').update(readFileSync(cli)).digest('hex').slice(0, 16);
// Its own import() of dist/bundle/cli.js (the fallback) stays: start.cjs is required, not run by vm.Script.
await build({
  ...commonJs,
  entryPoints: ['src/cli/start.ts'],
  outfile: path.join(outdir, 'start.cjs'),
  define: { ...commonJs.define, KMSFIX_CLI_HASH: JSON.stringify(hash) },
});
