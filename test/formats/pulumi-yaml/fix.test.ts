/**
 * Pulumi YAML fixes beyond the fixture pairs: a later run reuses the key policy variable and the
 * lookups an earlier fix declared (one policy per program, never a second copy).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (name: string) =>
  `  ${name}:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n      attributes:\n        - name: id\n          type: S\n`;

describe('Pulumi YAML: one key policy per program', () => {
  it('a table added after a fix gets a key that names the policy already there', async () => {
    const first = await processMemory([{ path: 'Pulumi.yaml', text: `name: p\nruntime: yaml\nresources:\n${table('orders')}` }], 'fix');
    const fixed = first.output.get('Pulumi.yaml')!;
    expect(fixed.match(/fn::toJSON/g)).toHaveLength(1);
    const second = await processMemory([{ path: 'Pulumi.yaml', text: fixed + table('returns') }], 'fix');
    expect(second.outcomes[0].error).toBeUndefined();
    const out = second.output.get('Pulumi.yaml')!;
    expect(out.match(/fn::toJSON/g)).toHaveLength(1);
    expect(out.match(/fn::invoke/g)).toHaveLength(3);
    expect(out).toContain('  returnsKey:\n    type: aws:kms:Key\n');
    expect(out.match(/policy: '\$\{dynamodbKeyPolicy\}'/g)).toHaveLength(2);
  });

  it('an iam policy is not taken for a drop-in one', async () => {
    const first = await processMemory([{ path: 'Pulumi.yaml', text: `name: p\nruntime: yaml\nresources:\n${table('orders')}` }], 'fix', {
      keyPolicy: 'iam',
    });
    const second = await processMemory([{ path: 'Pulumi.yaml', text: first.output.get('Pulumi.yaml')! + table('returns') }], 'fix');
    const out = second.output.get('Pulumi.yaml')!;
    expect(out.match(/fn::toJSON/g)).toHaveLength(2);
    expect(out).toContain('dynamodbKeyPolicy2:');
    expect(out.match(/fn::invoke/g)).toHaveLength(3);
  });

  it('an empty `variables:` gets the declarations, not a second `variables` key', async () => {
    const r = await processMemory(
      [{ path: 'Pulumi.yaml', text: `name: p\nruntime: yaml\nvariables:\nresources:\n${table('orders')}` }],
      'fix',
    );
    expect(r.outcomes[0].error).toBeUndefined();
    const out = r.output.get('Pulumi.yaml')!;
    expect(out.match(/^variables:/gm)).toHaveLength(1);
    expect(out).toMatch(/^variables:\n  accountId:\n/m);
  });
});
