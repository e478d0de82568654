/**
 * `@pulumi/cloud`'s and `@pulumi/cloud-aws`'s `Table` create an `aws.dynamodb.Table` with the AWS owned key and
 * take no encryption setting: reported at the call, never fixed (mikhailshilkov/fosdem2019 was a silent miss).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

describe("Pulumi Cloud's Table", () => {
  it('@pulumi/cloud and @pulumi/cloud-aws: aws-owned, not fixable, the step says what to write instead', async () => {
    const files = [
      { path: 'a/index.ts', text: 'import * as cloud from "@pulumi/cloud";\n\nconst urls = new cloud.Table("urls", "name");\n' },
      { path: 'b/index.ts', text: 'import { Table } from "@pulumi/cloud-aws";\n\nexport const t = new Table("orders");\n' },
      // Another library's Table, and @pulumi/cloud's other resources: none.
      {
        path: 'c/index.ts',
        text: 'import * as cloud from "@pulumi/cloud";\nimport { Table } from "./table";\n\nnew cloud.API("api");\nnew Table("x");\n',
      },
    ];
    const [scan, fix] = await Promise.all([processMemory(files, 'scan'), processMemory(files, 'fix')]);
    const rows = scan.outcomes.flatMap((o) => o.tables.map((t) => [o.file.path, t.address, t.type, t.status, t.fixable]));
    expect(rows).toEqual([
      ['a/index.ts', 'urls', '@pulumi/cloud.Table', 'aws-owned', false],
      ['b/index.ts', 'orders', '@pulumi/cloud-aws.Table', 'aws-owned', false],
    ]);
    expect(scan.outcomes[0].tables[0].blocker).toContain('replace it with an aws.dynamodb.Table with serverSideEncryption');
    expect(fix.outcomes.every((o) => o.newText === undefined || o.newText === o.file.text)).toBe(true);
  });

  // Real-world round 44, F2: pulumi/pulumi-cloud's azure/examples/table was reported aws-owned (scan exit 1).
  const program = 'import * as cloud from "@pulumi/cloud";\n\nexport const t = new cloud.Table("myTable");\n';
  const tables = async (files: Record<string, string>) => {
    const r = await processMemory(
      Object.entries({ 'p/index.ts': program, 'p/Pulumi.yaml': 'name: t\nruntime: nodejs\n', ...files }).map(([path, text]) => ({
        path,
        text,
      })),
      'scan',
    );
    return r.outcomes.find((o) => o.file.path === 'p/index.ts')!.tables.map((t) => [t.address, t.status]);
  };
  const stack = (provider: string) => `config:\n  cloud:provider: ${provider}\n`;

  it('@pulumi/cloud on stacks that all pick another cloud (cloud:provider): no DynamoDB table', async () => {
    expect(await tables({ 'p/Pulumi.dev.yaml': stack('azure') })).toEqual([]);
    expect(await tables({ 'p/Pulumi.dev.yaml': stack('azure'), 'p/Pulumi.prod.yaml': stack('gcp') })).toEqual([]);
    // The project's default, under config:, for a stack that sets none.
    expect(
      await tables({
        'p/Pulumi.yaml': 'name: t\nruntime: nodejs\nconfig:\n  cloud:provider: azure\n',
        'p/Pulumi.dev.yaml': 'config: {}\n',
      }),
    ).toEqual([]);
  });

  it('@pulumi/cloud with one stack on aws, or one that does not say: still reported', async () => {
    expect(await tables({ 'p/Pulumi.dev.yaml': stack('azure'), 'p/Pulumi.prod.yaml': stack('aws') })).toEqual([['myTable', 'aws-owned']]);
    expect(await tables({ 'p/Pulumi.dev.yaml': stack('azure'), 'p/Pulumi.prod.yaml': 'config: {}\n' })).toEqual([['myTable', 'aws-owned']]);
    expect(await tables({})).toEqual([['myTable', 'aws-owned']]);
  });

  it("with no stack setting cloud:provider, the package.json's backend: another cloud's alone, no table", async () => {
    const pkg = (deps: string[]) =>
      JSON.stringify({ dependencies: Object.fromEntries(['@pulumi/cloud', ...deps].map((d) => [d, '^0.40.0'])) });
    expect(await tables({ 'p/package.json': pkg(['@pulumi/cloud-azure']) })).toEqual([]);
    expect(await tables({ 'p/package.json': pkg(['@pulumi/cloud-azure', '@pulumi/cloud-aws']) })).toEqual([['myTable', 'aws-owned']]);
    expect(await tables({ 'p/package.json': pkg(['@pulumi/cloud-aws']) })).toEqual([['myTable', 'aws-owned']]);
  });
});
