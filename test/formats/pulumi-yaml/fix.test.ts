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

  it('programs fixed in one run: each policy names its own lookups (the policy is built once per mode and names)', async () => {
    const lookup = (name: string, fn: string, ret: string) => `  ${name}:\n    fn::invoke:\n      function: ${fn}\n      return: ${ret}\n`;
    const own = `variables:\n${lookup('acct', 'aws:getCallerIdentity', 'accountId')}${lookup('part', 'aws:getPartition', 'partition')}${lookup('where', 'aws:getRegion', 'name')}`;
    const files = [
      { path: 'a/Pulumi.yaml', text: `name: a\nruntime: yaml\nresources:\n${table('orders')}` },
      { path: 'b/Pulumi.yaml', text: `name: b\nruntime: yaml\n${own}resources:\n${table('orders')}` },
      { path: 'c/Pulumi.yaml', text: `name: c\nruntime: yaml\nresources:\n${table('orders')}` },
      { path: 'd/Pulumi.yaml', text: `name: d\nruntime: yaml\n${own}resources:\n${table('orders')}` },
    ];
    for (const keyPolicy of ['drop-in', 'iam'] as const) {
      const r = await processMemory(files, 'fix', { keyPolicy });
      const policyOf = (p: string) => {
        const out = r.output.get(p)!;
        return out.slice(out.indexOf('  dynamodbKeyPolicy:'), out.indexOf('resources:'));
      };
      for (const p of ['a', 'c']) {
        expect(policyOf(`${p}/Pulumi.yaml`)).toContain('${accountId}');
        expect(policyOf(`${p}/Pulumi.yaml`)).not.toContain('${acct}');
      }
      for (const p of ['b', 'd']) {
        expect(policyOf(`${p}/Pulumi.yaml`)).toContain('${acct}');
        expect(policyOf(`${p}/Pulumi.yaml`)).not.toContain('${accountId}');
        expect(r.output.get(`${p}/Pulumi.yaml`)!.match(/fn::invoke/g)).toHaveLength(3);
      }
      expect(policyOf('a/Pulumi.yaml')).toBe(policyOf('c/Pulumi.yaml'));
      expect(policyOf('b/Pulumi.yaml')).toBe(policyOf('d/Pulumi.yaml'));
      if (keyPolicy === 'iam') expect(policyOf('a/Pulumi.yaml')).toContain('${partition}');
    }
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

describe('Pulumi YAML: alias names from table names', () => {
  const named = (name: string, value: string) => table(name).replace('      hashKey: id\n', `      name: ${value}\n      hashKey: id\n`);

  it("a computed name may hold a '.' when deployed: the alias splits it there and joins with '-'; a literal name is written safe", async () => {
    const text = `name: p\nruntime: yaml\nresources:\n${named('entries', '${pulumi.stack}.entries')}${named('plain', 'plain.v1')}${table('audit')}`;
    const r = await processMemory([{ path: 'Pulumi.yaml', text }], 'fix');
    expect(r.outcomes[0].error).toBeUndefined();
    const out = r.output.get('Pulumi.yaml')!;
    expect(out).toContain(
      "  entriesKeyAlias:\n    type: aws:kms:Alias\n    properties:\n      name:\n        fn::join:\n          - '-'\n          - fn::split:\n              - '.'\n              - alias/dynamodb/${entries.name}\n",
    );
    expect(out).toContain('      name: alias/dynamodb/plain-v1\n');
    // Pulumi names a table without a name after its logical name (no '.' can be referenced): as it is.
    expect(out).toContain('      name: alias/dynamodb/${audit.name}\n');
    const again = await processMemory([{ path: 'Pulumi.yaml', text: out }], 'fix');
    expect(again.output.get('Pulumi.yaml') ?? out).toBe(out);
  });
});

describe('Pulumi YAML: names a fix adds', () => {
  it('a config or configuration key is a name taken (pulumi up rejects a variable named as one)', async () => {
    for (const block of ['config', 'configuration']) {
      const text = `name: p\nruntime: yaml\n${block}:\n  region:\n    type: string\n    default: eu-west-1\n  accountId:\n    type: string\nresources:\n  east:\n    type: pulumi:providers:aws\n    properties:\n      region: \${region}\n${table('orders')}`;
      const r = await processMemory([{ path: 'Pulumi.yaml', text }], 'fix');
      expect(r.outcomes[0].tables.map((t) => t.fixed)).toEqual([true]);
      const out = r.output.get('Pulumi.yaml')!;
      const variables = out.slice(out.indexOf('\nvariables:\n'));
      expect(variables, block).toMatch(/^ {2}region2:$/m);
      expect(variables, block).toMatch(/^ {2}accountId2:$/m);
      expect(variables, block).not.toMatch(/^ {2}(region|accountId):$/m);
      expect(out).toContain('dynamodb.${region2}.amazonaws.com');
    }
  });
});
