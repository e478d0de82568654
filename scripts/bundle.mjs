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
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
asciiOnly(cli);
sharedNamespaces(cli);
const hash = createHash('sha256').update(readFileSync(cli)).digest('hex').slice(0, 16);
// Its own import() of dist/bundle/cli.js (the fallback) stays: start.cjs is required, not run by vm.Script.
await build({
  ...commonJs,
  entryPoints: ['src/cli/start.ts'],
  outfile: path.join(outdir, 'start.cjs'),
  define: { ...commonJs.define, KMSFIX_CLI_HASH: JSON.stringify(hash) },
});

// The worker threads' code the same way (src/engine/workerStart.ts): worker.cjs run with its cached code by
// worker-start.cjs, which falls back to worker.js's ES modules.
const worker = path.join(outdir, 'worker.cjs');
await build({ ...commonJs, entryPoints: ['src/engine/worker.ts'], outfile: worker, supported: { 'dynamic-import': false } });
asciiOnly(worker);
sharedNamespaces(worker);
const workerHash = createHash('sha256').update(readFileSync(worker)).digest('hex').slice(0, 16);
await build({
  ...commonJs,
  entryPoints: ['src/engine/workerStart.ts'],
  outfile: path.join(outdir, 'worker-start.cjs'),
  define: { ...commonJs.define, KMSFIX_WORKER_HASH: JSON.stringify(workerHash) },
});

/**
 * `file` in ASCII. src/io/codeCache.ts decodes an ASCII file as latin1 into a one-byte string, any
 * other as UTF-8: one em dash in a comment of magic-string's made cli.cjs's 640 KB a two-byte string,
 * twice the memory to touch on every start (about 5 ms a MB on the bench's machine, where a page's
 * first touch costs some 17 us); `--version` 170 -> 163 ms, a one-file CDK scan 239 -> 231 ms
 * (medians of 31 alternating runs). esbuild escapes every other character outside ASCII (its default
 * charset), so only comments can hold one, and there an escape is only text.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

/**
 * esbuild's `__toESM(require("node:path"), 1)`, run for each module's default import of a Node
 * module (50 of them at the CLI's start), copies every export of the module onto a new object as a
 * getter: about 1.5 ms of every run's start. ES modules share one namespace object per module, so
 * the CommonJS file now does too: one copy per module (the getters read the module's exports, live,
 * as before). Left as esbuild wrote it, and `test/cli/startup.test.ts` fails, if the helper changes.
 */
function sharedNamespaces(file) {
  const text = readFileSync(file, 'latin1');
  const helper = 'var __toESM = (mod, isNodeMode, target) => (';
  const after = 'var __toCommonJS = ';
  const at = text.indexOf(after);
  if (text.indexOf(helper) < 0 || at < text.indexOf(helper)) return;
  const memo =
    'var __toESM = ((toESM, made) => (mod, isNodeMode, target) => {\n' +
    '  if (!isNodeMode || target !== void 0 || mod === null || (typeof mod !== "object" && typeof mod !== "function")) return toESM(mod, isNodeMode, target);\n' +
    '  let ns = made.get(mod);\n' +
    '  if (ns === void 0) made.set(mod, (ns = toESM(mod, isNodeMode)));\n' +
    '  return ns;\n' +
    '})(__toESM, new WeakMap()); // scripts/bundle.mjs sharedNamespaces\n';
  writeFileSync(file, text.slice(0, at) + memo + text.slice(at), 'latin1');
}
