/**
 * --kms-key-arn and a serverless.ts (or serverless.js) service's `provider.region` (session 65, region3; the
 * adversarial pass's finding): read as serverless.yml's is (cfn-values/deployRegions.ts), for the tables of the
 * service's own `resources.Resources` and of an exported map it spreads there (serviceImports.ts). A literal, a const
 * of the file holding one, the default of `${opt:region, 'eu-west-1'}` or of `process.env.X ?? 'eu-west-1'`; no
 * provider.region: the Framework's us-east-1. Another Region than the key's: declined naming both and where.
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';
import { commitMessage, commitText } from '../../../src/report/commitMessage.js';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const WEST = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

async function run(files: MemoryFile[], arn = ARN) {
  const r = await processMemory(files, 'fix', { kmsKeyArn: arn });
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error.message] : []))).toEqual([]);
  const tables = Object.fromEntries(
    r.outcomes.flatMap((o) =>
      o.tables.map((t) => [
        t.address,
        { fixed: t.fixed === true, declined: t.fixed ? undefined : t.message.split('Not fixable automatically: ')[1] },
      ]),
    ),
  );
  const message = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', kmsKeyArn: arn, version: '0' })).replace(/\s+/g, ' ');
  return { tables, output: r.output, message };
}

const TABLE = `{
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      }`;

const service = (provider: string, before = ''): MemoryFile[] => [
  {
    path: 'serverless.ts',
    text: `import type { AWS } from '@serverless/typescript';
${before}
const serverlessConfiguration: AWS = {
  service: 'shop',
  provider: ${provider},
  resources: {
    Resources: {
      Orders: ${TABLE},
    },
  },
};

module.exports = serverlessConfiguration;
`,
  },
];

describe('serverless.ts provider.region and --kms-key-arn', () => {
  it("a literal Region that is not the key's: declined, both named, the line given", async () => {
    const files = service("{ name: 'aws', runtime: 'nodejs20.x', region: 'eu-west-1' }");
    const r = await run(files);
    expect(r.tables.Orders.fixed).toBe(false);
    expect(r.tables.Orders.declined).toContain(
      '--kms-key-arn names a key in us-east-1, and this table is in eu-west-1 (serverless.ts:5, provider.region)',
    );
    expect(r.tables.Orders.declined).toContain('CloudFormation would roll the stack back');
    expect(r.output.get('serverless.ts')).toBe(files[0].text);
  });

  it("the key's Region: fixed, and the commit message does not say no Region was found", async () => {
    const r = await run(service("{ name: 'aws', region: 'eu-west-1' }"), WEST);
    expect(r.tables.Orders.fixed).toBe(true);
    expect(r.output.get('serverless.ts')).toContain(WEST);
    expect(r.message).toContain(`key: the existing key ${WEST}`);
    expect(r.message).not.toContain('found no Region');
  });

  it('a const of the file holding the Region is read', async () => {
    for (const [provider, before] of [
      ["{ name: 'aws', region }", "const region = 'eu-west-1';"],
      ["{ name: 'aws', region: REGION }", "const REGION = 'eu-west-1' as const;"],
      ['provider', "const provider = { name: 'aws', region: 'eu-west-1' } as const;"],
    ]) {
      const r = await run(service(provider, before));
      expect(r.tables.Orders.declined, provider).toContain('this table is in eu-west-1 (serverless.ts:');
    }
  });

  it("${opt:region, 'eu-west-1'}: its default, as serverless.yml's", async () => {
    const r = await run(service("{ name: 'aws', region: \"${opt:region, 'eu-west-1'}\" as any }"));
    expect(r.tables.Orders.declined).toContain(
      'this table is in eu-west-1 (serverless.ts:5, provider.region (its default where the deploy gives no --region))',
    );
    expect(r.tables.Orders.declined).toContain(
      "or, where every deploy gives us-east-1 (--region, or the environment variable read), make us-east-1 provider.region's default",
    );
  });

  it("process.env.X ?? 'eu-west-1': its default where the environment sets no X", async () => {
    for (const [provider, before] of [
      ["{ name: 'aws', region: process.env.AWS_REGION ?? 'eu-west-1' }", ''],
      ["{ name: 'aws', region: (process.env['AWS_REGION'] || 'eu-west-1') as any }", ''],
      ["{ name: 'aws', region }", "const region = process.env.AWS_REGION ?? 'eu-west-1';"],
    ]) {
      const r = await run(service(provider, before));
      expect(r.tables.Orders.declined, provider).toContain(
        'this table is in eu-west-1 (serverless.ts:5, provider.region (its default where the deploy sets no AWS_REGION in its environment))',
      );
    }
  });

  it("no provider.region: the Framework's us-east-1", async () => {
    const west = await run(service("{ name: 'aws', runtime: 'nodejs20.x' }"), WEST);
    expect(west.tables.Orders.declined).toContain(
      "this table is in us-east-1 (serverless.ts:5, no provider.region: the Framework's default, where the deploy gives no --region)",
    );
    const east = await run(service("{ name: 'aws', runtime: 'nodejs20.x' }"));
    expect(east.tables.Orders.fixed).toBe(true);
  });

  it('each stage its Region (params, a map of custom): the others named', async () => {
    const params = await run(
      service(
        "{ name: 'aws', region: '${param:region}' as any }",
        "const params = { dev: { region: 'us-east-1' }, prod: { region: 'eu-west-1' } };",
      ).map((f) => ({ ...f, text: f.text.replace("service: 'shop',", "service: 'shop',\n  params,") })),
    );
    expect(params.tables.Orders.declined).toContain(
      'this table is in eu-west-1 (serverless.ts:6, provider.region (stage prod: params.prod.region))',
    );
    expect(params.tables.Orders.declined).toContain("a key is in one Region, and the table's other stacks deploy to us-east-1");
  });

  it('serverless.js: read as serverless.ts', async () => {
    const files: MemoryFile[] = [
      {
        path: 'serverless.js',
        text: `module.exports = {\n  service: 'shop',\n  provider: { name: 'aws', region: 'eu-west-1' },\n  resources: { Resources: { Orders: ${TABLE} } },\n};\n`,
      },
    ];
    const r = await run(files);
    expect(r.tables.Orders.declined).toContain('this table is in eu-west-1 (serverless.js:3, provider.region)');
  });

  it('a Region kmsfix cannot read: fixed, the key named as before', async () => {
    for (const provider of ["{ name: 'aws', region: process.env.AWS_REGION as any }", "{ name: 'aws', region: pick() }", '{ ...base }']) {
      const r = await run(service(provider, 'declare const base: any; declare function pick(): any;'));
      expect(r.tables.Orders.fixed, provider).toBe(true);
      expect(r.message, provider).toContain('kmsfix found no Region for this stack');
    }
  });

  it('a map of resources the service imports and spreads: its provider.region', async () => {
    const files: MemoryFile[] = [
      {
        path: 'serverless.ts',
        text: `import type { AWS } from '@serverless/typescript';
import tables from './resources/tables';

const serverlessConfiguration: AWS = {
  service: 'shop',
  provider: { name: 'aws', region: 'eu-west-1' },
  resources: { Resources: { ...tables } },
};

module.exports = serverlessConfiguration;
`,
      },
      { path: 'resources/tables.ts', text: `export default {\n  Orders: ${TABLE},\n};\n` },
    ];
    const r = await run(files);
    expect(r.tables.Orders.fixed).toBe(false);
    expect(r.tables.Orders.declined).toContain('this table is in eu-west-1 (serverless.ts:6, provider.region)');
    expect(r.output.get('resources/tables.ts')).toBe(files[1].text);
    const same = await run(files, WEST);
    expect(same.tables.Orders.fixed).toBe(true);
  });
});
