/**
 * Pulumi YAML tables with `replicas` (src/formats/pulumi-yaml/detect.ts `replicasOf`): read replica by
 * replica as the TypeScript Pulumi table is, never fixed (a KMS key serves one Region), and unknown
 * when the replicas cannot be read. fixtures/pulumi-yaml/replicas has the readable cases, fixed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const program = (tables: string) => `name: global
runtime: yaml
config:
  keyArn:
    type: string
  regions:
    type: array
resources:
${tables}`;

const table = (name: string, extra: string) => `  ${name}:
    type: aws:dynamodb:Table
    properties:
      hashKey: id
      attributes:
        - name: id
          type: S
${extra}`;

const CMK = `      serverSideEncryption:
        enabled: true
        kmsKeyArn: \${keyArn}
`;

async function scan(text: string) {
  const r = await processMemory([{ path: 'Pulumi.yaml', text }], 'scan');
  expect(r.outcomes[0].error).toBeUndefined();
  return Object.fromEntries(r.outcomes[0].tables.map((t) => [t.address, { status: t.status, fixable: t.fixable, message: t.message }]));
}

describe('Pulumi YAML replicas', () => {
  it('a replica without a key of its own: the AWS managed key of its Region decides, with the step to take; never fixed', async () => {
    const t = await scan(
      program(
        table(
          'withKey',
          `${CMK}      replicas:\n        - regionName: eu-west-1\n          kmsKeyArn: \${keyArn}\n        - regionName: us-west-2\n`,
        ) + table('noKey', '      replicas:\n        - regionName: us-west-2\n'),
      ),
    );
    expect(t.withKey).toMatchObject({ status: 'aws-managed', fixable: false });
    expect(t.withKey.message).toMatch(/^SSE is enabled with no replica us-west-2 kmsKeyArn/);
    expect(t.withKey.message).toMatch(/set each such replica's kmsKeyArn to its ARN; kmsfix never half-fixes a global table$/);
    expect(t.noKey).toMatchObject({ status: 'aws-owned', fixable: false });
    const input = program(table('noKey', '      replicas:\n        - regionName: us-west-2\n'));
    const fixed = await processMemory([{ path: 'Pulumi.yaml', text: input }], 'fix');
    expect(fixed.outcomes[0].newText).toBeUndefined();
    expect(fixed.output.get('Pulumi.yaml')).toBe(input);
  });

  it('replicas from an expression, or a replica that is not a mapping: unknown when the table key is customer-managed', async () => {
    const t = await scan(
      program(table('fromConfig', `${CMK}      replicas: \${regions}\n`) + table('bare', `${CMK}      replicas:\n        - us-west-2\n`)),
    );
    expect(t.fromConfig).toMatchObject({ status: 'unknown', fixable: false });
    expect(t.fromConfig.message).toMatch(/replicas is \$\{regions\}/);
    expect(t.bare).toMatchObject({ status: 'unknown', fixable: false });
    expect(t.bare.message).toMatch(/replica us-west-2/);
  });

  it('every replica with a customer-managed key, or an empty list: as without replicas', async () => {
    const t = await scan(
      program(
        table('global', `${CMK}      replicas:\n        - regionName: us-west-2\n          kmsKeyArn: \${keyArn}\n`) +
          table('empty', '      replicas: []\n'),
      ),
    );
    expect(t.global).toMatchObject({ status: 'customer-managed' });
    expect(t.empty).toMatchObject({ status: 'aws-owned', fixable: true });
  });
});
