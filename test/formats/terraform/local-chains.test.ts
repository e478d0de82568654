/**
 * Locals read through locals (src/formats/terraform/expression.ts: each local's value evaluated once per module,
 * a cycle or a chain past 64 references not known). Found by session 49's adversarial pass on time: locals that each
 * read the next two made a scan exponential (16 locals, 51 s; the message 35 KB for 10); a chain of 17 locals ending
 * in the AWS managed key, and two locals reading each other, were customer-managed (exit 0).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (key: string) => `resource "aws_dynamodb_table" "t" {
  name         = "t"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = ${key}
  }
}
`;

async function scan(locals: string[]) {
  const text = `locals {\n${locals.map((l) => `  ${l}`).join('\n')}\n}\n\n${table('local.l0')}`;
  const t = (await processMemory([{ path: 'main.tf', text }], 'scan', {})).outcomes[0].tables[0];
  return { status: t.status, reason: t.reason ?? '' };
}

const last = (n: number) => [`l${n} = "alias/aws/dynamodb"`, `l${n + 1} = null`];

describe('locals read through locals', () => {
  it('each read once: 60 locals that each read the next two are the AWS managed key, said once', async () => {
    const dag = Array.from({ length: 60 }, (_, i) => `l${i} = local.l${i + 1} != null ? local.l${i + 1} : local.l${i + 2}`);
    const r = await scan([...dag, ...last(60)]);
    expect(r.status).toBe('aws-managed');
    expect(r.reason).toContain('local.l60 = "alias/aws/dynamodb"');
    expect(r.reason.length).toBeLessThan(2000);
  });

  it('a chain of 40 locals is followed to its end', async () => {
    const chain = Array.from({ length: 40 }, (_, i) => `l${i} = local.l${i + 1}`);
    expect((await scan([...chain, ...last(40)])).status).toBe('aws-managed');
  });

  it('a chain past 64 references, or a cycle, is not known (never the user’s key)', async () => {
    const chain = Array.from({ length: 100 }, (_, i) => `l${i} = local.l${i + 1}`);
    const long = await scan([...chain, ...last(100)]);
    expect(long.status).toBe('unknown');
    expect(long.reason).toMatch(/is read through more than 64 references/);
    const cycle = await scan(['l0 = local.l1', 'l1 = local.l0']);
    expect(cycle.status).toBe('unknown');
    expect(cycle.reason).toMatch(/local\.l\d refers to itself/);
  });
});
