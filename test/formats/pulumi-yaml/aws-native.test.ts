/**
 * Pulumi YAML resources of Pulumi's AWS Native provider (src/formats/pulumi-yaml/native.ts), a silent
 * miss before (the prefilter let no such file through): `aws-native:dynamodb:Table` and
 * `:GlobalTable`, read as CloudFormation's tables, reported with the step to take, never fixed.
 * fixtures/pulumi-yaml/aws-native has the statuses.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { pulumiYamlEntry } from '../../../src/formats/pulumi-yaml/entry.js';

const program = `name: native
runtime: yaml
resources:
  orders:
    type: aws-native:dynamodb:Table
    properties:
      keySchema:
        - attributeName: id
          keyType: HASH
    options:
      provider: \${west}
  global:
    type: aws-native:dynamodb:GlobalTable
    properties:
      keySchema:
        - attributeName: id
          keyType: HASH
      replicas:
        - region: us-west-2
`;

describe('Pulumi YAML aws-native tables', () => {
  it('pass the prefilter, are reported not fixable with the step, and a fix writes nothing', async () => {
    expect(pulumiYamlEntry.prefilter(program)).toBe(true);
    const r = await processMemory([{ path: 'Pulumi.yaml', text: program }], 'fix');
    expect(r.outcomes[0].error).toBeUndefined();
    expect(r.output.get('Pulumi.yaml')).toBe(program);
    const t = Object.fromEntries(r.outcomes[0].tables.map((x) => [x.address, x]));
    expect(t.orders).toMatchObject({ format: 'pulumi-yaml', type: 'aws-native:dynamodb:Table', status: 'aws-owned', fixable: false });
    // The provider option is aws-native's: the step is the aws-native one, not the classic provider's.
    expect(t.orders.message).toMatch(
      /Pulumi's AWS Native provider \(aws-native\), which kmsfix reads but does not fix: .* set its properties sseSpecification: \{ sseEnabled: true, sseType: "KMS", kmsMasterKeyId: \$\{key\.arn\} \}$/,
    );
    expect(t.global).toMatchObject({ type: 'aws-native:dynamodb:GlobalTable', status: 'aws-owned', fixable: false });
    expect(t.global.message).toMatch(
      /set each such replica's sseSpecification\.kmsMasterKeyId to its ARN; kmsfix never half-fixes a global table$/,
    );
  });
});
