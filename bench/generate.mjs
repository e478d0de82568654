/**
 * The bench's seeded synthetic corpora, always written under a temporary folder, never into the
 * repository. Two shapes:
 *
 * - `real` (the default of `npm run bench`, bench/corpus.mjs): YAML anchors, aliases and merge keys
 *   in a share of the CloudFormation and serverless templates, Terraform modules of many files,
 *   fewer but larger CDK files, large synthesized JSON templates, Pulumi YAML, and a sparse tree
 *   that is mostly not infrastructure;
 * - `classic` (bench/shapes/classic.mjs): the corpus of the first six bench sessions, which the
 *   tests also draw from (generateDense, cfnYaml, cfnJson, terraform, cdk keep their output).
 *
 *   node bench/generate.mjs [--shape real|classic] [--corpus dense|sparse|both] [--seed N]
 *                           [--scale X] [--anchor-share P] [--tf-module-files N] [--infra-share P]
 *                           [--out DIR]
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REAL_FORMATS, generateRealDense, generateRealSparse } from './corpus.mjs';
import { FORMATS, generateDense, generateSparse } from './shapes/classic.mjs';

export { prng } from './shapes/common.mjs';
export { FORMATS, cdk, cfnJson, cfnYaml, generateDense, generateSparse, terraform } from './shapes/classic.mjs';
export { DENSE_MIX, REAL_FORMATS, SPARSE_MIX, generateRealDense, generateRealSparse } from './corpus.mjs';
export { cfnTemplate, serverlessYml } from './shapes/cfn-yaml.mjs';
export { terraformModule } from './shapes/terraform-module.mjs';

/** The formats (one folder each below dense/) of a shape. */
export const formatsOf = (shape) => (shape === 'classic' ? FORMATS : REAL_FORMATS);

/**
 * Write the corpus of `shape` under root/dense and root/sparse (`corpus`: which of the two).
 * `dense` and `sparse` override the mixes (DENSE_MIX, SPARSE_MIX) of the real shape; the classic
 * shape reads `sparse.files` and `sparse.infraShare` only.
 */
export function generate(root, { shape = 'real', corpus = 'both', seed = 1, scale = 1, dense = {}, sparse = {} } = {}) {
  const out = {};
  if (corpus !== 'sparse') {
    const dir = path.join(root, 'dense');
    out.dense = shape === 'classic' ? generateDense(dir, { seed, scale }) : generateRealDense(dir, { seed, scale, mix: dense });
  }
  if (corpus !== 'dense') {
    const dir = path.join(root, 'sparse');
    out.sparse =
      shape === 'classic'
        ? generateSparse(dir, { seed: seed + 1, total: Math.round((sparse.files ?? 20000) * scale), infraShare: sparse.infraShare ?? 0.05 })
        : generateRealSparse(dir, { seed: seed + 1, scale, mix: sparse });
  }
  return out;
}

/** Files and bytes below `dir`. */
export function sizeOf(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

/** `--name value` from argv, or `fallback`. */
export function argOf(argv, name, fallback) {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : argv[i + 1];
}

/** The mix overrides given on the command line (shared with bench/run.mjs). */
export function mixArgs(argv) {
  const num = (k) => (argOf(argv, k) === undefined ? undefined : Number(argOf(argv, k)));
  const dense = Object.fromEntries(
    Object.entries({ anchorShare: num('--anchor-share'), tfModuleFiles: num('--tf-module-files') }).filter(([, v]) => v !== undefined),
  );
  const sparse = Object.fromEntries(
    Object.entries({ infraShare: num('--infra-share'), files: num('--sparse-files') }).filter(([, v]) => v !== undefined),
  );
  return { dense, sparse };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const argv = process.argv.slice(2);
  const out = argOf(argv, '--out') ?? mkdtempSync(path.join(tmpdir(), 'kmsfix-corpus-'));
  const shape = argOf(argv, '--shape', 'real');
  const corpus = argOf(argv, '--corpus', 'both');
  const made = generate(out, {
    shape,
    corpus,
    seed: Number(argOf(argv, '--seed', '1')),
    scale: Number(argOf(argv, '--scale', '1')),
    ...mixArgs(argv),
  });
  const mb = (b) => (b / 1048576).toFixed(1);
  let report = `${out}\n`;
  if (made.dense) {
    for (const f of formatsOf(shape)) {
      const s = sizeOf(path.join(out, 'dense', f));
      report += `dense/${f}: ${s.files} files, ${mb(s.bytes)} MB\n`;
    }
  }
  if (made.sparse) {
    const s = sizeOf(path.join(out, 'sparse'));
    report += `sparse: ${s.files} files, ${mb(s.bytes)} MB${made.sparse.infra === undefined ? '' : `, ${made.sparse.infra} of them infrastructure`}\n`;
  }
  process.stdout.write(report);
}
