/**
 * What a fix reuses instead of adding a second one: the file's key-policy helper, the lookups a scope
 * already has, the imported key and the ARN constant (a table added after an earlier run gets the same
 * ones); and how the Region of a CDK stack is read from the file (stackRegion.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { parseTypeScript } from '../../../src/formats/typescript/parse.js';
import { bindings, readImports, resolveSymbol } from '../../../src/formats/typescript/imports.js';
import { stackRegionOf } from '../../../src/formats/typescript/stackRegion.js';
import { ts } from '../../../src/formats/typescript/parse.js';
import { FIXTURES } from '../../helpers/fixture-cases.js';

const fixture = (c: string) => readFileSync(path.join(FIXTURES, 'typescript', c, 'expected.ts'), 'utf8');
const count = (text: string, s: string) => text.split(s).length - 1;

async function fix(text: string, options: Record<string, unknown> = {}): Promise<string> {
  const r = await processMemory([{ path: 'main.ts', text }], 'fix', options);
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error.message] : []))).toEqual([]);
  expect(r.outcomes[0].tables.filter((t) => t.fixed).length).toBeGreaterThan(0);
  return r.output.get('main.ts')!;
}

describe('a table added after an earlier fix gets what the file already has', () => {
  it('Pulumi: the helper and the three lookups', async () => {
    const before =
      fixture('pulumi') +
      "\nexport const extra = new aws.dynamodb.Table('extra', { attributes: [{ name: 'id', type: 'S' }], hashKey: 'id' });\n";
    const out = await fix(before);
    expect(count(out, 'function dynamoDbKeyPolicy')).toBe(1);
    expect(count(out, 'getRegionOutput(')).toBe(1);
    expect(count(out, 'getCallerIdentityOutput(')).toBe(1);
    expect(out).toContain("const extraKey = new aws.kms.Key('extra-key', {");
    expect(out).toContain('policy: dynamoDbKeyPolicy(callerIdentity, partition, region),');
  });

  it('CDKTF: the helper and the data sources of the scope', async () => {
    const before = fixture('cdktf').replace(
      "    new DynamodbTable(this, 'audit', {",
      "    new DynamodbTable(this, 'extra', { name: 'extra', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }] });\n    new DynamodbTable(this, 'audit', {",
    );
    const out = await fix(before);
    expect(count(out, 'function dynamoDbKeyPolicy')).toBe(1);
    expect(count(out, 'new DataAwsRegion(')).toBe(1);
    expect(out).toContain('policy: dynamoDbKeyPolicy(callerIdentity, partition, region),');
  });

  it('AWS CDK: the helper (not a dynamoDbKeyPolicy2)', async () => {
    const before = fixture('cdk-table-namespace').replace(
      '    new cdk.CfnOutput(',
      "    new dynamodb.Table(this, 'Extra', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });\n    new cdk.CfnOutput(",
    );
    const out = await fix(before);
    expect(count(out, 'function dynamoDbKeyPolicy')).toBe(1);
    expect(count(out, 'policy: dynamoDbKeyPolicy(),')).toBe(2);
    expect(out).not.toContain('dynamoDbKeyPolicy2');
  });

  it('AWS CDK with --kms-key-arn: the imported key and the ARN constant', async () => {
    const options = JSON.parse(readFileSync(path.join(FIXTURES, 'typescript', 'cdk-kms-key-arn', 'options.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const before = fixture('cdk-kms-key-arn').replace(
      "    new CfnTable(this, 'Raw'",
      "    new Table(this, 'Extra', { partitionKey: { name: 'id', type: AttributeType.STRING } });\n    new CfnTable(this, 'Raw'",
    );
    const out = await fix(before, options);
    expect(count(out, 'fromKeyArn(')).toBe(1);
    expect(count(out, String(options.kmsKeyArn))).toBe(1);
    expect(out).toContain('encryptionKey: dynamoDbKey });');
  });

  it('tables in two blocks of one scope share one set of lookups, declared before the first block', async () => {
    const text = `import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
const config = new pulumi.Config();
if (config.getBoolean('orders')) {
  new aws.dynamodb.Table('orders', { hashKey: 'id' });
} else {
  new aws.dynamodb.Table('carts', { hashKey: 'id' });
}
`;
    const out = await fix(text);
    expect(count(out, 'getRegionOutput(')).toBe(1);
    expect(out).not.toMatch(/region2|partition2|callerIdentity2/);
    expect(out.indexOf('const region = aws.getRegionOutput();')).toBeLessThan(out.indexOf('if (config'));
  });

  it('a returned table is bound to a const, given its alias, then returned', async () => {
    const text = `import { Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
export class S extends Stack {
  make() {
    return new Table(this, 'C', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  }
}
`;
    const out = await fix(text);
    expect(out).toContain(
      "    const c = new Table(this, 'C', { partitionKey: { name: 'pk', type: AttributeType.STRING }, encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: cKey });\n    cKey.addAlias(`alias/dynamodb/${c.tableName}`);\n    return c;\n  }",
    );
  });

  it('a table that is not its own statement, a variable, an assignment or a return gets its key but no alias (nothing names it)', async () => {
    const text = `import { Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
export class S extends Stack {
  readonly tables: Table[] = [];
  make() {
    this.tables.push(new Table(this, 'C', { partitionKey: { name: 'pk', type: AttributeType.STRING } }));
  }
}
`;
    const out = await fix(text);
    expect(out).toContain('encryptionKey: cKey }));');
    expect(out).not.toContain('addAlias');
  });

  it('a table in a one-line block: its alias on the same line, after a `;` the statement lacked', async () => {
    const text = `import { Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
export class S extends Stack {
  constructor() {
    super();
    if (this.node) { new Table(this, 'B', { partitionKey: { name: 'pk', type: AttributeType.STRING } }) }
  }
}
`;
    const out = await fix(text);
    expect(out).toContain(
      "const b = new Table(this, 'B', { partitionKey: { name: 'pk', type: AttributeType.STRING }, encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: bKey }); bKey.addAlias(`alias/dynamodb/${b.tableName}`); }",
    );
  });

  it('lookups an earlier run wrote with `{ provider: provider }` are reused by a table with `{ provider }` (written so now)', async () => {
    const text = `import * as aws from '@pulumi/aws';
const provider = new aws.Provider('west', { region: 'us-west-2' });
const providerCallerIdentity = aws.getCallerIdentityOutput({}, { provider: provider });
const providerPartition = aws.getPartitionOutput({}, { provider: provider });
const providerRegion = aws.getRegionOutput({}, { provider: provider });
export const t = new aws.dynamodb.Table('t', { hashKey: 'id', attributes: [{ name: 'id', type: 'S' }] }, { provider });
`;
    const out = await fix(text);
    expect(count(out, 'getRegionOutput(')).toBe(1);
    expect(out.replace(/\s+/g, '')).toContain('policy:dynamoDbKeyPolicy(providerCallerIdentity,providerPartition,providerRegion,),');
    expect(out).toContain('}, { provider });');
    expect(out).not.toContain('{ provider: provider }),');
  });

  it('a user-written lookup with other arguments (another Region) is not reused', async () => {
    const text = `import * as aws from '@pulumi/aws';
const west = aws.getRegionOutput({ region: 'us-west-2' });
new aws.dynamodb.Table('t', { hashKey: 'id' });
export const w = west.name;
`;
    const out = await fix(text);
    expect(out).toContain('const region = aws.getRegionOutput();');
    expect(out).toContain('dynamoDbKeyPolicy(callerIdentity, partition, region)');
  });
});

describe('the Region of a CDK stack, from the file', () => {
  const regionOf = (text: string): string[] => {
    const sf = parseTypeScript('app.ts', text);
    const binds = bindings(readImports(sf));
    const out: string[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n) && resolveSymbol(n.expression, binds) === 'aws-cdk-lib/aws-dynamodb#TableV2')
        out.push(stackRegionOf(sf, (e) => resolveSymbol(e, binds), n));
      ts.forEachChild(n, visit);
    };
    visit(sf);
    return out;
  };
  const head =
    "import { App, Stack, Stage } from 'aws-cdk-lib';\nimport { TableV2 } from 'aws-cdk-lib/aws-dynamodb';\nconst app = new App();\n";

  it('new Stack(app, id) under an App: agnostic; with env.region: regional', () => {
    expect(regionOf(head + "const s = new Stack(app, 'S');\nnew TableV2(s, 'T', {} as any);\n")).toEqual(['agnostic']);
    expect(regionOf(head + "const s = new Stack(app, 'S', { env: { account: '1' } });\nnew TableV2(s, 'T', {} as any);\n")).toEqual([
      'agnostic',
    ]);
    expect(regionOf(head + "const s = new Stack(app, 'S', { env: { region: 'eu-west-1' } });\nnew TableV2(s, 'T', {} as any);\n")).toEqual([
      'regional',
    ]);
  });

  it('under a Stage the file creates without a Region under an App: stage (no Region)', () => {
    const inStage = (stage: string) => head + `${stage}\nconst s = new Stack(st, 'S');\nnew TableV2(s, 'T', {} as any);\n`;
    expect(regionOf(inStage("const st = new Stage(app, 'P');"))).toEqual(['stage']);
    expect(regionOf(inStage("const st = new Stage(app, 'P', { env: { account: '1' } });"))).toEqual(['stage']);
    expect(regionOf(inStage("const p = new Stage(app, 'P');\nconst st = new Stage(p, 'Q');"))).toEqual(['stage']);
    expect(regionOf(inStage("const p = new Stage(app, 'P', { env: { region: 'r' } });\nconst st = new Stage(p, 'Q');"))).toEqual([
      'unknown',
    ]);
    expect(regionOf(inStage("const st = new Stage(other, 'P');"))).toEqual(['unknown']);
    // A stack class created in a Stage class of the file, created under the App (the CDK Pipelines dev stage).
    const app = (sites: string, stackProps = '') =>
      head +
      'class Data extends Stack {\n  constructor(scope: any, id: string, props?: any) {\n    super(scope, id, props);\n' +
      "    new TableV2(this, 'T', {} as any);\n  }\n}\n" +
      'class AppStage extends Stage {\n  constructor(scope: any, id: string, props?: any) {\n    super(scope, id, props);\n' +
      `    new Data(this, 'Data'${stackProps});\n  }\n}\n${sites}`;
    expect(regionOf(app("new AppStage(app, 'Dev');\n"))).toEqual(['stage']);
    expect(regionOf(app("new AppStage(app, 'Prod', { env: { region: 'r' } });\nnew AppStage(app, 'Dev');\n"))).toEqual(['stage']);
    expect(regionOf(app("new AppStage(app, 'Prod', { env: { region: 'r' } });\n"))).toEqual(['unknown']);
    expect(regionOf(app("new AppStage(app, 'Dev');\n", ", { env: { region: 'r' } }"))).toEqual(['regional']);
    // A Stage class the file does not create: its Region is not known here.
    expect(regionOf(app(''))).toEqual(['unknown']);
  });

  it('under a Stage with a Region (or one the file does not show), or with props from elsewhere: unknown', () => {
    expect(
      regionOf(
        head +
          "const st = new Stage(app, 'P', { env: { region: 'eu-west-1' } });\nconst s = new Stack(st, 'S');\nnew TableV2(s, 'T', {} as any);\n",
      ),
    ).toEqual(['unknown']);
    expect(regionOf(head + "const s = new Stack(app, 'S', props());\nnew TableV2(s, 'T', {} as any);\n")).toEqual(['unknown']);
  });

  it('a stack class: through its constructor to the places the file creates it', () => {
    const cls = (sup: string, sites: string) =>
      head +
      `class S extends Stack {\n  constructor(scope: App, id: string, props?: any) {\n    ${sup}\n    new TableV2(this, 'T', {} as any);\n  }\n}\n${sites}`;
    expect(regionOf(cls('super(scope, id, props);', "new S(app, 'a', { env: { region: 'r' } });\n"))).toEqual(['regional']);
    expect(regionOf(cls('super(scope, id, props);', "new S(app, 'a', { env: { region: 'r' } });\nnew S(app, 'b');\n"))).toEqual([
      'agnostic',
    ]);
    expect(regionOf(cls('super(scope, id);', "new S(app, 'a', { env: { region: 'r' } });\n"))).toEqual(['agnostic']);
    expect(regionOf(cls("super(scope, id, { env: { region: 'r' } });", "new S(app, 'a');\n"))).toEqual(['regional']);
    // Created in another file (bin/app.ts, as cdk init does): unknown here.
    expect(regionOf(cls('super(scope, id, props);', ''))).toEqual(['unknown']);
  });
});
