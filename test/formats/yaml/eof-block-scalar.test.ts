/**
 * A file that ends inside a block scalar with no line break after its last line: clip and keep
 * chomping give the value a final line break only when one follows, so what a fix appends after it
 * would change the value (a description, a tag); `yaml` reads the scalar as if the line break were
 * there, so verification could not tell. The fix is declined, with the step; with strip chomping (`|-`)
 * or a final line break, the file is fixed as any other.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const TABLE = 'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n';

it.each([
  [
    'literal, in the table’s Metadata',
    `${TABLE}    Metadata:\n      Notes: |\n        Orders table.\n        Owned by team-orders.`,
    'template.yaml',
    false,
  ],
  [
    'literal, in the template’s Metadata after Resources (the key goes before it)',
    `${TABLE}Metadata:\n  Notes: |\n    x`,
    'template.yaml',
    true,
  ],
  [
    'folded, as the table’s last tag',
    `${TABLE}      Tags:\n        - Key: a\n          Value: >\n            folded text`,
    'template.yaml',
    false,
  ],
  ['keep chomping with an indentation indicator', `${TABLE}    Metadata:\n      Notes: |2+\n          x`, 'template.yaml', false],
  [
    'literal, in a resource after the table (the key goes between them)',
    `${TABLE}  Topic:\n    Type: AWS::SNS::Topic\n    Metadata:\n      Notes: |\n        x`,
    'template.yaml',
    true,
  ],
  [
    'Pulumi YAML, in a resource after the table',
    'name: p\nruntime: yaml\nresources:\n  t:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n  topic:\n    type: aws:sns:Topic\n    properties:\n      policy: |\n        {}',
    'Pulumi.yaml',
    true,
  ],
  [
    'Pulumi YAML variables',
    'name: p\nruntime: yaml\nresources:\n  t:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\nvariables:\n  v: |\n    hello\n    world',
    'Pulumi.yaml',
    false,
  ],
  ['strip chomping', `${TABLE}    Metadata:\n      Notes: |-\n        x`, 'template.yaml', true],
  ['a final line break', `${TABLE}    Metadata:\n      Notes: |\n        x\n`, 'template.yaml', true],
  ['a plain scalar last', `${TABLE}    Metadata:\n      Notes: x`, 'template.yaml', true],
])('%s: fixed %s (and scan says so first)', async (_, text, file, fixed) => {
  // Scan tells it before any plan: a table it calls fixable is one the fix does not decline for this.
  const scanned = (await processMemory([{ path: file, text }], 'scan')).outcomes[0].tables[0];
  expect(scanned.fixable).toBe(fixed);
  const r = await processMemory([{ path: file, text }], 'fix');
  const t = r.outcomes[0].tables[0];
  expect(t.fixed ?? false).toBe(fixed);
  if (!fixed) {
    expect(r.output.get(file)).toBe(text);
    expect(t.message).toContain('the file ends inside a block scalar (| or >) with no line break after its last line');
  }
});

it('with --kms-key-arn, a scalar outside the table’s properties stops nothing (no key or alias is added after it); one inside them does', async () => {
  const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const metadata = `${TABLE}    Metadata:\n      Notes: |\n        x`;
  const tags = `${TABLE}      Tags:\n        - Key: a\n          Value: |\n            x`;
  const pulumi =
    'name: p\nruntime: yaml\nresources:\n  t:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\nvariables:\n  v: |\n    hello';
  for (const [file, text, fixed] of [
    ['template.yaml', metadata, true],
    ['template.yaml', tags, false],
    ['Pulumi.yaml', pulumi, true],
  ] as const) {
    const scanned = (await processMemory([{ path: file, text }], 'scan', { kmsKeyArn: arn })).outcomes[0].tables[0];
    const r = await processMemory([{ path: file, text }], 'fix', { kmsKeyArn: arn });
    expect([scanned.fixable, r.outcomes[0].tables[0].fixed ?? false], text).toEqual([fixed, fixed]);
    if (fixed) expect(r.output.get(file)!.endsWith(text.slice(text.lastIndexOf('\n')))).toBe(true);
  }
});
