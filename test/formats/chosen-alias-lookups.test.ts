/**
 * A key looked up by an alias that a context or config value chooses (round 36): CDK's `Key.fromLookup(this, 'K',
 * { aliasName: this.node.tryGetContext('tableKeyAlias') })` and `Alias.fromAliasName(..., tryGetContext(...))`,
 * Pulumi's `aws.kms.getAliasOutput({ name: config.require('keyAlias') }).targetKeyArn`, Pulumi YAML's
 * `fn::invoke: { function: aws:kms:getAlias, arguments: { name: ${keyAlias} } }` were customer-managed, though the
 * value (cdk.json's context, the config default) was alias/aws/dynamodb. The name reads as the value reads: the
 * stacks' values judged each (all the AWS managed key's alias: aws-managed; some: unknown; none: a key of the
 * account), a value kmsfix does not read: unknown, naming the lookup and the value. A literal or a prop: as before.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';
import { detectTypeScript } from '../../src/formats/typescript/detect.js';
import { statusOf } from '../../src/rule/evaluate.js';

async function scan(files: Record<string, string>, main: string) {
  const r = await processMemory(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    'scan',
  );
  return r.outcomes.find((o) => o.file.path === main)!.tables.map((t) => [t.address, t.status, t.reason]);
}

const cdk = (key: string, v2 = false) => `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class S extends Stack {
  constructor(scope: Construct, id: string, props: { keyAlias: string }) {
    super(scope, id);
    new dynamodb.${v2 ? 'TableV2' : 'Table'}(this, 'T', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      ${v2 ? `encryption: dynamodb.TableEncryptionV2.customerManagedKey(${key}),` : `encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,\n      encryptionKey: ${key},`}
    });
  }
}
`;

const CDK_JSON = (context: string) => `{ "app": "npx ts-node bin/app.ts", "context": { ${context} } }`;

describe('CDK: a lookup of an alias the context chooses', () => {
  it.each([
    ["kms.Key.fromLookup(this, 'K', { aliasName: this.node.tryGetContext('tableKeyAlias') })", false],
    ["kms.Alias.fromAliasName(this, 'A', this.node.tryGetContext('tableKeyAlias'))", false],
    ["kms.Alias.fromAliasName(this, 'A', this.node.tryGetContext('tableKeyAlias'))", true],
  ])("%s (TableV2: %s): cdk.json's value decides; without one, unknown naming the lookup and the value", async (key, v2) => {
    const managed = await scan({ 'lib/s.ts': cdk(key, v2), 'cdk.json': CDK_JSON('"tableKeyAlias": "alias/aws/dynamodb"') }, 'lib/s.ts');
    expect(managed[0][1]).toBe('aws-managed');
    if (!v2) expect(managed[0][2]).toContain("cdk.json's context sets tableKeyAlias to alias/aws/dynamodb");
    const own = await scan({ 'lib/s.ts': cdk(key, v2), 'cdk.json': CDK_JSON('"tableKeyAlias": "alias/orders"') }, 'lib/s.ts');
    expect(own[0][1]).toBe('customer-managed');
    const unset = await scan({ 'lib/s.ts': cdk(key, v2), 'cdk.json': CDK_JSON('"other": "x"') }, 'lib/s.ts');
    expect(unset[0][1]).toBe('unknown');
    expect(unset[0][2]).toContain("which cdk.json's context does not set");
    const [[, status, reason]] = await scan({ 'lib/s.ts': cdk(key, v2) }, 'lib/s.ts');
    expect(status).toBe('unknown');
    expect(reason).toContain('looked up by an alias name the CDK context value tableKeyAlias chooses');
    expect(reason).toContain(key.slice(0, 20));
  });

  it('a const holding the context value, and process.env: the same; a prop or a literal alias: as before', async () => {
    const viaConst = cdk("kms.Alias.fromAliasName(this, 'A', alias)").replace(
      '    new dynamodb',
      "    const alias = this.node.tryGetContext('a') ?? 'alias/orders';\n    new dynamodb",
    );
    expect((await scan({ 'lib/s.ts': viaConst }, 'lib/s.ts'))[0][1]).toBe('unknown');
    const env = await scan({ 'lib/s.ts': cdk("kms.Alias.fromAliasName(this, 'A', process.env.KEY_ALIAS!)") }, 'lib/s.ts');
    expect(env[0][2]).toContain('the environment variable KEY_ALIAS');
    expect((await scan({ 'lib/s.ts': cdk("kms.Alias.fromAliasName(this, 'A', props.keyAlias)") }, 'lib/s.ts'))[0][1]).toBe(
      'customer-managed',
    );
    expect((await scan({ 'lib/s.ts': cdk("kms.Alias.fromAliasName(this, 'A', 'alias/orders')") }, 'lib/s.ts'))[0][1]).toBe(
      'customer-managed',
    );
    expect((await scan({ 'lib/s.ts': cdk("kms.Alias.fromAliasName(this, 'A', 'alias/aws/dynamodb')") }, 'lib/s.ts'))[0][1]).toBe(
      'aws-managed',
    );
  });
});

describe('CDK: the context a lookup needs goes in and out of detection as arguments (projectValues.ts), never held by the file', () => {
  const text = cdk("kms.Alias.fromAliasName(this, 'A', this.node.tryGetContext('tableKeyAlias'))");
  const file = { path: 'lib/s.ts', absPath: '/p/lib/s.ts', text };
  const cdkContext = { paths: ['cdk.json'], values: { tableKeyAlias: { value: 'alias/aws/dynamodb', path: 'cdk.json' } } };

  it('a detection without the context wants it; one given it wants nothing; each reads only the values it was given', () => {
    const first = detectTypeScript(file);
    expect(first.wants).toEqual(['cdkContext']);
    expect(statusOf(first.tables[0])).toBe('unknown');
    const second = detectTypeScript(file, { cdkContext });
    expect(second.wants).toBeUndefined();
    expect(statusOf(second.tables[0])).toBe('aws-managed');
    // A third, without values again: the second's context is not kept anywhere.
    const third = detectTypeScript(file);
    expect(third.wants).toEqual(['cdkContext']);
    expect(statusOf(third.tables[0])).toBe('unknown');
  });

  it('a key no value decides wants nothing', () => {
    expect(detectTypeScript({ ...file, text: cdk("kms.Alias.fromAliasName(this, 'A', 'alias/orders')") }).wants).toBeUndefined();
  });
});

describe("CDK: cdk.context.json beside cdk.json, in the CDK CLI's order (cdk.json's context first)", () => {
  const key = "kms.Alias.fromAliasName(this, 'A', this.node.tryGetContext('tableKeyAlias'))";
  const files = (json: string, contextJson?: string) => ({
    'lib/s.ts': cdk(key),
    'cdk.json': CDK_JSON(json),
    ...(contextJson === undefined ? {} : { 'cdk.context.json': contextJson }),
  });

  it('a value cdk.context.json alone sets decides, named with its file', async () => {
    const [[, status, reason]] = await scan(files('"other": "x"', '{ "tableKeyAlias": "alias/aws/dynamodb" }'), 'lib/s.ts');
    expect(status).toBe('aws-managed');
    expect(reason).toContain("cdk.context.json's context sets tableKeyAlias to alias/aws/dynamodb");
    const own = await scan(files('"other": "x"', '{ "tableKeyAlias": "alias/orders" }'), 'lib/s.ts');
    expect(own[0][1]).toBe('customer-managed');
  });

  it("cdk.json's value (any value) wins over cdk.context.json's; neither: unknown, naming both files", async () => {
    const json = await scan(files('"tableKeyAlias": "alias/orders"', '{ "tableKeyAlias": "alias/aws/dynamodb" }'), 'lib/s.ts');
    expect(json[0][1]).toBe('customer-managed');
    const managed = await scan(files('"tableKeyAlias": "alias/aws/dynamodb"', '{ "tableKeyAlias": "alias/orders" }'), 'lib/s.ts');
    expect(managed[0][1]).toBe('aws-managed');
    expect(managed[0][2]).toContain("cdk.json's context sets tableKeyAlias");
    const shadowed = await scan(
      files('"tableKeyAlias": { "dev": "alias/orders" }', '{ "tableKeyAlias": "alias/aws/dynamodb" }'),
      'lib/s.ts',
    );
    expect(shadowed[0][1]).toBe('unknown');
    const [[, status, reason]] = await scan(files('"other": "x"', '{ "more": "y" }'), 'lib/s.ts');
    expect(status).toBe('unknown');
    expect(reason).toContain("which cdk.json's and cdk.context.json's context does not set");
    expect((await scan(files('"other": "x"', 'not json'), 'lib/s.ts'))[0][2]).toContain("which cdk.json's context does not set");
  });
});

describe('CDK: a context value per environment, an object (adversarial pass F6)', () => {
  const CONTEXT =
    '"keys": { "dev": "alias/aws/dynamodb", "prod": "alias/orders" }, "dev": { "tableKeyAlias": "alias/aws/dynamodb" }, "prod": { "other": "x" }';
  const withStage = (key: string, stage = "this.node.tryGetContext('stage') ?? 'dev'") =>
    cdk(key).replace(
      '    new dynamodb',
      `    const stage = ${stage};\n    const envConfig = this.node.tryGetContext(stage);\n    new dynamodb`,
    );
  const scanWith = (key: string, context = CONTEXT, stage?: string) =>
    scan({ 'lib/s.ts': withStage(key, stage), 'cdk.json': CDK_JSON(context) }, 'lib/s.ts');

  it("envConfig.tableKeyAlias of tryGetContext(stage): every environment's value read; all the AWS managed key: aws-managed", async () => {
    const [[, status, reason]] = await scanWith("kms.Key.fromLookup(this, 'K', { aliasName: envConfig.tableKeyAlias })");
    expect(status).toBe('aws-managed');
    expect(reason).toContain("cdk.json's context sets dev.tableKeyAlias to alias/aws/dynamodb");
    const direct = await scanWith("kms.Alias.fromAliasName(this, 'A', this.node.tryGetContext(stage).tableKeyAlias)");
    expect(direct[0][1]).toBe('aws-managed');
    const destructured = await scan(
      {
        'lib/s.ts': withStage("kms.Key.fromLookup(this, 'K', { aliasName: tableKeyAlias })").replace(
          '    new dynamodb',
          '    const { tableKeyAlias } = envConfig;\n    new dynamodb',
        ),
        'cdk.json': CDK_JSON('"dev": { "tableKeyAlias": "alias/aws/dynamodb" }, "prod": { "tableKeyAlias": "alias/orders" }'),
      },
      'lib/s.ts',
    );
    expect(destructured[0][1]).toBe('unknown');
    expect(destructured[0][2]).toContain('the AWS managed key where the context picks dev.tableKeyAlias');
    const own = await scanWith(
      "kms.Key.fromLookup(this, 'K', { aliasName: envConfig.tableKeyAlias })",
      '"dev": { "tableKeyAlias": "alias/orders" }',
    );
    expect(own[0][1]).toBe('customer-managed');
    const unset = await scanWith("kms.Key.fromLookup(this, 'K', { aliasName: envConfig.tableKeyAlias })", '"other": "x"');
    expect(unset[0][1]).toBe('unknown');
    expect(unset[0][2]).toContain('the CDK context value tryGetContext(stage).tableKeyAlias');
  });

  it("tryGetContext('keys')[stage]: the AWS managed key on one environment only: unknown, naming it; a known stage: its value", async () => {
    const [[, status, reason]] = await scanWith("kms.Key.fromLookup(this, 'K', { aliasName: this.node.tryGetContext('keys')[stage] })");
    expect(status).toBe('unknown');
    expect(reason).toContain(
      "the AWS managed key where the context picks keys.dev (cdk.json's context sets keys.dev to alias/aws/dynamodb)",
    );
    const dev = await scanWith("kms.Key.fromLookup(this, 'K', { aliasName: this.node.tryGetContext('keys')[stage] })", CONTEXT, "'dev'");
    expect(dev[0][1]).toBe('aws-managed');
    const prod = await scanWith("kms.Key.fromLookup(this, 'K', { aliasName: this.node.tryGetContext('keys')[stage] })", CONTEXT, "'prod'");
    expect(prod[0][1]).toBe('customer-managed');
    const arn = await scanWith("kms.Key.fromKeyArn(this, 'K', this.node.tryGetContext('keys')[stage])");
    expect(arn[0][1]).toBe('unknown');
  });

  // Adversarial pass s61 F6: `const cfg = this.node.tryGetContext(stage) ?? {}` then `cfg.keyArn` was a key of the
  // account where the same read without `?? {}` was the AWS managed key cdk.json names. An empty object where the context
  // sets none leaves each member unset, as the context does: read as the value itself.
  it.each(['??', '||'])(
    'tryGetContext(stage) %s {}: read as the context value itself; without it, and a key of the account, as before',
    async (op) => {
      const ARN_CONTEXT = '"dev": { "keyArn": "arn:aws:kms:us-east-1:111122223333:alias/aws/dynamodb" }';
      const withDefault = (fallback: string) =>
        scan(
          {
            'lib/s.ts': withStage("kms.Key.fromKeyArn(this, 'K', cfg.keyArn)", "'dev'").replace(
              '    new dynamodb',
              `    const cfg = this.node.tryGetContext(stage) ${op} ${fallback};\n    new dynamodb`,
            ),
            'cdk.json': CDK_JSON(ARN_CONTEXT),
          },
          'lib/s.ts',
        );
      const [[, status, reason]] = await withDefault('{}');
      expect(status).toBe('aws-managed');
      expect(reason).toContain("cdk.json's context sets dev.keyArn to arn:aws:kms:us-east-1:111122223333:alias/aws/dynamodb");
      const alias = await scan(
        {
          'lib/s.ts': withStage("kms.Key.fromLookup(this, 'K', { aliasName: cfg.tableKeyAlias })").replace(
            '    new dynamodb',
            `    const cfg = this.node.tryGetContext(stage) ${op} {};\n    new dynamodb`,
          ),
          'cdk.json': CDK_JSON(CONTEXT),
        },
        'lib/s.ts',
      );
      expect(alias[0][1]).toBe('aws-managed');
      // The ordinary form keeps its status: without the fallback, and a key ARN of the account in the context.
      const plain = await scanWith("kms.Key.fromKeyArn(this, 'K', envConfig.keyArn)", ARN_CONTEXT, "'dev'");
      expect(plain[0][1]).toBe('aws-managed');
      const own = await scan(
        {
          'lib/s.ts': withStage("kms.Key.fromKeyArn(this, 'K', cfg.keyArn)", "'dev'").replace(
            '    new dynamodb',
            `    const cfg = this.node.tryGetContext(stage) ${op} {};\n    new dynamodb`,
          ),
          'cdk.json': CDK_JSON('"dev": { "keyArn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }'),
        },
        'lib/s.ts',
      );
      expect(own[0][1]).toBe('customer-managed');
    },
  );

  // Adversarial pass s56 F7: `${envConfig.tableKeyAlias}` was read as a literal alias (customer-managed) where the same
  // value without the backticks is unknown. A template of one value names what that value does; one around it, the
  // name it makes of the value.
  it('a template of the context value: `${value}` is the value; `alias/${value}` the name it makes; a tail no alias ends in, a key of the account', async () => {
    const CONTEXT2 =
      '"dev": { "tableKeyAlias": "alias/aws/dynamodb", "keyName": "aws/dynamodb" }, "prod": { "tableKeyAlias": "alias/orders", "keyName": "orders" }';
    const sole = await scanWith("kms.Key.fromLookup(this, 'K', { aliasName: `${envConfig.tableKeyAlias}` })", CONTEXT2);
    expect(sole[0][1]).toBe('unknown');
    expect(sole[0][2]).toContain('the AWS managed key where the context picks dev.tableKeyAlias');
    const viaConst = await scan(
      {
        'lib/s.ts': withStage("kms.Alias.fromAliasName(this, 'A', alias)").replace(
          '    new dynamodb',
          '    const alias = `${this.node.tryGetContext(stage).tableKeyAlias}`;\n    new dynamodb',
        ),
        'cdk.json': CDK_JSON('"dev": { "tableKeyAlias": "alias/aws/dynamodb" }'),
      },
      'lib/s.ts',
    );
    expect(viaConst[0][1]).toBe('aws-managed');
    const made = await scanWith("kms.Key.fromLookup(this, 'K', { aliasName: `alias/${envConfig.keyName}` })", CONTEXT2);
    expect(made[0][1]).toBe('unknown');
    expect(made[0][2]).toContain("cdk.json's context sets dev.keyName to aws/dynamodb");
    const own = await scanWith(
      "kms.Key.fromLookup(this, 'K', { aliasName: `alias/${envConfig.keyName}` })",
      '"dev": { "keyName": "orders" }',
    );
    expect(own[0][1]).toBe('customer-managed');
    const unset = await scanWith("kms.Key.fromLookup(this, 'K', { aliasName: `alias/${envConfig.keyName}` })", '"other": "x"');
    expect(unset[0][1]).toBe('unknown');
    expect(unset[0][2]).toContain('the AWS managed key where the name it makes is alias/aws/dynamodb');
    const never = await scanWith("kms.Key.fromLookup(this, 'K', { aliasName: `alias/${envConfig.keyName}-table` })", CONTEXT2);
    expect(never[0][1]).toBe('customer-managed');
  });
});

describe('CDK: Key.fromKeyArn of a context value', () => {
  const key = "kms.Key.fromKeyArn(this, 'K', this.node.tryGetContext('tableKeyArn'))";
  const MANAGED_ARN = 'arn:aws:kms:us-east-1:111122223333:alias/aws/dynamodb';

  it("the AWS managed key's alias or alias ARN in cdk.json or cdk.context.json: aws-managed", async () => {
    const json = await scan({ 'lib/s.ts': cdk(key), 'cdk.json': CDK_JSON(`"tableKeyArn": "${MANAGED_ARN}"`) }, 'lib/s.ts');
    expect(json[0][1]).toBe('aws-managed');
    expect(json[0][2]).toContain(`cdk.json's context sets tableKeyArn to ${MANAGED_ARN}`);
    const v2 = await scan({ 'lib/s.ts': cdk(key, true), 'cdk.json': CDK_JSON(`"tableKeyArn": "${MANAGED_ARN}"`) }, 'lib/s.ts');
    expect(v2[0][1]).toBe('aws-managed');
    const contextJson = await scan(
      { 'lib/s.ts': cdk(key), 'cdk.json': CDK_JSON('"other": "x"'), 'cdk.context.json': '{ "tableKeyArn": "alias/aws/dynamodb" }' },
      'lib/s.ts',
    );
    expect(contextJson[0][1]).toBe('aws-managed');
  });

  it('a key ARN, a value the files do not set, or no cdk.json: customer-managed, as before (a key passed in)', async () => {
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect((await scan({ 'lib/s.ts': cdk(key), 'cdk.json': CDK_JSON(`"tableKeyArn": "${arn}"`) }, 'lib/s.ts'))[0][1]).toBe(
      'customer-managed',
    );
    expect((await scan({ 'lib/s.ts': cdk(key), 'cdk.json': CDK_JSON('"other": "x"') }, 'lib/s.ts'))[0][1]).toBe('customer-managed');
    expect((await scan({ 'lib/s.ts': cdk(key) }, 'lib/s.ts'))[0][1]).toBe('customer-managed');
  });
});

const pulumi = `import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
const config = new pulumi.Config();
const alias = aws.kms.getAliasOutput({ name: config.require('keyAlias') });
export const t = new aws.dynamodb.Table('t', {
  attributes: [{ name: 'pk', type: 'S' }], hashKey: 'pk', billingMode: 'PAY_PER_REQUEST',
  serverSideEncryption: { enabled: true, kmsKeyArn: alias.targetKeyArn },
});
`;
const project = 'name: p\nruntime: nodejs\nconfig:\n  p:keyAlias:\n    default: alias/aws/dynamodb\n';
const stack = (alias: string) => `config:\n  p:keyAlias: ${alias}\n`;

describe('Pulumi TypeScript: a lookup of an alias the config chooses', () => {
  it('no stack file: unknown, naming the lookup and the value', async () => {
    const [[, status, reason]] = await scan({ 'index.ts': pulumi, 'Pulumi.yaml': project }, 'index.ts');
    expect(status).toBe('unknown');
    expect(reason).toContain("the stack's config value keyAlias chooses (aws.kms.getAliasOutput(");
  });

  it("the stacks' values: all the AWS managed key's alias, aws-managed; some, unknown; none, customer-managed", async () => {
    const base = { 'index.ts': pulumi, 'Pulumi.yaml': project };
    const managed = await scan({ ...base, 'Pulumi.dev.yaml': stack('alias/aws/dynamodb') }, 'index.ts');
    expect(managed[0].slice(0, 2)).toEqual(['t', 'aws-managed']);
    expect(managed[0][2]).toContain('the alias it looks up: every stack');
    const mixed = await scan(
      { ...base, 'Pulumi.dev.yaml': stack('alias/aws/dynamodb'), 'Pulumi.prod.yaml': stack('alias/orders') },
      'index.ts',
    );
    expect(mixed[0][1]).toBe('unknown');
    expect(mixed[0][2]).toContain('p:keyAlias differs per stack: Pulumi.dev.yaml sets alias/aws/dynamodb');
    const own = await scan({ ...base, 'Pulumi.prod.yaml': stack('alias/orders') }, 'index.ts');
    expect(own[0][1]).toBe('customer-managed');
  });

  it('a template that is the config value alone (`${config.require(...)}`) is read as the value is (s56 F7)', async () => {
    const text = pulumi.replace("name: config.require('keyAlias')", "name: `${config.require('keyAlias')}`");
    const managed = await scan({ 'index.ts': text, 'Pulumi.yaml': project, 'Pulumi.dev.yaml': stack('alias/aws/dynamodb') }, 'index.ts');
    expect(managed[0].slice(0, 2)).toEqual(['t', 'aws-managed']);
    const unset = await scan({ 'index.ts': text, 'Pulumi.yaml': project }, 'index.ts');
    expect(unset[0][1]).toBe('unknown');
  });
});

// Round 37: a lookup by a key id the config gives was customer-managed whatever the stacks set; its id may be an alias
// name, an alias ARN, a key id or a key ARN, and only the AWS managed key's alias (or its ARN) is known to be that key.
describe('Pulumi TypeScript: getKey(Output) of a key id the config chooses', () => {
  const byKey = (key: string) => `import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
const config = new pulumi.Config();
${key}
export const t = new aws.dynamodb.Table('t', {
  attributes: [{ name: 'pk', type: 'S' }], hashKey: 'pk', billingMode: 'PAY_PER_REQUEST',
  serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
});
`;
  const output = "const key = aws.kms.getKeyOutput({ keyId: config.require('tableKey') });";
  const promise = "const key = await aws.kms.getKey({ keyId: config.require('tableKey') });";
  const base = { 'Pulumi.yaml': 'name: p\nruntime: nodejs\n' };
  const stackKey = (v: string) => `config:\n  p:tableKey: ${v}\n`;
  const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  it.each([output, promise])("%s: the stacks' values decide, as getAlias's name", async (key) => {
    const files = { ...base, 'index.ts': byKey(key) };
    const mixed = await scan(
      { ...files, 'Pulumi.dev.yaml': stackKey('alias/aws/dynamodb'), 'Pulumi.prod.yaml': stackKey('alias/orders') },
      'index.ts',
    );
    expect(mixed[0][1]).toBe('unknown');
    expect(mixed[0][2]).toContain(
      "a lookup of the key the stack's config names, and p:tableKey differs per stack: Pulumi.dev.yaml sets alias/aws/dynamodb",
    );
    const managed = await scan(
      {
        ...files,
        'Pulumi.dev.yaml': stackKey('alias/aws/dynamodb'),
        'Pulumi.prod.yaml': stackKey('arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb'),
      },
      'index.ts',
    );
    expect(managed[0][1]).toBe('aws-managed');
    expect(managed[0][2]).toContain('the key it looks up: every stack');
    // A key ARN, a key id, another alias: a key of the account.
    const own = await scan(
      {
        ...files,
        'Pulumi.dev.yaml': stackKey(ARN),
        'Pulumi.test.yaml': stackKey('1234abcd-12ab-34cd-56ef-1234567890ab'),
        'Pulumi.prod.yaml': stackKey('alias/orders'),
      },
      'index.ts',
    );
    expect(own[0][1]).toBe('customer-managed');
  });

  it('every stack the AWS managed key: fixable; no stack file: a key passed in, customer-managed as before', async () => {
    const r = await processMemory(
      Object.entries({ ...base, 'index.ts': byKey(output), 'Pulumi.dev.yaml': stackKey('alias/aws/dynamodb') }).map(([path, text]) => ({
        path,
        text,
      })),
      'scan',
    );
    const t = r.outcomes.find((o) => o.file.path === 'index.ts')!.tables[0];
    expect([t.status, t.fixable]).toEqual(['aws-managed', true]);
    expect((await scan({ ...base, 'index.ts': byKey(output) }, 'index.ts'))[0][1]).toBe('customer-managed');
  });
});

const yaml = (config: string, name = '${keyAlias}', lookup = 'function: aws:kms:getAlias\n      arguments:\n        name') => `name: tables
runtime: yaml
${config}variables:
  cfgKey:
    fn::invoke:
      ${lookup}: ${name}
      return: targetKeyArn
resources:
  b:
    type: aws:dynamodb:Table
    properties:
      attributes: [{ name: pk, type: S }]
      hashKey: pk
      serverSideEncryption:
        enabled: true
        kmsKeyArn: \${cfgKey}
`;
const DEFAULT = 'config:\n  keyAlias:\n    type: string\n    default: alias/aws/dynamodb\n';

describe('Pulumi YAML: aws:kms:getAlias of a config value', () => {
  it('a default alias/aws/dynamodb, no stack file: unknown (a stack may set another)', async () => {
    const [[, status, reason]] = await scan({ 'Pulumi.yaml': yaml(DEFAULT) }, 'Pulumi.yaml');
    expect(status).toBe('unknown');
    expect(reason).toContain('${cfgKey} looks up the alias ${keyAlias}, whose default is alias/aws/dynamodb');
  });

  it("the stacks' values decide; no default and no stack file, or an interpolated name: unknown", async () => {
    const s = (v: string) => `config:\n  tables:keyAlias: ${v}\n`;
    expect((await scan({ 'Pulumi.yaml': yaml(DEFAULT), 'Pulumi.dev.yaml': s('alias/aws/dynamodb') }, 'Pulumi.yaml'))[0][1]).toBe(
      'aws-managed',
    );
    expect((await scan({ 'Pulumi.yaml': yaml(DEFAULT), 'Pulumi.dev.yaml': s('alias/orders') }, 'Pulumi.yaml'))[0][1]).toBe(
      'customer-managed',
    );
    expect((await scan({ 'Pulumi.yaml': yaml('config:\n  keyAlias:\n    type: string\n') }, 'Pulumi.yaml'))[0][1]).toBe('unknown');
    expect((await scan({ 'Pulumi.yaml': yaml('', 'alias/${pulumi.stack}') }, 'Pulumi.yaml'))[0][1]).toBe('unknown');
    expect((await scan({ 'Pulumi.yaml': yaml('', 'alias/orders') }, 'Pulumi.yaml'))[0][1]).toBe('customer-managed');
  });
});

// Round 37 in Pulumi YAML: `fn::invoke` of aws:kms:getKey with `keyId: ${tableKey}` was customer-managed whatever the
// stacks set (the table's key was not even read as a config value's); the keyId is judged as getAlias's name is, with
// its own wording, only `alias/aws/dynamodb` or its ARN being the AWS managed key (a key id or key ARN is a key).
describe('Pulumi YAML: aws:kms:getKey of a config value', () => {
  const byKey = (config: string, fn: string, keyId = '${tableKey}') =>
    yaml(config, keyId, `function: ${fn}\n      arguments:\n        keyId`).replace('return: targetKeyArn', 'return: arn');
  const s = (v: string) => `config:\n  tables:tableKey: ${v}\n`;
  const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  it.each(['aws:kms:getKey', 'aws:kms/getKey:getKey'])("%s: the stacks' values decide, as getAlias's name", async (fn) => {
    const program = byKey('', fn);
    const mixed = await scan(
      { 'Pulumi.yaml': program, 'Pulumi.dev.yaml': s('alias/aws/dynamodb'), 'Pulumi.prod.yaml': s('alias/orders') },
      'Pulumi.yaml',
    );
    expect(mixed[0][1]).toBe('unknown');
    expect(mixed[0][2]).toContain(
      '${cfgKey} looks up the key ${tableKey}, and tables:tableKey differs per stack: Pulumi.dev.yaml sets alias/aws/dynamodb',
    );
    const managed = await scan(
      {
        'Pulumi.yaml': program,
        'Pulumi.dev.yaml': s('alias/aws/dynamodb'),
        'Pulumi.prod.yaml': s('arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb'),
      },
      'Pulumi.yaml',
    );
    expect(managed[0][1]).toBe('aws-managed');
    expect(managed[0][2]).toContain('the key it looks up: every stack');
    // A key ARN, a key id, another alias: a key of the account.
    const own = await scan(
      {
        'Pulumi.yaml': program,
        'Pulumi.dev.yaml': s(ARN),
        'Pulumi.test.yaml': s('1234abcd-12ab-34cd-56ef-1234567890ab'),
        'Pulumi.prod.yaml': s('alias/orders'),
      },
      'Pulumi.yaml',
    );
    expect(own[0][1]).toBe('customer-managed');
  });

  it('every stack the AWS managed key: fixable; without stack files a key passed in, but a default of the AWS managed key unknown', async () => {
    const r = await processMemory(
      [
        { path: 'Pulumi.yaml', text: byKey('', 'aws:kms:getKey') },
        { path: 'Pulumi.dev.yaml', text: s('alias/aws/dynamodb') },
      ],
      'scan',
    );
    const t = r.outcomes.find((o) => o.file.path === 'Pulumi.yaml')!.tables[0];
    expect([t.status, t.fixable]).toEqual(['aws-managed', true]);
    // No stack file: no default, or another key's, is a key passed in (as `kmsKeyArn: ${tableKey}` is).
    expect((await scan({ 'Pulumi.yaml': byKey('', 'aws:kms:getKey') }, 'Pulumi.yaml'))[0][1]).toBe('customer-managed');
    const declared = (v: string) => `config:\n  tableKey:\n    type: string\n    default: ${v}\n`;
    expect((await scan({ 'Pulumi.yaml': byKey(declared(ARN), 'aws:kms:getKey') }, 'Pulumi.yaml'))[0][1]).toBe('customer-managed');
    const [[, status, reason]] = await scan({ 'Pulumi.yaml': byKey(declared('alias/aws/dynamodb'), 'aws:kms:getKey') }, 'Pulumi.yaml');
    expect(status).toBe('unknown');
    expect(reason).toContain('${cfgKey} looks up the key ${tableKey}, whose default is alias/aws/dynamodb');
  });

  it("a variable's literal keyId is what it says; one kmsfix cannot read (a resource's arn) stays a key, as before", async () => {
    const withVar = (v: string) => byKey('', 'aws:kms:getKey', '${kid}').replace('variables:\n', `variables:\n  kid: ${v}\n`);
    expect((await scan({ 'Pulumi.yaml': withVar('alias/aws/dynamodb') }, 'Pulumi.yaml'))[0][1]).toBe('aws-managed');
    expect((await scan({ 'Pulumi.yaml': withVar('alias/orders') }, 'Pulumi.yaml'))[0][1]).toBe('customer-managed');
    expect((await scan({ 'Pulumi.yaml': byKey('', 'aws:kms:getKey', '${ordersKey.arn}') }, 'Pulumi.yaml'))[0][1]).toBe('customer-managed');
  });
});
