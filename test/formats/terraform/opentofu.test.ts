/**
 * OpenTofu's files (https://opentofu.org/docs/language/files/): `.tofu` and `.tofu.json` hold module code
 * as `.tf` and `.tf.json` do, and a `.tofu` file stands in for the `.tf` file of the same base name
 * under OpenTofu, which Terraform alone reads. A project of `.tofu` files is read and fixed as Terraform's
 * (thienhaole92/opentofu-aws-backend scanned as "0 tables", exit 0); twins are reported and not fixed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const TABLE = `resource "aws_dynamodb_table" "locks" {
  name         = "locks"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "LockID"

  attribute {
    name = "LockID"
    type = "S"
  }
}
`;

describe('OpenTofu files', () => {
  it('a .tofu file is read and fixed as the same text in a .tf file is', async () => {
    const [tofu, tf] = await Promise.all([
      processMemory([{ path: 'main.tofu', text: TABLE }], 'fix'),
      processMemory([{ path: 'main.tf', text: TABLE }], 'fix'),
    ]);
    expect(tofu.outcomes[0].tables.map((t) => [t.address, t.status, t.fixed])).toEqual([['aws_dynamodb_table.locks', 'aws-owned', true]]);
    const out = tofu.output.get('main.tofu')!;
    expect(out).toContain('kms_key_arn = aws_kms_key.locks.arn');
    expect(out).toBe(tf.output.get('main.tf'));
  });

  it('.tofu.json, and a module of .tofu files whose variables are in another .tofu file', async () => {
    const json = JSON.stringify({
      resource: { aws_dynamodb_table: { t: { name: 't', hash_key: 'id', attribute: [{ name: 'id', type: 'S' }] } } },
    });
    const [j] = (await processMemory([{ path: 'main.tofu.json', text: json }], 'scan')).outcomes[0].tables;
    expect([j.address, j.status]).toEqual(['aws_dynamodb_table.t', 'aws-owned']);
    const withVar = TABLE.replace(
      '  hash_key     = "LockID"\n',
      '  hash_key     = "LockID"\n\n  server_side_encryption {\n    enabled = var.sse\n  }\n',
    );
    const files = [
      { path: 'main.tofu', text: withVar },
      { path: 'variables.tofu', text: 'variable "sse" {\n  default = true\n}\n' },
    ];
    const [v] = (await processMemory(files, 'scan')).outcomes.find((o) => o.file.path === 'main.tofu')!.tables;
    expect(v.status).toBe('aws-managed');
    expect(v.message).toContain('sse defaults to true (variables.tofu:1)');
  });

  it('x.tf beside x.tofu: both reported, neither fixed, the step naming both', async () => {
    const files = [
      { path: 'table.tf', text: TABLE },
      { path: 'table.tofu', text: TABLE },
    ];
    const r = await processMemory(files, 'fix');
    for (const o of r.outcomes) {
      const [t] = o.tables;
      expect([o.file.path, t.fixable, t.fixed ?? false]).toEqual([o.file.path, false, false]);
      expect(t.blocker).toContain('table.tofu beside table.tf: OpenTofu reads table.tofu in place of table.tf');
      expect(r.output.get(o.file.path) ?? o.file.text).toBe(TABLE);
    }
    // Another base name is no twin.
    const apart = await processMemory(
      [
        { path: 'table.tf', text: TABLE },
        { path: 'other.tofu', text: '# nothing\n' },
      ],
      'scan',
    );
    expect(apart.outcomes.find((o) => o.file.path === 'table.tf')!.tables[0].fixable).toBe(true);
  });
});
