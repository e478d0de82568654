/**
 * The CLI as a few ES modules (dist/bundle/), for `bin/kmsfix.js`: loading ~70 small modules
 * one by one cost about 20 ms of every run's start (one-file latency is a target; see the
 * README's Benchmark). Code loaded on demand (a format's fix code, its parsers) stays in its
 * own chunks; packages stay in node_modules. `tsc` still emits dist/src (the
 * worker of a run started from the TypeScript sources, in tests, loads dist/src/engine/worker.js).
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
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
