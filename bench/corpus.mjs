/**
 * The real-shaped corpus of `npm run bench` (issue 16), seeded and deterministic:
 *
 * - dense: one folder per format, each many repositories' worth of infrastructure code.
 *   yaml/anchors and yaml/plain: hand-written CloudFormation, SAM and serverless.yml, with and
 *   without anchors, aliases and merge keys (`anchorShare` of them with); json: hand-written and
 *   synthesized (large) templates; tf: modules of `tfModuleFiles` .tf files (a fifth of them with
 *   tables) and small modules; cdk: fewer, larger stack files; pulumi: Pulumi YAML programs.
 * - sparse: repositories that are mostly not infrastructure (code, docs, package files, CI,
 *   Kubernetes, OpenAPI), `infraShare` of the files infrastructure of every format, with
 *   node_modules, cdk.out and gitignored dist folders.
 *
 * Counts are multiplied by `scale`. Always written under a folder the caller gives (a temporary one).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cfnJson } from './shapes/classic.mjs';
import { appFiles, skippedFiles } from './shapes/app-tree.mjs';
import { cdkStack } from './shapes/cdk-stack.mjs';
import { cfnJsonSynth } from './shapes/cfn-json.mjs';
import { cfnTemplate, serverlessYml } from './shapes/cfn-yaml.mjs';
import { WORDS, prng } from './shapes/common.mjs';
import { pulumiYaml } from './shapes/pulumi-yaml.mjs';
import { terraformModule } from './shapes/terraform-module.mjs';

export const REAL_FORMATS = ['yaml', 'json', 'tf', 'cdk', 'pulumi'];

/** The dense corpus's mix at scale 1 (every count is multiplied by the scale). */
export const DENSE_MIX = {
  /** CloudFormation YAML files: templates, serverless.yml and SAM templates. */
  yaml: 1200,
  /** Share of the YAML files with anchors, aliases and merge keys (yaml/anchors; the rest in yaml/plain). */
  anchorShare: 0.5,
  serverlessShare: 0.3,
  samShare: 0.15,
  crlfShare: 0.05,
  /** CloudFormation JSON files, `jsonSynthShare` of them large synthesized templates. */
  json: 600,
  jsonSynthShare: 0.15,
  /** Terraform: modules of `tfModuleFiles` files, and small modules of 4 to 8 files. */
  tfModules: 30,
  tfModuleFiles: 50,
  tfSmallModules: 80,
  /** CDK stack files (15 to 40 KB each). */
  cdk: 150,
  /** Pulumi YAML programs. */
  pulumi: 100,
};

export const SPARSE_MIX = {
  /** Files in the tree (the skipped folders included). */
  files: 20000,
  /** Share of the files that are infrastructure code. */
  infraShare: 0.04,
};

const write = (file, text) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};
const repo = (i) => `repo${String(i % 40).padStart(2, '0')}`;
const hasAnchor = (text) => /(^|[\s:])&\w/m.test(text);

/** A YAML file of the dense corpus: { rel: path below the repository, text }. */
function yamlFile(r, i, mix, anchors) {
  const crlf = r.chance(mix.crlfShare);
  for (;;) {
    const k = r.next();
    let rel;
    let text;
    if (k < mix.serverlessShare) {
      rel = `services/${r.pick(WORDS)}-${i}/serverless.yml`;
      text = serverlessYml(r, { anchors });
    } else if (k < mix.serverlessShare + mix.samShare) {
      rel = `apps/${r.pick(WORDS)}-${i}/template.yaml`;
      text = cfnTemplate(r, { anchors, crlf, sam: true });
    } else {
      rel = `${r.pick(['infra', 'cloudformation', 'stacks', 'templates'])}/${r.pick(WORDS)}-${i}.${r.pick(['yaml', 'yml'])}`;
      text = cfnTemplate(r, { anchors, crlf });
    }
    // A template "with anchors" that drew none is drawn again.
    if (!anchors || hasAnchor(text)) return { rel, text };
  }
}

/** Write a module's files into `dir`; returns how many. */
function writeModule(dir, files) {
  for (const [name, text] of Object.entries(files)) write(path.join(dir, name), text);
  return Object.keys(files).length;
}

/**
 * The dense corpus under `root`: root/<format>/... for each of REAL_FORMATS. Returns the files
 * written per format (and per YAML kind: yamlAnchors, yamlPlain).
 */
export function generateRealDense(root, { seed = 1, scale = 1, mix = {} } = {}) {
  const m = { ...DENSE_MIX, ...mix };
  const r = prng(seed);
  const n = (k) => Math.max(1, Math.round(m[k] * scale));
  const counts = { yaml: 0, yamlAnchors: 0, yamlPlain: 0, json: 0, tf: 0, tfModules: 0, cdk: 0, pulumi: 0 };
  for (let i = 0; i < n('yaml'); i++) {
    const anchors = r.chance(m.anchorShare);
    const { rel, text } = yamlFile(r, i, m, anchors);
    write(path.join(root, 'yaml', anchors ? 'anchors' : 'plain', repo(i), rel), text);
    counts.yaml++;
    counts[anchors ? 'yamlAnchors' : 'yamlPlain']++;
  }
  for (let i = 0; i < n('json'); i++) {
    const synth = r.chance(m.jsonSynthShare);
    const rel = synth ? `cfn/${r.pick(WORDS)}-stack-${i}.template.json` : `templates/${r.pick(WORDS)}-${i}.template.json`;
    write(path.join(root, 'json', repo(i), rel), synth ? cfnJsonSynth(r) : cfnJson(r));
    counts.json++;
  }
  for (let i = 0; i < n('tfModules'); i++) {
    counts.tf += writeModule(
      path.join(root, 'tf', repo(i), 'modules', `${r.pick(WORDS)}-${i}`),
      terraformModule(r, { files: m.tfModuleFiles }),
    );
    counts.tfModules++;
  }
  for (let i = 0; i < n('tfSmallModules'); i++) {
    const files = r.int(6, 8);
    counts.tf += writeModule(
      path.join(root, 'tf', repo(i), r.pick(['envs', 'stacks', 'terraform']), `${r.pick(WORDS)}-${i}`),
      terraformModule(r, { files, tableFiles: r.int(1, 2) }),
    );
    counts.tfModules++;
  }
  for (let i = 0; i < n('cdk'); i++) {
    write(path.join(root, 'cdk', repo(i), 'lib', `${r.pick(WORDS)}-${i}-stack.ts`), cdkStack(r));
    counts.cdk++;
  }
  for (let i = 0; i < n('pulumi'); i++) {
    write(path.join(root, 'pulumi', repo(i), `${r.pick(WORDS)}-${i}`, 'Pulumi.yaml'), pulumiYaml(r));
    counts.pulumi++;
  }
  return counts;
}

/** The formats of the sparse tree's repositories that have infrastructure, in turn. */
const SPARSE_INFRA = ['yaml', 'tf', 'cdk', 'json', 'yaml', 'tf', 'pulumi'];

/** One repository's infrastructure for the sparse tree, about `k` files of format `fmt`. */
function repoInfra(r, fmt, k) {
  const out = {};
  if (fmt === 'tf')
    Object.assign(
      out,
      Object.fromEntries(
        Object.entries(terraformModule(r, { files: Math.max(6, k), tableFiles: Math.max(1, Math.round(k / 5)) })).map(([f, t]) => [
          `terraform/${f}`,
          t,
        ]),
      ),
    );
  else if (fmt === 'cdk') {
    for (let i = 0; i < Math.min(k, 8); i++) out[`lib/${r.pick(WORDS)}-${i}-stack.ts`] = cdkStack(r);
    out['cdk.json'] = JSON.stringify({ app: 'npx ts-node bin/app.ts' }) + '\n';
  } else if (fmt === 'pulumi') out['infra/Pulumi.yaml'] = pulumiYaml(r);
  else if (fmt === 'json')
    for (let i = 0; i < Math.min(k, 30); i++)
      out[`infra/${r.pick(WORDS)}-${i}.template.json`] = r.chance(0.3) ? cfnJsonSynth(r) : cfnJson(r);
  else {
    out['serverless.yml'] = serverlessYml(r, { anchors: r.chance(0.5) });
    for (let i = 1; i < Math.min(k, 30); i++) out[`infra/${r.pick(WORDS)}-${i}.yaml`] = cfnTemplate(r, { anchors: r.chance(0.5) });
  }
  return { fmt, files: out };
}

/** The sparse tree under `root`: repositories of mostly application code. Returns { files, infra }. */
export function generateRealSparse(root, { seed = 2, scale = 1, mix = {} } = {}) {
  const m = { ...SPARSE_MIX, ...mix };
  const r = prng(seed);
  const target = Math.round(m.files * scale);
  let files = 0;
  let infra = 0;
  let withInfra = 0;
  for (let i = 0; files < target; i++) {
    const name = `${r.pick(WORDS)}-${r.pick(['api', 'web', 'worker', 'shared', 'tools'])}-${i}`;
    const size = Math.min(target - files, r.int(60, 400));
    // Infrastructure files in about infraShare of all files, grouped in some repositories.
    const k = r.chance(Math.min(1, m.infraShare * 5)) ? Math.max(1, Math.round(size * m.infraShare * 10 * r.next())) : 0;
    const out = {};
    if (k) {
      const x = repoInfra(r, SPARSE_INFRA[withInfra++ % SPARSE_INFRA.length], k);
      Object.assign(out, x.files);
      infra += Object.keys(x.files).filter((f) => !f.endsWith('cdk.json')).length;
      if (x.fmt === 'cdk') Object.assign(out, skippedFiles(r, { cdk: true }));
    }
    if (r.chance(0.3)) Object.assign(out, skippedFiles(r));
    Object.assign(out, appFiles(r, name, Math.max(10, size - Object.keys(out).length)));
    const dir = path.join(root, r.pick(['services', 'packages', 'apps', 'libs']), name);
    for (const [rel, text] of Object.entries(out)) write(path.join(dir, rel), text);
    files += Object.keys(out).length;
  }
  return { files, infra };
}
