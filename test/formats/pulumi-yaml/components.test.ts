/**
 * Tables of Pulumi YAML components (src/formats/pulumi-yaml/detect.ts componentsOf): `components:` in a YAML
 * component plugin's file or in a YAML program. Found by session 49's real-world round: such a table was
 * missed ("0 tables"). Reported now, never fixed (a step says what to write into the component).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const component = (sse: string) => `components:
  Database:
    inputs:
      tableName:
        type: string
    resources:
${sse.includes('key:') ? '      key:\n        type: aws:kms:Key\n        properties:\n          enableKeyRotation: true\n' : ''}      table:
        type: aws:dynamodb:Table
        properties:
          name: \${tableName}
          attributes:
            - name: id
              type: S
          hashKey: id
          billingMode: PAY_PER_REQUEST
${sse}    outputs:
      tableArn: \${table.arn}
`;

async function scan(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix', {});
  return r.outcomes[0];
}

describe('Pulumi YAML components', () => {
  it('a component plugin file: its table is reported, not fixed, with the step', async () => {
    const o = await scan('components/database/database.yaml', component(''));
    expect(o.tables.map((t) => [t.address, t.status, t.fixable])).toEqual([['Database.table', 'aws-owned', false]]);
    expect(o.tables[0].message).toMatch(/resource of the YAML component Database .*kmsfix does not write into components/);
    expect(o.newText).toBeUndefined();
  });

  it('a program with components beside its resources: both read', async () => {
    const program = `name: platform\nruntime: yaml\n${component('')}resources:\n  orders:\n    type: aws:dynamodb:Table\n    properties:\n      attributes:\n        - name: id\n          type: S\n      hashKey: id\n`;
    const o = await scan('Pulumi.yaml', program);
    expect(o.tables.map((t) => [t.address, t.fixable]).sort()).toEqual([
      ['Database.table', false],
      ['orders', true],
    ]);
  });

  it('a component table with its own key is customer-managed', async () => {
    const keyed = component('          serverSideEncryption:\n            enabled: true\n            kmsKeyArn: ${key.arn}\n');
    const o = await scan('database.yaml', keyed);
    expect(o.tables.map((t) => t.status)).toEqual(['customer-managed']);
  });
});
