/**
 * The layers of src/ (issue 17) as the imports show them: core (model types, text, edits) and rule
 * (the DynamoDB CMK rule, peers) at the bottom; formats (one folder per family, plus the shared
 * formats/yaml/; formats/serverless/: the Serverless Framework's readers, which the CloudFormation family's
 * serverless.yml and the TypeScript family's serverless.ts share; formats/cfn-values/: a CloudFormation template's
 * values and a table's encryption settings as written, which both of those read; formats/pulumi/: the rules and the stack files of
 * both Pulumi families, Pulumi YAML and Pulumi TypeScript) above them; io (the disk) and engine (the run) above the formats' registry only;
 * report reading a run's result; cli.ts over everything. Each rule says what a file may import.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Exception, type Rule, importsOf, violations } from '../helpers/import-graph.js';
import { ROOT } from '../helpers/fixture-cases.js';

const CORE = /^src\/core\//;
const RULE = /^src\/rule\//;
const IO = /^src\/io\//;
const REGISTRY = /^src\/formats\/index\.ts$/;
const SHARED_YAML = /^src\/formats\/yaml\//;
const SHARED_SERVERLESS = /^src\/formats\/serverless\//;
const SHARED_CFN_VALUES = /^src\/formats\/cfn-values\//;
const SHARED_PULUMI = /^src\/formats\/pulumi\//;
const IO_CACHES = /^src\/io\/(cache|codeCache|packages)\.ts$/;
/** The families that read a Serverless service: serverless.yml (CloudFormation) and serverless.ts (TypeScript). */
const SERVERLESS_READERS = ['cloudformation', 'typescript'];
/** The families that read a Pulumi program: Pulumi YAML and Pulumi TypeScript (the TypeScript family). */
const PULUMI_READERS = ['pulumi-yaml', 'typescript'];

/** The rules, first match wins (a format's own folder is matched per family below). */
const RULES: Rule[] = [
  { name: 'core imports only core and rule', files: CORE, may: [CORE, RULE] },
  { name: 'rule imports only rule and core', files: RULE, may: [RULE, CORE] },
  { name: "the registry imports only the formats' entries", files: REGISTRY, may: [CORE, /^src\/formats\/[^/]+\/entry\.ts$/] },
  { name: 'formats/yaml (shared) imports only itself, core and rule', files: SHARED_YAML, may: [SHARED_YAML, CORE, RULE] },
  {
    name: "formats/serverless (shared) imports only itself, formats/yaml, core, rule (and io's caches): no family",
    files: SHARED_SERVERLESS,
    may: [SHARED_SERVERLESS, SHARED_YAML, CORE, RULE, IO_CACHES],
  },
  {
    name: 'formats/cfn-values (shared) imports only itself, formats/serverless, formats/yaml, core, rule: no family',
    files: SHARED_CFN_VALUES,
    may: [SHARED_CFN_VALUES, SHARED_SERVERLESS, SHARED_YAML, CORE, RULE],
  },
  {
    name: 'formats/pulumi (shared) imports only itself, formats/yaml, core and rule: no family',
    files: SHARED_PULUMI,
    may: [SHARED_PULUMI, SHARED_YAML, CORE, RULE],
  },
  ...['cloudformation', 'pulumi-yaml', 'terraform', 'typescript'].map(
    (f): Rule => ({
      name: `formats/${f} imports only itself, formats/yaml${SERVERLESS_READERS.includes(f) ? ', formats/serverless, formats/cfn-values' : ''}${PULUMI_READERS.includes(f) ? ', formats/pulumi' : ''}, core, rule (and io's caches and package versions)`,
      files: new RegExp(`^src/formats/${f}/`),
      may: [
        new RegExp(`^src/formats/${f}/`),
        SHARED_YAML,
        ...(SERVERLESS_READERS.includes(f) ? [SHARED_SERVERLESS, SHARED_CFN_VALUES] : []),
        ...(PULUMI_READERS.includes(f) ? [SHARED_PULUMI] : []),
        CORE,
        RULE,
        IO_CACHES,
      ],
    }),
  ),
  { name: 'a new format folder is not left unchecked', files: /^src\/formats\//, may: [] },
  { name: "io imports only io, core, rule and the formats' registry", files: IO, may: [IO, CORE, RULE, REGISTRY] },
  {
    name: "engine imports only engine, io, core, rule and the formats' registry",
    files: /^src\/engine\//,
    may: [/^src\/engine\//, IO, CORE, RULE, REGISTRY],
  },
  {
    name: "report imports only report, io, core and rule (a run's result, not the engine)",
    files: /^src\/report\//,
    may: [/^src\/report\//, IO, CORE, RULE],
  },
  { name: 'cli.ts may import anything in src', files: /^src\/cli\.ts$/, may: [/^src\//] },
  { name: "cli/ (the command line's helpers) may import anything in src", files: /^src\/cli\//, may: [/^src\//] },
  { name: 'every file of src is in a known place', files: /^src\//, may: [] },
];

/** Imports that break a rule today, each with the work that removes it (none since session 54: the last, serverless.ts's
 * resources reading CloudFormation's settings reader in cloudformation/detect.ts, went with formats/cfn-values/). */
const KNOWN: Exception[] = [];

const isKnown = (v: { from: string; to: string }) => KNOWN.some((k) => k.from === v.from && k.to === v.to);

describe('import boundaries of src/', () => {
  const imports = importsOf(ROOT, 'src');

  it('reads the imports of every layer (static, dynamic and type imports)', () => {
    expect(imports.length).toBeGreaterThan(200);
    for (const layer of ['core', 'rule', 'formats', 'engine', 'io', 'report']) {
      expect(
        imports.some((i) => i.from.startsWith(`src/${layer}/`)),
        layer,
      ).toBe(true);
    }
    // A lazy `import('./fix.js')` and an `import('../rule/keyPolicy.js').KeyPolicyMode` type count too.
    expect(imports).toContainEqual({ from: 'src/formats/cloudformation/index.ts', to: 'src/formats/cloudformation/fix.ts' });
    expect(imports).toContainEqual({ from: 'src/core/types.ts', to: 'src/rule/keyPolicy.ts' });
  });

  it('every import is allowed by the rules, or is a known exception', () => {
    expect(violations(imports, RULES).filter((v) => !isKnown(v))).toEqual([]);
  });

  it('every known exception still exists (remove it from KNOWN once fixed)', () => {
    const now = violations(imports, RULES);
    expect(KNOWN.filter((k) => !now.some((v) => v.from === k.from && v.to === k.to))).toEqual([]);
  });

  it('report/ imports nothing from engine/: reports read a finished run (core/result.ts)', () => {
    expect(imports.filter((i) => i.from.startsWith('src/report/') && i.to.startsWith('src/engine/'))).toEqual([]);
    expect(imports).toContainEqual({ from: 'src/report/sarif.ts', to: 'src/core/result.ts' });
  });

  it('no family imports another (the last such import, typescript/resources.ts to cloudformation/detect.ts, went in session 54)', () => {
    const family = (f: string) => /^src\/formats\/(cloudformation|pulumi-yaml|terraform|typescript)\//.exec(f)?.[1];
    expect(imports.filter((i) => family(i.from) && family(i.to) && family(i.from) !== family(i.to))).toEqual([]);
    expect(imports).toContainEqual({ from: 'src/formats/typescript/resources.ts', to: 'src/formats/cfn-values/settings.ts' });
  });

  it('Pulumi YAML imports nothing from CloudFormation', () => {
    expect(imports.filter((i) => i.from.startsWith('src/formats/pulumi-yaml/') && i.to.startsWith('src/formats/cloudformation/'))).toEqual(
      [],
    );
  });
});

describe('the checker, on a planted tree', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kmsfix-arch-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const plant = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };

  it('finds a violation of every kind, and none in allowed imports', () => {
    // Allowed.
    plant(
      'src/formats/pulumi-yaml/fix.ts',
      "import { applySettings } from '../yaml/mapEdits.js';\nimport type { Edit } from '../../core/types.js';\n",
    );
    plant('src/engine/run.ts', "import { formatFor } from '../formats/index.js';\nimport { readCandidate } from '../io/read.js';\n");
    plant('src/report/jsonReport.ts', "import type { FileOutcome } from '../core/result.js';\n");
    plant('src/cli.ts', "import { run } from './engine/run.js';\n");
    // Not allowed.
    plant('src/formats/pulumi-yaml/detect.ts', "import { boolOf } from '../cloudformation/detect.js';\n");
    plant('src/formats/yaml/tree.ts', "const fix = await import('../cloudformation/fix.js');\n");
    plant('src/engine/pipeline.ts', "import { parseHcl } from '../formats/terraform/parse.js';\n");
    plant('src/io/read.ts', "import type { RunOptions } from '../engine/run.js';\n");
    plant('src/report/sarif.ts', "let m: typeof import('../engine/pipeline.js') | undefined;\n");
    plant('src/rule/status.ts', "export { x } from '../io/git.js';\n");
    plant('src/core/types.ts', "import type { Format } from '../formats/index.js';\n");
    plant('src/formats/bicep/detect.ts', "import { child } from '../yaml/tree.js';\n");
    plant('src/misc.ts', "import { x } from './core/text.js';\n");
    const found = violations(importsOf(root, 'src'), RULES).map((v) => `${v.from} -> ${v.to}`);
    expect(found.sort()).toEqual(
      [
        'src/core/types.ts -> src/formats/index.ts',
        'src/engine/pipeline.ts -> src/formats/terraform/parse.ts',
        'src/formats/bicep/detect.ts -> src/formats/yaml/tree.ts',
        'src/formats/pulumi-yaml/detect.ts -> src/formats/cloudformation/detect.ts',
        'src/formats/yaml/tree.ts -> src/formats/cloudformation/fix.ts',
        'src/io/read.ts -> src/engine/run.ts',
        'src/misc.ts -> src/core/text.ts',
        'src/report/sarif.ts -> src/engine/pipeline.ts',
        'src/rule/status.ts -> src/io/git.ts',
      ].sort(),
    );
  });

  it('formats/serverless is shared by the Serverless readers only, and imports no family', () => {
    // Allowed.
    plant('src/formats/typescript/resources.ts', "import { serviceKeySetting } from '../serverless/serviceKey.js';\n");
    plant('src/formats/cloudformation/index.ts', "import { readCompose } from '../serverless/compose.js';\n");
    plant(
      'src/formats/serverless/serviceKey.ts',
      "import { child } from '../yaml/tree.js';\nimport type { Setting } from '../../rule/facts.js';\nimport { x } from './variables.js';\n",
    );
    // Not allowed.
    plant('src/formats/serverless/compose.ts', "import { referencedIds } from '../cloudformation/detect.js';\n");
    plant('src/formats/serverless/variables.ts', "import type { TsTable } from '../typescript/detect.js';\n");
    plant('src/formats/terraform/module.ts', "import type { FileRef } from '../serverless/fileValues.js';\n");
    plant('src/formats/pulumi-yaml/stack.ts', "import { serverlessKey } from '../serverless/variables.js';\n");
    const found = violations(importsOf(root, 'src'), RULES)
      .map((v) => `${v.from} -> ${v.to}`)
      .filter((v) => v.includes('serverless'));
    expect(found.sort()).toEqual(
      [
        'src/formats/pulumi-yaml/stack.ts -> src/formats/serverless/variables.ts',
        'src/formats/serverless/compose.ts -> src/formats/cloudformation/detect.ts',
        'src/formats/serverless/variables.ts -> src/formats/typescript/detect.ts',
        'src/formats/terraform/module.ts -> src/formats/serverless/fileValues.ts',
      ].sort(),
    );
  });

  it('formats/pulumi is shared by the Pulumi families only, and imports no family', () => {
    // Allowed.
    plant('src/formats/typescript/keptKeys.ts', "import { keyDeletedWhileKept } from '../pulumi/retention.js';\n");
    plant('src/formats/pulumi-yaml/keptKeys.ts', "import { keyDeletedWhileKept } from '../pulumi/retention.js';\n");
    plant('src/formats/pulumi/retention.ts', "import type { Setting } from '../../rule/facts.js';\nimport { x } from './stacks.js';\n");
    // Allowed: a stack file is YAML, read with formats/yaml's tree.
    plant('src/formats/pulumi/stacks.ts', "import { child } from '../yaml/tree.js';\n");
    // Not allowed.
    plant('src/formats/pulumi/values.ts', "import type { TsTable } from '../typescript/detect.js';\n");
    plant('src/formats/cloudformation/retain.ts', "import type { PulumiKeep } from '../pulumi/retention.js';\n");
    plant('src/formats/terraform/retain.ts', "import { keyDeletedWhileKept } from '../pulumi/retention.js';\n");
    const found = violations(importsOf(root, 'src'), RULES)
      .map((v) => `${v.from} -> ${v.to}`)
      .filter((v) => v.includes('pulumi/'));
    expect(found.sort()).toEqual(
      [
        'src/formats/cloudformation/retain.ts -> src/formats/pulumi/retention.ts',
        'src/formats/pulumi/values.ts -> src/formats/typescript/detect.ts',
        'src/formats/terraform/retain.ts -> src/formats/pulumi/retention.ts',
      ].sort(),
    );
  });
});
