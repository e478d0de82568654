/**
 * End to end for AWS CDK: the fixed stacks (expected outputs of the CDK fixtures) are compiled,
 * synthesized by the real aws-cdk-lib, and the templates CDK writes are scanned by the real CLI:
 * every table must come out customer-managed, with a rotating key whose policy is kmsfix's.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { ALIAS_PREFIX, SHARED_ALIAS_SUFFIX, keyPolicy } from '../../../src/rule/keyPolicy.js';
import { runCli } from '../../helpers/cli-helper.js';
import { expectedVerdicts, verdicts } from '../../helpers/kms-policy-eval.js';
import { cfnKeyPolicies } from '../../helpers/kms-policy-extract.js';
import { FIXTURES, ROOT } from '../../helpers/fixture-cases.js';

/** CDK fixtures whose every table ends up customer-managed (no blocked, unknown or suppressed table). */
const CASES = [
  'cdk-table-namespace',
  'cdk-table-named',
  'cdk-table-root-named',
  'cdk-root-namespace',
  'cdk-tablev2',
  'cdk-four-spaces-double-quotes',
  'cdk-crlf',
  'cdk-shared-key',
  'cdk-kms-key-arn',
  'cdk-dynamic-ids',
  'cdk-key-policy-iam',
  'cdk-core-imports',
  'cdk-import-style',
  'cdk-import-quotes',
  'cdk-repeated-id',
  'cdk-props-const',
  'cdk-props-spread',
  'cdk-props-shared',
  'cdk-alias-computed-name',
  // A helper method called twice: the imported key's id per call (a fixed one stopped synth).
  'cdk-kms-key-arn-per-call',
  'cdk-table-returned',
  'cdk-table-pushed',
  // A helper called twice: its calls' props read, one key per call.
  'cdk-helper-props',
  // key: deny_direct_grants: the Deny of grants outside AWS services (iam.Effect.DENY, AnyPrincipal, BoolIfExists).
  'cdk-deny-direct-grants',
];

/** Exported Stack classes per fixture (one stack each), when not one. */
const STACKS: Record<string, number> = { 'cdk-repeated-id': 2 };

/** Fixtures fixed with --key-policy iam (options.json); the others have the default, drop-in. */
const IAM_POLICY = ['cdk-key-policy-iam'];
/** The key policy mode of a synthesized template (stage templates drop the dashes of the stack name). */
const modeOf = (template: string) =>
  IAM_POLICY.some((c) => template.replace(/[^a-z0-9]/gi, '').includes(c.replace(/-/g, ''))) ? 'iam' : 'drop-in';
/** Fixtures fixed with `key: deny_direct_grants: true` (options.json). */
const DENY_GRANTS = ['cdk-deny-direct-grants'];
const denyOf = (template: string) => DENY_GRANTS.some((c) => template.replace(/[^a-z0-9]/gi, '').includes(c.replace(/-/g, '')));

/** Fixtures with TableV2: CDK cannot render their replica key in a Region-agnostic stack. */
const REGION_BOUND = ['cdk-tablev2', 'cdk-shared-key', 'cdk-kms-key-arn'];

interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string }>;
}

describe('AWS CDK: fixed stacks synthesize, and their templates scan customer-managed', () => {
  let outdir: string;
  let templates: string[];

  beforeAll(() => {
    const work = mkdtempSync(path.join(tmpdir(), 'kmsfix-synth-'));
    outdir = path.join(work, 'cdk.out');
    const modules: string[] = [];
    for (const c of CASES) {
      const source = readFileSync(path.join(FIXTURES, 'typescript', c, 'expected.ts'), 'utf8');
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      writeFileSync(path.join(work, `${c}.cjs`), js);
      modules.push(c);
    }
    // One app, one stack per exported Stack class of each fixture.
    const app = `
const cdk = require('aws-cdk-lib');
const app = new cdk.App({ outdir: ${JSON.stringify(outdir)} });
// TableEncryptionV2.customerManagedKey needs a stack with a known Region (a CDK rule): the stacks get one
// through a Stage; the Table and CfnTable fixtures are also synthesized Region-agnostic, at the top.
const stage = new cdk.Stage(app, 'Env', { env: { account: '111122223333', region: 'us-east-1' } });
for (const name of ${JSON.stringify(modules)}) {
  const mod = require('./' + name + '.cjs');
  for (const [cls, Stack] of Object.entries(mod)) {
    if (typeof Stack !== 'function' || !(Stack.prototype instanceof cdk.Stack)) continue;
    new Stack(stage, name + '-' + cls);
    if (!${JSON.stringify(REGION_BOUND)}.includes(name)) new Stack(app, name + '-' + cls);
  }
}
app.synth();
`;
    writeFileSync(path.join(work, 'app.cjs'), app);
    const r = spawnSync(process.execPath, ['app.cjs'], {
      cwd: work,
      env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`synth failed (${r.status}): ${r.stderr}`);
    templates = [
      ...readdirSync(outdir).filter((f) => f.endsWith('.template.json')),
      ...readdirSync(path.join(outdir, 'assembly-Env'))
        .filter((f) => f.endsWith('.template.json'))
        .map((f) => `assembly-Env/${f}`),
    ];
  }, 180_000);

  const stacks = (c: string) => STACKS[c] ?? 1;

  it('synthesizes one template per fixed stack', () => {
    const n = CASES.reduce((sum, c) => sum + stacks(c) * (REGION_BOUND.includes(c) ? 1 : 2), 0);
    expect(templates.length).toBe(n);
  });

  it('kmsfix scan on the synthesized templates: every table customer-managed, exit 0', async () => {
    const r = await runCli(['scan', '--format', 'json', ...templates], outdir);
    const out = JSON.parse(r.stdout) as { tables: { file: string; address: string; type: string; status: string }[]; errors: unknown[] };
    expect(out.errors).toEqual([]);
    // 1 + 1 + 1 + 1 + 3 + 1 + 1 + 3 + 3 + 3 + 1 + 1 + 1 + 1 + 2 + 1 + 2 + 8 + 2 + 2 + 1 + 2 + 2 + 2 tables in the fixtures above; the 37 outside REGION_BOUND twice.
    expect(out.tables.length).toBe(46 + 37);
    for (const t of out.tables) expect(`${t.file} ${t.address} ${t.status}`).toBe(`${t.file} ${t.address} customer-managed`);
    expect(r.code).toBe(0);
  }, 60_000);

  it('every generated key policy, as synthesized, gives each caller the answer of its mode (kms-policy-eval.ts)', () => {
    let judged = 0;
    for (const f of templates) {
      const mode = modeOf(f);
      for (const k of cfnKeyPolicies(readFileSync(path.join(outdir, f), 'utf8'))) {
        judged++;
        expect({ key: `${f} ${k.key}`, verdicts: k.policy ? verdicts(k.policy, k.region) : k.problem }).toEqual({
          key: `${f} ${k.key}`,
          verdicts: expectedVerdicts(mode, denyOf(f)),
        });
      }
    }
    expect(judged).toBeGreaterThan(templates.length);
  });

  it('every generated key rotates, keeps kmsfix policy statements, and follows the table removal policy', () => {
    let keys = 0;
    for (const f of templates) {
      const sids = keyPolicy(modeOf(f), denyOf(f)).map((s) => s.sid);
      const t = JSON.parse(readFileSync(path.join(outdir, f), 'utf8')) as Template;
      for (const [id, r] of Object.entries(t.Resources)) {
        if (r.Type !== 'AWS::KMS::Key') continue;
        keys++;
        expect(r.Properties?.EnableKeyRotation, id).toBe(true);
        const statements = (r.Properties!.KeyPolicy as { Statement: { Sid?: string; Action: unknown; Principal: unknown }[] }).Statement;
        for (const sid of sids)
          expect(
            statements.map((s) => s.Sid),
            id,
          ).toContain(sid);
        // The account root keeps full access: no lock-out (given a policy, kms.Key adds none of its own).
        expect(
          statements.some((s) => s.Action === 'kms:*'),
          id,
        ).toBe(true);
      }
    }
    expect(keys).toBeGreaterThan(0);
    const scratch = JSON.parse(readFileSync(path.join(outdir, templates.find((f) => f.includes('cdk-core-imports'))!), 'utf8')) as Template;
    expect(Object.values(scratch.Resources).find((r) => r.Type === 'AWS::KMS::Key')!.DeletionPolicy).toBe('Delete'); // RemovalPolicy from aws-cdk-lib/core
    const named = JSON.parse(readFileSync(path.join(outdir, templates.find((f) => f.includes('cdk-table-named'))!), 'utf8')) as Template;
    const key = Object.values(named.Resources).find((r) => r.Type === 'AWS::KMS::Key')!;
    expect(key.DeletionPolicy).toBe('Delete'); // the table is RemovalPolicy.DESTROY
    const ns = JSON.parse(readFileSync(path.join(outdir, templates.find((f) => f.includes('cdk-table-namespace'))!), 'utf8')) as Template;
    expect(Object.values(ns.Resources).find((r) => r.Type === 'AWS::KMS::Key')!.DeletionPolicy).toBe('Retain');
  });

  it('every generated key has one alias, alias/dynamodb/<its table name> (-shared for a shared key)', () => {
    let aliases = 0;
    for (const f of templates) {
      const t = JSON.parse(readFileSync(path.join(outdir, f), 'utf8')) as Template;
      const keys = Object.keys(t.Resources).filter((id) => t.Resources[id].Type === 'AWS::KMS::Key');
      for (const key of keys) {
        const mine = Object.values(t.Resources).filter(
          (r) =>
            r.Type === 'AWS::KMS::Alias' && JSON.stringify(r.Properties?.TargetKeyId) === JSON.stringify({ 'Fn::GetAtt': [key, 'Arn'] }),
        );
        // A table nothing names (`this.tables.push(new Table(...))`): its key has no alias, and its report says so.
        if (f.replace(/[^a-z0-9]/gi, '').includes('cdktablepushed') && key.startsWith('OrdersKey')) {
          expect(mine.length, `${f} ${key}`).toBe(0);
          continue;
        }
        expect(mine.length, `${f} ${key}`).toBe(1);
        aliases++;
        // { Fn::Join: ['', ['alias/dynamodb/', { Ref: <table> }, ('-shared')]] }; a table name the file
        // computes (it may hold a `.`) as { Fn::Join: ['-', { Fn::Split: ['.', { Ref: <table> }] }] }.
        const [, parts] = (mine[0].Properties!.AliasName as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
        expect(parts[0], `${f} ${key}`).toBe(ALIAS_PREFIX);
        const name = parts[1] as { Ref: string } | { 'Fn::Join': ['-', { 'Fn::Split': ['.', { Ref: string }] }] };
        const table = 'Ref' in name ? name.Ref : name['Fn::Join'][1]['Fn::Split'][1].Ref;
        if (f.includes('aliascomputedname') && !('Ref' in name)) {
          // The alias CloudFormation creates for the table's name (`dev.eu.entries`): its dots written `-`.
          const tableName = t.Resources[table].Properties!.TableName as string;
          expect(`${ALIAS_PREFIX}${tableName.split('.').join('-')}`).toBe('alias/dynamodb/dev-eu-entries');
        }
        if (f.includes('aliascomputedname'))
          expect('Ref' in name, `${f} ${key}: a computed name is split at its dots`).toBe(table.startsWith('Audit'));
        expect(t.Resources[table]?.Type, `${f} ${key}`).toMatch(/^AWS::DynamoDB::(Table|GlobalTable)$/);
        expect(JSON.stringify(t.Resources[table].Properties), `${f}: the aliased table uses the key`).toContain(key);
        const shared = f.replace(/[^a-z0-9]/gi, '').includes('cdksharedkey');
        expect(parts.slice(2), `${f} ${key}`).toEqual(shared ? [SHARED_ALIAS_SUFFIX] : []);
      }
    }
    expect(aliases).toBeGreaterThan(templates.length);
  });
});

/**
 * TableV2 in a Region-agnostic stack: CDK refuses a customer-managed key there, so kmsfix reports the
 * table not fixable (blocker) when the file shows the stack is created without a Region under an App,
 * and fixes the TableV2s whose stacks have a Region.
 */
describe('AWS CDK: TableV2 in a Region-agnostic stack', () => {
  const FIXTURE = path.join(FIXTURES, 'typescript', 'cdk-tablev2-region-agnostic');

  function synthApp(source: string, env: Record<string, string> = {}): { status: number | null; stderr: string; outdir: string } {
    const work = mkdtempSync(path.join(tmpdir(), 'kmsfix-synth-region-'));
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    writeFileSync(path.join(work, 'app.cjs'), js);
    const outdir = path.join(work, 'cdk.out');
    const r = spawnSync(process.execPath, ['app.cjs'], {
      cwd: work,
      env: {
        ...process.env,
        NODE_PATH: path.join(ROOT, 'node_modules'),
        JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1',
        CDK_OUTDIR: outdir,
        ...env,
      },
      encoding: 'utf8',
    });
    return { status: r.status, stderr: r.stderr, outdir };
  }

  it('the blocker is real: a customer-managed key on that TableV2 does not synthesize (CDK error)', () => {
    const naive = readFileSync(path.join(FIXTURE, 'input.ts'), 'utf8')
      .replace(
        "import { AttributeType, Table, TableV2 } from 'aws-cdk-lib/aws-dynamodb';",
        "import { AttributeType, Table, TableV2, TableEncryptionV2 } from 'aws-cdk-lib/aws-dynamodb';\nimport { Key } from 'aws-cdk-lib/aws-kms';",
      )
      .replace(
        "new TableV2(agnostic, 'Events', { partitionKey: { name: 'pk', type: AttributeType.STRING } });",
        "new TableV2(agnostic, 'Events', { partitionKey: { name: 'pk', type: AttributeType.STRING }, encryption: TableEncryptionV2.customerManagedKey(new Key(agnostic, 'K')) });",
      );
    expect(naive).toContain('customerManagedKey(new Key(agnostic');
    const r = synthApp(naive, { EVENTS_REGION: 'us-east-1' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Replica SSE specification cannot be rendered in a region agnostic stack');
  }, 120_000);

  it('kmsfix reports it not fixable, with the reason, and fixes the others', async () => {
    const r = await processMemory([{ path: 'app.ts', text: readFileSync(path.join(FIXTURE, 'input.ts'), 'utf8') }], 'scan');
    const t = Object.fromEntries(r.outcomes[0].tables.map((x) => [x.address, x]));
    expect(t.Events.fixable).toBe(false);
    expect(t.Events.blocker).toMatch(/Region-agnostic.*env: \{ region/);
    for (const a of ['Audit', 'Stream', 'Orders']) expect(t[a].fixable, a).toBe(true);
  });

  it('the fixed app synthesizes; its fixed tables scan customer-managed, the blocked one is untouched', async () => {
    // The Unknown stack takes its Region from EVENTS_REGION: kmsfix cannot see it in the file and fixes its table.
    const r = synthApp(readFileSync(path.join(FIXTURE, 'expected.ts'), 'utf8'), { EVENTS_REGION: 'us-east-1' });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    const files = readdirSync(r.outdir).filter((f) => f.endsWith('.template.json'));
    const scan = await runCli(['scan', '--format', 'json', ...files], r.outdir);
    const out = JSON.parse(scan.stdout) as { tables: { file: string; address: string; status: string }[] };
    expect(out.tables.map((x) => `${x.file} ${x.status}`).sort()).toEqual([
      'Agnostic.template.json aws-owned',
      'Agnostic.template.json customer-managed',
      'Regional.template.json customer-managed',
      'Unknown.template.json customer-managed',
    ]);
  }, 120_000);

  /** A cdk init-like project (`folder`: cdk.json, bin/, lib/), compiled where it is and run from its `app` entry. */
  function synthProject(folder: string, edit: (file: string, text: string) => string = (_, t) => t, env: Record<string, string> = {}) {
    const work = mkdtempSync(path.join(tmpdir(), 'kmsfix-synth-project-'));
    const entry = (JSON.parse(readFileSync(path.join(folder, 'cdk.json'), 'utf8')) as { app: string }).app.split(' ').pop()!;
    for (const dir of ['bin', 'lib'])
      for (const name of readdirSync(path.join(folder, dir))) {
        const source = edit(`${dir}/${name}`, readFileSync(path.join(folder, dir, name), 'utf8'));
        const js = ts.transpileModule(source, {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        }).outputText;
        mkdirSync(path.join(work, dir), { recursive: true });
        writeFileSync(path.join(work, dir, name.replace(/\.ts$/, '.js')), js);
      }
    const outdir = path.join(work, 'cdk.out');
    const r = spawnSync(process.execPath, [entry.replace(/\.ts$/, '.js')], {
      cwd: work,
      env: {
        ...process.env,
        NODE_PATH: path.join(ROOT, 'node_modules'),
        JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1',
        CDK_OUTDIR: outdir,
        ...env,
      },
      encoding: 'utf8',
    });
    return { status: r.status, stderr: r.stderr, outdir };
  }

  // cdk init's layout: the stack class in lib/, created in bin/ (cdk.json's app) with its env commented out.
  const PROJECT = path.join(FIXTURES, 'typescript', 'cdk-tablev2-app-entry');

  it('cdk init layout: the blocker is real (a customer-managed key on the TableV2 does not synthesize from bin/)', () => {
    const r = synthProject(path.join(PROJECT, 'expected', 'agnostic'), (file, text) =>
      file === 'lib/agnostic-stack.ts'
        ? text.replace(
            "new dynamodb.TableV2(this, 'Events', {",
            "new dynamodb.TableV2(this, 'Events', {\n      encryption: dynamodb.TableEncryptionV2.customerManagedKey(new kms.Key(this, 'EventsKey')),",
          )
        : text,
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Replica SSE specification cannot be rendered in a region agnostic stack');
  }, 120_000);

  it('cdk init layout: the fixed projects synthesize from their entries; the Table and the TableV2 with a Region scan customer-managed', async () => {
    const tables: string[] = [];
    for (const [name, env] of [
      ['agnostic', {}],
      ['regional', { CDK_DEFAULT_REGION: 'eu-west-1', CDK_DEFAULT_ACCOUNT: '111122223333' }],
    ] as const) {
      const r = synthProject(path.join(PROJECT, 'expected', name), undefined, env);
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.status).toBe(0);
      const files = readdirSync(r.outdir).filter((f) => f.endsWith('.template.json'));
      const scan = await runCli(['scan', '--format', 'json', ...files], r.outdir);
      tables.push(
        ...(JSON.parse(scan.stdout) as { tables: { file: string; status: string }[] }).tables.map((x) => `${x.file} ${x.status}`),
      );
    }
    expect(tables.sort()).toEqual([
      'AgnosticStack.template.json aws-owned',
      'AgnosticStack.template.json customer-managed',
      'RegionalStack.template.json customer-managed',
    ]);
  }, 120_000);

  // An Amplify Gen2 backend creates its App and stacks without an env: every stack is Region-agnostic.
  const AMPLIFY = `import { defineBackend } from '@aws-amplify/backend';
import { Stack } from 'aws-cdk-lib';
import { AttributeType, Table, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { data } from './data/resource';

const backend = defineBackend({ data });
const stack = backend.createStack('db');
new TableV2(stack, 'Items', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
new TableV2(Stack.of(backend.data), 'Beside', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
new Table(stack, 'Orders', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
`;

  it('Amplify Gen2: a TableV2 in a backend stack is not fixable (the Amplify step); a Table there is fixed, and synthesizes', async () => {
    const r = await processMemory([{ path: 'amplify/backend.ts', text: AMPLIFY }], 'fix');
    const t = Object.fromEntries(r.outcomes[0].tables.map((x) => [x.address, x]));
    for (const a of ['Items', 'Beside']) {
      expect(t[a].fixable, a).toBe(false);
      expect(t[a].blocker, a).toMatch(/^its stack is a stack of an Amplify Gen2 backend, which Amplify creates without a Region/);
    }
    expect(t.Orders.fixed).toBe(true);
    // The fixed backend, with Amplify's App and stacks stood in for (no env, as Amplify makes them).
    const fixed = r.output
      .get('amplify/backend.ts')!
      .replace("import { defineBackend } from '@aws-amplify/backend';\n", '')
      .replace("import { data } from './data/resource';\n", '')
      .replace(
        'const backend = defineBackend({ data });',
        "const app = new (require('aws-cdk-lib').App)();\nconst backend = { createStack: (n: string) => new Stack(app, n), data: new Stack(app, 'data') };",
      )
      .concat('app.synth();\n');
    const synth = synthApp(fixed);
    expect(synth.stderr).not.toMatch(/Error/);
    expect(synth.status).toBe(0);
    const db = JSON.parse(readFileSync(path.join(synth.outdir, 'db.template.json'), 'utf8')) as Template;
    const orders = Object.values(db.Resources).find(
      (x) => x.Type === 'AWS::DynamoDB::Table' && JSON.stringify(x.Properties).includes('KMSMasterKeyId'),
    );
    expect(orders, 'the fixed Table uses its key').toBeDefined();
  }, 120_000);
});
