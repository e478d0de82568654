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
});
