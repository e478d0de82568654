/**
 * A Serverless Framework service written in TypeScript (`serverless.ts`, the aws-nodejs-typescript
 * template) declares its tables as CloudFormation resources in object literals: `resources: {
 * Resources: { Orders: { Type: 'AWS::DynamoDB::Table', Properties: {...} } } }`. They were a silent
 * miss (the file did not pass the TypeScript prefilter). They are read as CloudFormation reads them,
 * reported with their status and suppressions; a table is fixed as a serverless.yml's is (a global
 * table is not). The one-run output is fixtures/typescript/serverless-ts; here the service that
 * output evaluates to is linted by cfn-lint as the template the Framework would deploy.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { typescriptEntry } from '../../../src/formats/typescript/entry.js';
import { detectTypeScript } from '../../../src/formats/typescript/detect.js';
import { verifyTypeScript } from '../../../src/formats/typescript/verify.js';
import { FIXTURES } from '../../helpers/fixture-cases.js';

/** The configuration object a serverless.ts exports (transpiled and run, as the Framework loads it). */
function evaluate(source: string): { resources: { Resources: Record<string, unknown>; Conditions?: unknown } } {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  vm.runInNewContext(js, { module, exports: module.exports, require: () => ({}) });
  return (module.exports.default ?? module.exports) as never;
}

/** Serverless variables (`${self:...}`, `${sls:stage}`) as a plain word, as the Framework's deploy would leave a value. */
const slsResolved = (json: string) => json.replace(/\$\{(?!AWS::)[^{}]*\}/g, 'slsvar');

/** cfn-lint's errors on the template a service's resources make (cfn-lint is on the machine image and in CI). */
function lintErrors(resources: Record<string, unknown>): string[] {
  let version: string | undefined;
  try {
    version = execFileSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  } catch {}
  expect(version, 'cfn-lint is not on PATH: install it (pip install cfn-lint)').toBeDefined();
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-sls-ts-')), 'template.json');
  writeFileSync(file, slsResolved(JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', ...resources }, null, 2)));
  const r = spawnSync('cfn-lint', ['--format', 'parseable', '--', file], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => /:E\d+:/.test(l));
}

const SERVICE = `import type { AWS } from '@serverless/typescript';

const serverlessConfiguration: AWS = {
  service: 'shop',
  provider: { name: 'aws', runtime: 'nodejs20.x' },
  resources: {
    Resources: {
      ShopItems: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      },
      Orders: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { SSESpecification: { SSEEnabled: true } },
      },
      Keyed: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
      },
      Global: {
        Type: 'AWS::DynamoDB::GlobalTable',
        Properties: { SSESpecification: { SSEEnabled: true, SSEType: 'KMS' }, Replicas: [{ Region: 'us-east-1' }] },
      },
      // checkov:skip=CKV_AWS_119:cache, rebuilt on deploy
      Cache: { Type: 'AWS::DynamoDB::Table' },
      Queue: { Type: 'AWS::SQS::Queue' },
    },
  },
};

module.exports = serverlessConfiguration;
`;

describe('serverless.ts: CloudFormation resources in object literals', () => {
  it('pass the prefilter; each table is reported with its status, the tables fixed, a global table not', async () => {
    expect(typescriptEntry.prefilter(SERVICE)).toBe(true);
    const r = await processMemory([{ path: 'serverless.ts', text: SERVICE }], 'fix', {});
    expect(r.outcomes[0].error).toBeUndefined();
    const by = new Map(r.outcomes[0].tables.map((t) => [t.address, t]));
    expect([...by.keys()]).toEqual(['ShopItems', 'Orders', 'Keyed', 'Global', 'Cache']);
    expect(by.get('ShopItems')).toMatchObject({
      line: 8,
      format: 'serverless',
      type: 'AWS::DynamoDB::Table',
      status: 'aws-owned',
      fixed: true,
    });
    expect(by.get('Orders')).toMatchObject({ status: 'aws-managed', reason: 'SSE is enabled with no KMSMasterKeyId', fixed: true });
    expect(by.get('Keyed')!.status).toBe('customer-managed');
    expect(by.get('Global')).toMatchObject({ status: 'aws-managed', fixable: false });
    expect(by.get('Global')!.message).toContain('kmsfix never half-fixes a global table');
    expect(by.get('Cache')!.status).toBe('suppressed');
    const out = r.output.get('serverless.ts')!;
    expect(out).toContain("      ShopItemsKey: {\n        Type: 'AWS::KMS::Key',\n");
    expect(out).toContain("KMSMasterKeyId: { 'Fn::GetAtt': ['OrdersKey', 'Arn'] }");
    // The Framework resolves ${...} in a serverless.ts too: no Fn::Sub is written.
    expect(out).not.toContain('Fn::Sub');
  });

  it('a Type chosen at deploy time, `AWS::DynamoDB::${tableType}`, is a table: global (never fixed) unless each value is Table', async () => {
    const file = (choice: string) =>
      `const tableType = ${choice};\nexport const usersTable = {\n  Type: \`AWS::DynamoDB::\${tableType}\`,\n  Properties: { BillingMode: 'PAY_PER_REQUEST' },\n};\n`;
    const scan = async (text: string) => (await processMemory([{ path: 'src/resources/tables.ts', text }], 'scan')).outcomes[0].tables;
    for (const [choice, global] of [
      ["process.env.LAUNCH_MODE === 'deploy' ? 'GlobalTable' : 'Table'", true],
      ['process.env.TABLE_TYPE', true],
      ["process.env.X ? 'Table' : 'Table'", false],
    ] as const) {
      const tables = await scan(file(choice));
      expect(
        tables.map((t) => [t.address, t.status, t.message.includes('kmsfix never half-fixes a global table')]),
        choice,
      ).toEqual([['usersTable', 'aws-owned', global]]);
    }
    // Each value Table: the same row as the type written as a string.
    const plain = await scan(file("'Table'").replace('`AWS::DynamoDB::${tableType}`', "'AWS::DynamoDB::Table'"));
    expect((await scan(file("process.env.X ? 'Table' : 'Table'"))).map((t) => t.message)).toEqual(plain.map((t) => t.message));
  });

  it("a fix's output, evaluated, is a template cfn-lint accepts (no errors), and fixing it again changes nothing", async () => {
    const expected = readFileSync(path.join(FIXTURES, 'typescript', 'serverless-ts', 'expected.ts'), 'utf8');
    const { resources } = evaluate(expected);
    expect(Object.keys(resources.Resources)).toContain('ShopItemsTableKey');
    expect(lintErrors(resources)).toEqual([]);
    const again = await processMemory([{ path: 'serverless.ts', text: expected }], 'fix', {});
    expect(again.outcomes[0].tables.every((t) => t.status === 'customer-managed')).toBe(true);
    expect(again.output.get('serverless.ts') ?? expected).toBe(expected);
  });

  it('--key-strategy shared and --kms-key-arn: one key for the Resources, or the ARN on each table', async () => {
    const shared = await processMemory([{ path: 'serverless.ts', text: SERVICE }], 'fix', { keyStrategy: 'shared' });
    const out = shared.output.get('serverless.ts')!;
    expect(out.match(/Type: 'AWS::KMS::Key'/g)).toHaveLength(1);
    expect(out.match(/'Fn::GetAtt': \['DynamoDBTablesKey', 'Arn'\]/g)).toHaveLength(2);
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const given = await processMemory([{ path: 'serverless.ts', text: SERVICE }], 'fix', { kmsKeyArn: arn });
    const withArn = given.output.get('serverless.ts')!;
    expect(withArn).not.toContain('AWS::KMS::Key');
    expect(withArn.split(`KMSMasterKeyId: '${arn}'`)).toHaveLength(3);
    // A property chain is written as code, not as a string.
    const chain = await processMemory([{ path: 'serverless.ts', text: SERVICE }], 'fix', { kmsKeyArn: 'process.env.TABLE_KEY_ARN' });
    expect(chain.output.get('serverless.ts')!.split('KMSMasterKeyId: process.env.TABLE_KEY_ARN')).toHaveLength(3);
  });

  it('verification refuses a fixed table whose key is not a rotating AWS::KMS::Key of its Resources', () => {
    const expected = readFileSync(path.join(FIXTURES, 'typescript', 'serverless-ts', 'expected.ts'), 'utf8');
    const verify = (text: string) =>
      verifyTypeScript(
        { path: 'serverless.ts', absPath: '/serverless.ts', text },
        detectTypeScript({ path: 'serverless.ts', absPath: '/serverless.ts', text }),
        ['ShopItemsTable', 'OrdersTable'],
        { keyStrategy: 'per-table', acceptAwsManaged: false },
      );
    expect(verify(expected)).toEqual([]);
    const noRotation = expected.replace(/(ShopItemsTableKey: \{[\s\S]*?EnableKeyRotation: )true/, '$1false');
    expect(verify(noRotation)).toEqual(['the key of table ShopItemsTable does not enable rotation']);
    const elsewhere = expected.replace("['OrdersTableKey', 'Arn']", "['OrdersQueue', 'Arn']");
    expect(verify(elsewhere)).toEqual(['table OrdersTable does not reference an AWS::KMS::Key of its Resources']);
  });

  it('a TableName with a dot gets an alias name split at the dot and joined with "-"', async () => {
    const text = SERVICE.replace(
      "KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],",
      "TableName: 'shop.items',\n          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],",
    );
    const out = (await processMemory([{ path: 'serverless.ts', text }], 'fix', {})).output.get('serverless.ts')!;
    const alias = out.slice(out.indexOf('ShopItemsKeyAlias: {'));
    expect(alias.slice(0, alias.indexOf('TargetKeyId'))).toMatch(/AliasName: \{\s+'Fn::Join': \[\s+'-',\s+\{\s+'Fn::Split': \[\s+'\.',/);
  });

  it('resources outside the Resources literal: a map it spreads or a typed Resources const are fixed there; a table const or a builder function is reported', async () => {
    const table = (props = '') =>
      `{\n    Type: 'AWS::DynamoDB::Table',\n    Properties: {\n      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],${props}\n    },\n  }`;
    const text = [
      "import type { AWS } from '@serverless/typescript';",
      '',
      `const dynamo = {\n  Spread: ${table()},\n};`,
      `export const typed: AWS['resources']['Resources'] = {\n  Typed: ${table()},\n};`,
      `const untyped = {\n  Elsewhere: ${table()},\n};`,
      `const own = ${table()};`,
      `function buildTable(name: string) {\n  return ${table()};\n}`,
      '',
      'module.exports = {',
      "  service: 'shop',",
      "  resources: { Resources: { ...dynamo, Own: own, Built: buildTable('b'), Other: untyped.Elsewhere } },",
      '};',
      '',
    ].join('\n');
    const r = await processMemory([{ path: 'serverless.ts', text }], 'fix', {});
    const by = new Map(r.outcomes[0].tables.map((t) => [t.address, t]));
    expect([...by.keys()]).toEqual(['Spread', 'Typed', 'Elsewhere', 'own', 'Built']);
    expect(by.get('Spread')!.fixed).toBe(true);
    expect(by.get('Typed')!.fixed).toBe(true);
    const out = r.output.get('serverless.ts')!;
    // Each key goes into the map its table is in.
    expect(out.indexOf('SpreadKey: {')).toBeLessThan(out.indexOf('export const typed'));
    expect(out.indexOf('TypedKey: {')).toBeGreaterThan(out.indexOf('export const typed'));
    expect(by.get('Elsewhere')!.message).toContain(
      'Not fixable automatically: the map that holds Elsewhere is not one the file deploys as Resources, and kmsfix does not follow it',
    );
    expect(by.get('own')!.message).toContain(
      "Not fixable automatically: the table's resource is the const own, and kmsfix does not follow it",
    );
    // Named by the Resources entry that calls the builder (session 59, rw42 F2).
    expect(by.get('Built')!.message).toContain("the table's resource is built by buildTable()");
    for (const t of ['Elsewhere', 'own', 'Built']) expect(by.get(t)!.fixed, t).toBeUndefined();
  });

  it("Properties spreading a builder's parameter: read through the builder's calls, never as an Fn::Transform (it was)", async () => {
    const text = (arg: string) =>
      [
        'const buildTable = (extra: Record<string, unknown>) => ({',
        "  Type: 'AWS::DynamoDB::Table',",
        "  Properties: { BillingMode: 'PAY_PER_REQUEST', ...extra },",
        '});',
        `module.exports = { resources: { Resources: { Users: buildTable(${arg}) } } };`,
        '',
      ].join('\n');
    const scan = async (arg: string) =>
      (await processMemory([{ path: 'serverless.ts', text: text(arg) }], 'scan', {})).outcomes[0].tables[0];
    // Every call gives a literal without SSESpecification (scorebridge-cloud's builders): the AWS owned key, reported where it is built.
    const literal = await scan("{ KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }");
    expect(literal.status).toBe('aws-owned');
    expect(literal.message).toContain("the table's resource is built by buildTable()");
    // A call that passes what kmsfix cannot read: unknown through that spread.
    const other = await scan('makeProperties()');
    expect(other.status).toBe('unknown');
    expect(other.message).toMatch(/^SSESpecification may come from the spread \.\.\.extra: /);
    for (const t of [literal, other]) expect(t.message).not.toContain('Fn::Transform');
  });

  it('a CloudFormation-shaped object outside a Serverless service or resources file is data: reported, never fixed (go-to-k/cdkd)', async () => {
    const table = "{ Type: 'AWS::DynamoDB::Table', Properties: {} }";
    const files = [
      // A library's example template, and a unit test's input: nothing deploys them as a service.
      { path: 'src/count.ts', text: `export const EXAMPLE = {\n  Resources: {\n    Table: ${table},\n  },\n};\n` },
      { path: 'src/parse.ts', text: `const template = { Resources: { Table: ${table} } };\nparse(template);\n` },
      // A file of resources the service loads (its default export, or a function returning them), and a service's own shape.
      { path: 'resources/a.ts', text: `export default {\n  Resources: {\n    Table: ${table},\n  },\n};\n` },
      { path: 'resources/b.ts', text: `const tables = {\n  Resources: {\n    Table: ${table},\n  },\n};\nexport default tables;\n` },
      { path: 'resources/c.js', text: `module.exports = () => ({\n  Resources: {\n    Table: ${table},\n  },\n});\n` },
      {
        path: 'config/service.ts',
        text: `export const config = {\n  resources: {\n    Resources: {\n      Table: ${table},\n    },\n  },\n};\n`,
      },
    ];
    const r = await processMemory(files, 'fix', {});
    const got = r.outcomes.map((o) => [o.file.path, o.tables.map((t) => t.fixable), o.newText !== undefined]);
    expect(got).toEqual([
      ['src/count.ts', [false], false],
      ['src/parse.ts', [false], false],
      ['resources/a.ts', [true], true],
      ['resources/b.ts', [true], true],
      // JavaScript outside a serverless.js: reported, never fixed (as before), with the JavaScript step.
      ['resources/c.js', [false], false],
      ['config/service.ts', [true], true],
    ]);
    expect(r.outcomes[0].tables[0].message).toContain(
      'the map that holds Table is in a file that is not a Serverless service or resources file (not a serverless.ts, no `resources: { Resources }`, no default export of one)',
    );
    // Real-world round 44, F3: the step names the typing that makes kmsfix read such a file as a resources file.
    expect(r.outcomes[0].tables[0].message).toContain(
      "if a serverless.ts spreads it into its Resources, type the map AWS['resources']['Resources'] (`const tables: AWS['resources']['Resources'] = {...}; export default tables`",
    );
    expect(r.outcomes[4].tables[0].message).toContain('as kmsfix writes it in a serverless.js');
  });

  it("a Serverless instance's `service: { resources }` (a plugin's unit-test mock) is not a table; a service in test code is", async () => {
    const mock = `const given = () => ({\n  service: { resources: { Resources: { 'table-one': { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'one' } } } } },\n});\n`;
    const files = [
      { path: 'test/creating-global-tables.js', text: `describe('x', () => { new Plugin(given(), {}); });\n${mock}` },
      { path: 'src/plugin.test.ts', text: mock },
      {
        path: 'test/app/serverless.ts',
        text: `export default {\n  resources: { Resources: { T: { Type: 'AWS::DynamoDB::Table', Properties: {} } } },\n};\n`,
      },
      { path: 'tests/resources.ts', text: `export default {\n  Resources: { T: { Type: 'AWS::DynamoDB::Table', Properties: {} } },\n};\n` },
      {
        path: 'tests/serverless-e2e.ts',
        text: `const config = {\n  service: 'e2e',\n  resources: { Resources: { T: { Type: 'AWS::DynamoDB::Table' } } },\n};\nmodule.exports = config;\n`,
      },
      // Mocks of other shapes (adversarial pass): an assignment to the instance, tables in a const of their own.
      {
        path: 'test/plugin.test.ts',
        text: `declare const serverless: any;\nserverless.service.resources = { Resources: { OrdersTable: { Type: 'AWS::DynamoDB::Table', Properties: {} } } };\n`,
      },
      {
        path: 'test/shorthand.test.ts',
        text: `const resources = { Resources: { UsersTable: { Type: 'AWS::DynamoDB::Table', Properties: {} } } };\nconst sls = { service: { service: 'demo', resources } };\n`,
      },
    ];
    const r = await processMemory(files, 'scan', {});
    expect(r.outcomes.map((o) => [o.file.path, o.tables.length])).toEqual([
      ['test/creating-global-tables.js', 0],
      ['src/plugin.test.ts', 0],
      ['test/app/serverless.ts', 1],
      ['tests/resources.ts', 1],
      ['tests/serverless-e2e.ts', 1],
      ['test/plugin.test.ts', 0],
      ['test/shorthand.test.ts', 0],
    ]);
  });

  it('a pattern held in a const that the file passes to an assertion is not a table (leegilmorecode/mastering-jest-in-cdk)', async () => {
    const text = `import { Template } from 'aws-cdk-lib/assertions';
declare const stack: any;
const template = Template.fromStack(stack);
const expectedTemplate = { Resources: { TableCD117FA1: { Type: 'AWS::DynamoDB::Table', Properties: {} } } };
const props = { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'x' } };
template.templateMatches(expectedTemplate);
template.hasResource('AWS::DynamoDB::Table', props);
export const notAPattern = { Resources: { Real: { Type: 'AWS::DynamoDB::Table', Properties: {} } } };
`;
    const r = await processMemory([{ path: 'stateful.infra.ts', text }], 'scan', {});
    expect(r.outcomes[0].tables.map((t) => t.address)).toEqual(['Real']);
  });

  it('two maps of one file with the same logical ID: each table its own address, each key named after its logical ID', async () => {
    const table = "{ Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } }";
    const text = `const a = {\n  Orders: ${table},\n};\nconst b = {\n  Orders: ${table},\n};\nmodule.exports = { resources: { Resources: { ...a } }, other: { Resources: { ...b } } };\n`;
    const r = await processMemory([{ path: 'serverless.ts', text }], 'fix', {});
    expect(r.outcomes[0].tables.map((t) => [t.address, t.fixed])).toEqual([
      ['Orders', true],
      ['Orders#2', true],
    ]);
    const out = r.output.get('serverless.ts')!;
    expect(out.match(/ {2}OrdersKey: \{/g)).toHaveLength(2);
    expect(out).not.toContain('#2');
  });

  it("a CDK test's assertions hold patterns, not resources: nothing reported", async () => {
    const text = `import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
declare const template: Template;
it('creates the table conditionally', () => {
  template.hasResource('AWS::DynamoDB::Table', { Type: 'AWS::DynamoDB::Table', Condition: 'CreateTableCondition' });
  template.hasResourceProperties('AWS::DynamoDB::Table', Match.objectLike({ Type: 'AWS::DynamoDB::Table' }));
  expect(template.toJSON()).toMatchObject({ Resources: { T: { Type: 'AWS::DynamoDB::Table' } } });
  Template.fromJSON({ Resources: { T: { Type: 'AWS::DynamoDB::Table', Properties: {} } } });
});
`;
    const r = await processMemory([{ path: 'test/stack.test.ts', text }], 'scan');
    expect(r.outcomes[0].error).toBeUndefined();
    expect(r.outcomes[0].tables).toEqual([]);
  });
});

describe('serverless.js: a service written in JavaScript', () => {
  const JS = path.join(FIXTURES, 'typescript', 'serverless-js');

  it('serverless.js, .cjs and .mjs are read for their CloudFormation resources alone, never a construct', async () => {
    for (const name of ['serverless.js', 'svc/serverless.cjs', 'serverless.mjs', 'serverless.ts'])
      expect(typescriptEntry.accepts(name), name).toBe(true);
    expect(typescriptEntry.accepts('serverless.d.ts')).toBe(false);
    const text = [
      "const dynamodb = require('aws-cdk-lib/aws-dynamodb');",
      'new dynamodb.Table(stack, "T", { partitionKey: { name: "id", type: dynamodb.AttributeType.STRING } });',
      "module.exports = { resources: { Resources: { Orders: { Type: 'AWS::DynamoDB::Table' } } } };",
      '',
    ].join('\n');
    const r = await processMemory([{ path: 'serverless.js', text }], 'fix', {});
    expect(r.outcomes[0].tables.map((t) => [t.address, t.status, t.fixed])).toEqual([['Orders', 'aws-owned', true]]);
  });

  it("the fixture's output, required as the Framework loads it, is a template cfn-lint accepts; fixing it again changes nothing", async () => {
    const expected = readFileSync(path.join(JS, 'expected', 'serverless.js'), 'utf8');
    const { resources } = evaluate(expected);
    expect(Object.keys(resources.Resources)).toEqual([
      'OrdersTable',
      'AuditTable',
      'OrdersTableKey',
      'OrdersTableKeyAlias',
      'AuditTableKey',
      'AuditTableKeyAlias',
    ]);
    expect(lintErrors(resources)).toEqual([]);
    const again = await processMemory([{ path: 'serverless.js', text: expected }], 'fix', {});
    expect(again.outcomes[0].tables.every((t) => t.status === 'customer-managed')).toBe(true);
    expect(again.output.get('serverless.js') ?? expected).toBe(expected);
  });
});
