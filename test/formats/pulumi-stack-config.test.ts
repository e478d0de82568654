/**
 * A Pulumi table's key from the stack's config (src/formats/pulumi/stacks.ts): what each
 * `Pulumi.<stack>.yaml` sets decides the key on that stack. Left out of session 46 (`config.require` was
 * taken as a customer-managed key whatever the stacks set); the adversarial pass of session 47 (repro 06)
 * found a dev stack whose `requireObject` object had no `kmsKeyArn`: the AWS managed key there.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';
import { run } from '../../src/engine/run.js';
import { tempTree } from '../helpers/cli-helper.js';

const ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const PKG = JSON.stringify({ dependencies: { '@pulumi/aws': '^6.0.0', '@pulumi/pulumi': '^3.100.0' } });
const project = (extra = '') => `name: orders\nruntime: nodejs\n${extra}`;
const stack = (entries: Record<string, string>, extra = '') =>
  `${extra}config:\n  aws:region: eu-west-1\n${Object.entries(entries)
    .map(([k, v]) => `  ${k}: ${v}\n`)
    .join('')}`;

const program = (read: string, head = 'const config = new pulumi.Config();') => `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

${head}

export const orders = new aws.dynamodb.Table("orders", {
  attributes: [{ name: "id", type: "S" }],
  hashKey: "id",
  billingMode: "PAY_PER_REQUEST",
  serverSideEncryption: { enabled: true, kmsKeyArn: ${read} },
});
`;

async function scan(files: Record<string, string>, main = 'infra/index.ts') {
  const all = Object.entries({ 'infra/package.json': PKG, ...files }).map(([path, text]) => ({ path, text }));
  const r = await processMemory(all, 'scan');
  const [t] = r.outcomes.find((o) => o.file.path === main)!.tables;
  return { status: t.status, reason: t.reason, fixable: t.fixable };
}

describe('Pulumi TypeScript: a key read from the stack config', () => {
  const code = program('config.require("tableKey")');

  it('no stack file: the code decides (a require is a key)', async () => {
    expect((await scan({ 'infra/index.ts': code, 'infra/Pulumi.yaml': project() })).status).toBe('customer-managed');
  });

  it('one stack sets the AWS managed key, another a key: unknown, naming the stack', async () => {
    const r = await scan({
      'infra/index.ts': code,
      'infra/Pulumi.yaml': project(),
      'infra/Pulumi.dev.yaml': stack({ 'orders:tableKey': 'alias/aws/dynamodb' }),
      'infra/Pulumi.prod.yaml': stack({ 'orders:tableKey': ARN }),
    });
    expect(r.status).toBe('unknown');
    expect(r.reason).toMatch(/orders:tableKey differs per stack: infra\/Pulumi\.dev\.yaml sets alias\/aws\/dynamodb/);
    expect(r.reason).not.toMatch(/Pulumi\.prod/);
  });

  it('every stack sets the AWS managed key (ARN or alias): aws-managed and fixable; a stack that sets none deploys nothing', async () => {
    const r = await scan({
      'infra/index.ts': code,
      'infra/Pulumi.yaml': project(),
      'infra/Pulumi.dev.yaml': stack({ 'orders:tableKey': 'alias/aws/dynamodb' }),
      'infra/Pulumi.prod.yaml': stack({ 'orders:tableKey': 'arn:aws:kms:eu-west-1:111111111111:alias/aws/dynamodb' }),
      'infra/Pulumi.ci.yaml': stack({}),
    });
    expect(r).toMatchObject({ status: 'aws-managed', fixable: true });
    expect(r.reason).toMatch(/every stack's config orders:tableKey/);
    const files = [
      { path: 'infra/package.json', text: PKG },
      { path: 'infra/index.ts', text: code },
      { path: 'infra/Pulumi.yaml', text: project() },
      { path: 'infra/Pulumi.dev.yaml', text: stack({ 'orders:tableKey': 'alias/aws/dynamodb' }) },
    ];
    const fixed = (await processMemory(files, 'fix')).output.get('infra/index.ts')!;
    expect(fixed).toContain('serverSideEncryption: { enabled: true, kmsKeyArn: ordersKey.arn }');
    expect(fixed).toContain('enableKeyRotation: true');
  });

  it('a key the stacks make AWS managed gets the checks of a table to fix (ignoreChanges, the @pulumi/aws version)', async () => {
    const stacks = { 'infra/Pulumi.yaml': project(), 'infra/Pulumi.dev.yaml': stack({ 'orders:tableKey': 'alias/aws/dynamodb' }) };
    const ignored = code.replace('\n});\n', '\n}, { ignoreChanges: ["serverSideEncryption"] });\n');
    const r = await scan({ 'infra/index.ts': ignored, ...stacks });
    expect(r).toMatchObject({ status: 'aws-managed', fixable: false });
    const old = await processMemory(
      [
        { path: 'infra/package.json', text: JSON.stringify({ dependencies: { '@pulumi/aws': '^5.42.0', '@pulumi/pulumi': '^3.100.0' } }) },
        { path: 'infra/index.ts', text: code },
        ...Object.entries(stacks).map(([path, text]) => ({ path, text })),
      ],
      'scan',
    );
    const [t] = old.outcomes.find((o) => o.file.path === 'infra/index.ts')!.tables;
    expect(t).toMatchObject({ status: 'aws-managed', fixable: false });
    expect(t.blocker).toMatch(/@pulumi\/aws \^5\.42\.0/);
  });

  it('every stack sets a key: customer-managed; a secret counts as set', async () => {
    const r = await scan({
      'infra/index.ts': code,
      'infra/Pulumi.yaml': project(),
      'infra/Pulumi.dev.yaml': stack({ 'orders:tableKey': ARN }),
      'infra/Pulumi.prod.yaml': stack({ 'orders:tableKey': '\n    secure: AAABADc3ZWJk' }),
    });
    expect(r.status).toBe('customer-managed');
  });

  it('the project default decides where a stack sets nothing; a bare key is the project namespace', async () => {
    const r = await scan({
      'infra/index.ts': code,
      'infra/Pulumi.yaml': project('config:\n  tableKey:\n    type: string\n    default: alias/aws/dynamodb\n'),
      'infra/Pulumi.dev.yaml': stack({}),
      'infra/Pulumi.prod.yaml': stack({ tableKey: ARN }),
    });
    expect(r.status).toBe('unknown');
    expect(r.reason).toMatch(/Pulumi\.dev\.yaml sets nothing \(the project's default: alias\/aws\/dynamodb\)/);
  });

  it('a project default declared without `type:` (valid: Pulumi infers it) decides the same (adversarial pass F5)', async () => {
    const r = await scan({
      'infra/index.ts': code,
      'infra/Pulumi.yaml': project('config:\n  orders:tableKey:\n    default: alias/aws/dynamodb\n'),
      'infra/Pulumi.dev.yaml': stack({}),
    });
    expect(r.status).toBe('aws-managed');
    expect(r.reason).toMatch(/Pulumi\.dev\.yaml sets nothing \(the project's default: alias\/aws\/dynamodb\)/);
    const lookup = program(
      'key.arn',
      "const config = new pulumi.Config();\nconst key = aws.kms.getKeyOutput({ keyId: config.require('tableKey') });",
    );
    const looked = await scan({
      'infra/index.ts': lookup,
      'infra/Pulumi.yaml': project('config:\n  orders:tableKey:\n    default: alias/aws/dynamodb\n'),
      'infra/Pulumi.dev.yaml': stack({}),
      'infra/Pulumi.prod.yaml': stack({ 'orders:tableKey': 'alias/orders' }),
    });
    expect(looked.status).toBe('unknown');
  });

  it('a get: every stack sets it, a key; one leaves it out, unknown; none sets it, the AWS managed key (enabled, no key)', async () => {
    const get = program('config.get("tableKey")');
    const base = { 'infra/index.ts': get, 'infra/Pulumi.yaml': project() };
    expect((await scan({ ...base, 'infra/Pulumi.a.yaml': stack({ 'orders:tableKey': ARN }) })).status).toBe('customer-managed');
    const some = await scan({ ...base, 'infra/Pulumi.a.yaml': stack({ 'orders:tableKey': ARN }), 'infra/Pulumi.b.yaml': stack({}) });
    expect(some.status).toBe('unknown');
    expect(some.reason).toMatch(/infra\/Pulumi\.b\.yaml does not set it/);
    const none = await scan({ ...base, 'infra/Pulumi.a.yaml': stack({}) });
    expect(none.status).toBe('aws-managed');
    // Without stack files, a get stays unknown (the code alone).
    expect((await scan(base)).status).toBe('unknown');
  });

  it('a get with a fallback (`??`, `||`) of the AWS managed key (real-world round 32): a stack without the value gets the fallback', async () => {
    const MANAGED = 'arn:aws:kms:eu-west-1:111111111111:alias/aws/dynamodb';
    const withFallback = program(`config.get("tableKey") ?? "${MANAGED}"`);
    // No stack sets it: every stack deploys the fallback, the AWS managed key (fixed, as a get every stack leaves out).
    const none = await scan({ 'infra/index.ts': withFallback, 'infra/Pulumi.yaml': project(), 'infra/Pulumi.prod.yaml': stack({}) });
    expect([none.status, none.fixable]).toEqual(['aws-managed', true]);
    expect(none.reason).toContain(`infra/Pulumi.prod.yaml does not set it (the fallback: "${MANAGED}")`);
    // Every stack sets a key: customer-managed; one does not: unknown, naming it.
    const set = await scan({
      'infra/index.ts': withFallback,
      'infra/Pulumi.yaml': project(),
      'infra/Pulumi.prod.yaml': stack({ 'orders:tableKey': ARN }),
    });
    expect(set.status).toBe('customer-managed');
    const some = await scan({
      'infra/index.ts': withFallback,
      'infra/Pulumi.yaml': project(),
      'infra/Pulumi.prod.yaml': stack({ 'orders:tableKey': ARN }),
      'infra/Pulumi.dev.yaml': stack({}),
    });
    expect(some.status).toBe('unknown');
    expect(some.reason).toMatch(/infra\/Pulumi\.dev\.yaml does not set it \(the fallback/);
    // `||` takes an empty value's fallback too; `??` does not (an empty key: no key).
    const empty = { 'infra/Pulumi.yaml': project(), 'infra/Pulumi.prod.yaml': stack({ 'orders:tableKey': "''" }) };
    const or = await scan({ 'infra/index.ts': program(`config.get("tableKey") || "${MANAGED}"`), ...empty });
    expect(or.status).toBe('aws-managed');
    expect(or.reason).toContain('(the fallback');
    // Through a const; without stack files: the code alone, unknown (the fallback is the AWS managed key where unset).
    const held = program('tableKey', `const config = new pulumi.Config();\nconst tableKey = config.get("tableKey") ?? "${MANAGED}";`);
    expect((await scan({ 'infra/index.ts': held, 'infra/Pulumi.yaml': project(), 'infra/Pulumi.a.yaml': stack({}) })).status).toBe(
      'aws-managed',
    );
    const alone = await scan({ 'infra/index.ts': withFallback, 'infra/Pulumi.yaml': project() });
    expect([alone.status, alone.fixable]).toEqual(['unknown', false]);
    expect(alone.reason).toContain(`the key is the AWS managed key ("${MANAGED}") where config.get("tableKey") is not set`);
  });

  it('a get with a fallback that is a key: customer-managed where no stack sets the value', async () => {
    const r = await scan({
      'infra/index.ts': program(`config.get("tableKey") ?? "${ARN}"`),
      'infra/Pulumi.yaml': project(),
      'infra/Pulumi.prod.yaml': stack({}),
    });
    expect(r.status).toBe('customer-managed');
    // A stack that sets the AWS managed key still gets it.
    const managed = await scan({
      'infra/index.ts': program(`config.get("tableKey") ?? "${ARN}"`),
      'infra/Pulumi.yaml': project(),
      'infra/Pulumi.prod.yaml': stack({ 'orders:tableKey': 'alias/aws/dynamodb' }),
    });
    expect(managed.status).toBe('aws-managed');
    // A require never gives its fallback (a stack without the value fails): the stacks decide, as for a require.
    expect((await scan({ 'infra/index.ts': program(`config.require("tableKey") ?? "alias/aws/dynamodb"`) })).status).toBe(
      'customer-managed',
    );
  });

  it("an ESC environment's value comes before the project's default (adversarial passes, session 47): unknown; `environment: []` imports none", async () => {
    const r = await scan({
      'infra/index.ts': code,
      'infra/Pulumi.yaml': project('config:\n  tableKey:\n    type: string\n    default: alias/aws/dynamodb\n'),
      'infra/Pulumi.dev.yaml': 'environment:\n  - orders/dev\n',
      'infra/Pulumi.prod.yaml': 'environment:\n  - orders/prod\n',
    });
    expect([r.status, r.fixable]).toEqual(['unknown', false]);
    expect(r.reason).toMatch(/Pulumi\.dev\.yaml may set it through an ESC environment/);
    const none = await scan({
      'infra/index.ts': code,
      'infra/Pulumi.yaml': project('config:\n  tableKey:\n    type: string\n    default: alias/aws/dynamodb\n'),
      'infra/Pulumi.dev.yaml': 'environment: []\n',
    });
    expect(none.status).toBe('aws-managed');
  });

  it('an ESC environment may set a value the repository does not show: a get there is unknown', async () => {
    const r = await scan({
      'infra/index.ts': program('config.get("tableKey")'),
      'infra/Pulumi.yaml': project(),
      'infra/Pulumi.a.yaml': stack({ 'orders:tableKey': ARN }),
      'infra/Pulumi.b.yaml': stack({}, 'environment:\n  - orders/prod\n'),
    });
    expect(r.status).toBe('unknown');
  });

  it('requireObject<any>(...).kmsKeyArn through a const: a stack whose object has no such member gets no key (repro 06)', async () => {
    const r = await scan({
      'infra/index.ts': program('db.kmsKeyArn', 'const config = new pulumi.Config();\nconst db = config.requireObject<any>("db");'),
      'infra/Pulumi.yaml': project(),
      'infra/Pulumi.dev.yaml': stack({ 'orders:db': '\n    billing: PAY_PER_REQUEST' }),
      'infra/Pulumi.prod.yaml': stack({ 'orders:db': `\n    kmsKeyArn: ${ARN}` }),
    });
    expect(r.status).toBe('unknown');
    expect(r.reason).toMatch(/orders:db\.kmsKeyArn differs per stack: infra\/Pulumi\.dev\.yaml sets no kmsKeyArn/);
  });

  it("a namespaced Config('kms'), and stacks in the project's stackConfigDir", async () => {
    const r = await scan({
      'infra/index.ts': program('kms.require("dynamo")', 'const kms = new pulumi.Config("kms");'),
      'infra/Pulumi.yaml': project('stackConfigDir: stacks\n'),
      'infra/stacks/Pulumi.dev.yaml': stack({ 'kms:dynamo': 'alias/aws/dynamodb', 'orders:dynamo': ARN }),
    });
    expect(r.status).toBe('aws-managed');
  });

  it('stacks in a stackConfigDir whose key is written with an escape (the project file parsed, not only its own folder listed)', async () => {
    const r = await scan({
      'infra/index.ts': program('kms.require("dynamo")', 'const kms = new pulumi.Config("kms");'),
      'infra/Pulumi.yaml': project('"stackConfig\\x44ir": stacks\n'),
      'infra/stacks/Pulumi.dev.yaml': stack({ 'kms:dynamo': 'alias/aws/dynamodb', 'orders:dynamo': ARN }),
    });
    expect(r.status).toBe('aws-managed');
  });

  it('a config read the code cannot name (a computed name, a namespace from a variable) is left to the code', async () => {
    const r = await scan({
      'infra/index.ts': program('config.require(keyName)', 'const config = new pulumi.Config();\nconst keyName = process.env.KEY!;'),
      'infra/Pulumi.yaml': project(),
      'infra/Pulumi.dev.yaml': stack({ 'orders:tableKey': 'alias/aws/dynamodb' }),
    });
    expect(r.status).toBe('customer-managed');
  });
});

describe('Pulumi YAML: a key written as a config value', () => {
  const yamlProgram = (config: string) => `name: orders
runtime: yaml
${config}resources:
  orders:
    type: aws:dynamodb:Table
    properties:
      attributes:
        - name: id
          type: S
      hashKey: id
      billingMode: PAY_PER_REQUEST
      serverSideEncryption:
        enabled: true
        kmsKeyArn: \${tableKey}
`;
  const withDefault = yamlProgram(`config:\n  tableKey:\n    type: string\n    default: ${ARN}\n`);

  it('the default is a key, a stack sets the AWS managed key: unknown', async () => {
    const r = await scan(
      {
        'infra/Pulumi.yaml': withDefault,
        'infra/Pulumi.dev.yaml': stack({ 'orders:tableKey': 'alias/aws/dynamodb' }),
        'infra/Pulumi.prod.yaml': stack({}),
      },
      'infra/Pulumi.yaml',
    );
    expect(r.status).toBe('unknown');
    expect(r.reason).toMatch(/infra\/Pulumi\.dev\.yaml sets alias\/aws\/dynamodb/);
  });

  it('every stack sets the AWS managed key: aws-managed; the default alone: customer-managed', async () => {
    const managed = await scan(
      { 'infra/Pulumi.yaml': withDefault, 'infra/Pulumi.dev.yaml': stack({ 'orders:tableKey': 'alias/aws/dynamodb' }) },
      'infra/Pulumi.yaml',
    );
    expect(managed.status).toBe('aws-managed');
    expect((await scan({ 'infra/Pulumi.yaml': withDefault }, 'infra/Pulumi.yaml')).status).toBe('customer-managed');
  });

  it('stacks in a stackConfigDir (its key written with an escape too), none beside the program', async () => {
    for (const key of ['stackConfigDir', '"stackConfig\\x44ir"']) {
      const r = await scan(
        {
          'infra/Pulumi.yaml': `${key}: stacks\n${withDefault}`,
          'infra/stacks/Pulumi.dev.yaml': stack({ 'orders:tableKey': 'alias/aws/dynamodb' }),
        },
        'infra/Pulumi.yaml',
      );
      expect(r.status).toBe('aws-managed');
    }
  });

  it('a declaration without a default: a stack that does not set it deploys nothing (adversarial pass of session 47)', async () => {
    const required = yamlProgram('config:\n  tableKey:\n    type: string\n');
    const r = await scan(
      {
        'infra/Pulumi.yaml': required,
        'infra/Pulumi.dev.yaml': stack({ 'orders:tableKey': 'alias/aws/dynamodb' }),
        'infra/Pulumi.ci.yaml': stack({}),
      },
      'infra/Pulumi.yaml',
    );
    expect(r.status).toBe('aws-managed');
  });

  it('a default declared without `type:` gives the value a stack leaves out (adversarial pass F5)', async () => {
    const untyped = yamlProgram('config:\n  tableKey:\n    default: alias/aws/dynamodb\n');
    const r = await scan({ 'infra/Pulumi.yaml': untyped, 'infra/Pulumi.dev.yaml': stack({}) }, 'infra/Pulumi.yaml');
    expect(r.status).toBe('aws-managed');
    const mixed = await scan(
      { 'infra/Pulumi.yaml': untyped, 'infra/Pulumi.dev.yaml': stack({}), 'infra/Pulumi.prod.yaml': stack({ 'orders:tableKey': ARN }) },
      'infra/Pulumi.yaml',
    );
    expect(mixed.status).toBe('unknown');
  });

  it('configuration: (the older name of config:) gives the defaults too (adversarial pass, repro 01)', async () => {
    const older = yamlProgram('configuration:\n  tableKey:\n    type: String\n    default: alias/aws/dynamodb\n');
    const r = await scan({ 'infra/Pulumi.yaml': older, 'infra/Pulumi.dev.yaml': stack({}) }, 'infra/Pulumi.yaml');
    expect(r.status).toBe('aws-managed');
  });

  it('a default of the AWS managed key that every stack replaces with a key: customer-managed (unknown without stack files)', async () => {
    const managedDefault = yamlProgram('config:\n  tableKey:\n    type: string\n    default: alias/aws/dynamodb\n');
    expect((await scan({ 'infra/Pulumi.yaml': managedDefault }, 'infra/Pulumi.yaml')).status).toBe('unknown');
    const r = await scan(
      { 'infra/Pulumi.yaml': managedDefault, 'infra/Pulumi.prod.yaml': stack({ 'orders:tableKey': ARN }) },
      'infra/Pulumi.yaml',
    );
    expect(r.status).toBe('customer-managed');
  });
});

/**
 * A stack or config file kmsfix cannot read (git-crypt's, in a checkout without its key; UTF-16) may set anything:
 * it was left out, and the readable dev file alone made the table aws-managed, fixed (adversarial pass, repro 03).
 */
describe('a stack or config file kmsfix cannot read', () => {
  const GITCRYPT = Buffer.concat([Buffer.from('\u0000GITCRYPT\u0000'), Buffer.from([0x8a, 0x01, 0xff, 0x00, 0x42])]);
  const scanTree = async (files: Record<string, string | Buffer>) => {
    const dir = tempTree('stacks', files);
    const r = await run(['.'], { cwd: dir, mode: 'scan', workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table' });
    return r.outcomes.flatMap((o) => o.tables);
  };

  it('Pulumi: an encrypted Pulumi.prod.yaml: unknown, naming it', async () => {
    const [t] = await scanTree({
      'package.json': PKG,
      'index.ts': program('config.require("tableKey")'),
      'Pulumi.yaml': project(),
      'Pulumi.dev.yaml': stack({ 'orders:tableKey': 'alias/aws/dynamodb' }),
      'Pulumi.prod.yaml': GITCRYPT,
    });
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.reason).toMatch(/kmsfix cannot read Pulumi\.prod\.yaml/);
  });

  it('Serverless: an encrypted stage file of ${file(...)}: unknown', async () => {
    const service = `service: orders\nprovider:\n  name: aws\nresources:\n  Resources:\n    Orders:\n      Type: AWS::DynamoDB::Table\n      Properties:\n        BillingMode: PAY_PER_REQUEST\n        SSESpecification:\n          SSEEnabled: true\n          SSEType: KMS\n          KMSMasterKeyId: \${file(./config/\${sls:stage}.json):kmsKeyArn}\n`;
    const [t] = await scanTree({
      'serverless.yml': service,
      'config/dev.json': '{"kmsKeyArn": "alias/aws/dynamodb"}',
      'config/prod.json': GITCRYPT,
    });
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.reason).toMatch(/config\/prod\.json, which kmsfix does not read/);
  });
});
