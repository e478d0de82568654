/**
 * A suppression comment's text inside a string value is no comment (adversarial pass of session 61, F8): a tag's
 * `Value: |` block scalar holding a line `# kmsfix:ignore legacy`, or a quoted value over lines, made its table
 * `suppressed` (compliant, never fixed). kmsfix's own comment is read only where YAML has a comment; Checkov's,
 * which Checkov finds by reading the resource's lines, counts under `--profile checkov` only, not under strict.
 * The same for the comment lines above a resource, when they are the previous resource's block scalar.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

const table = (id: string, tail: string) => `  ${id}:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
${tail}`;

const blockTag = (line: string) => `      Tags:
        - Key: note
          Value: |
            ${line}
`;

async function statuses(path: string, text: string, profile?: 'checkov') {
  const r = await processMemory([{ path, text }], 'scan', profile ? { profile } : {});
  expect(r.outcomes[0].error).toBeUndefined();
  return r.outcomes[0].tables.map((t) => [t.address, t.status]);
}

describe('a suppression written inside a string value', () => {
  it("kmsfix's own in a block scalar of the resource: not read", async () => {
    const text = `Resources:\n${table('T', blockTag('# kmsfix:ignore legacy'))}`;
    expect(await statuses('t.yaml', text)).toEqual([['T', 'aws-owned']]);
  });

  it("kmsfix's own in a double-quoted value over lines (serverless.yml): not read", async () => {
    const text =
      'service: s\nprovider:\n  name: aws\nresources:\n  Resources:\n' +
      table('T', '      Tags:\n        - Key: note\n          Value: "a\n            # kmsfix:ignore folded"\n')
        .split('\n')
        .map((l) => (l ? `  ${l}` : l))
        .join('\n');
    expect(await statuses('serverless.yml', text)).toEqual([['T', 'aws-owned']]);
  });

  it("Checkov's in a block scalar: under --profile checkov (Checkov reads the lines), not under strict", async () => {
    const text = `Resources:\n${table('T', blockTag('#checkov:skip=CKV_AWS_119:legacy'))}`;
    expect(await statuses('t.yaml', text)).toEqual([['T', 'aws-owned']]);
    expect(await statuses('t.yaml', text, 'checkov')).toEqual([['T', 'suppressed']]);
  });

  it("the previous resource's block scalar above a table is not a comment above it", async () => {
    const text = `Resources:\n${table('A', blockTag('# kmsfix:ignore legacy'))}${table('B', '')}`;
    expect(await statuses('t.yaml', text)).toEqual([
      ['A', 'aws-owned'],
      ['B', 'aws-owned'],
    ]);
  });

  it('a real comment still counts: on its own line inside the resource, and above it', async () => {
    const inside = `Resources:\n${table('T', '      # kmsfix:ignore legacy\n      Tags: []\n')}`;
    expect(await statuses('t.yaml', inside)).toEqual([['T', 'suppressed']]);
    const above = `Resources:\n  # kmsfix:ignore legacy\n${table('T', '')}`;
    expect(await statuses('t.yaml', above)).toEqual([['T', 'suppressed']]);
  });

  it('Pulumi YAML: a block scalar of the resource above is not a comment above the table', async () => {
    const text = `name: p
runtime: yaml
resources:
  note:
    type: aws:ssm:Parameter
    properties:
      value: |
        # kmsfix:ignore legacy
  t:
    type: aws:dynamodb:Table
    properties:
      hashKey: id
      attributes: [{name: id, type: S}]
`;
    expect(await statuses('Pulumi.yaml', text)).toEqual([['t', 'aws-owned']]);
  });

  // Adversarial pass 2 of session 61, F8: a comment after a resource's last value, on its line or on lines of its own
  // below it indented past the resource's key, is inside the resource (Checkov reads it through its end line).
  it("a comment on the resource's last line, or below it inside the resource, counts; one at the next key's indentation is the next table's", async () => {
    const last = `Resources:\n${table('T', '')}`.replace('KeyType: HASH}]\n', 'KeyType: HASH}] # kmsfix:ignore legacy\n');
    expect(await statuses('t.yaml', last)).toEqual([['T', 'suppressed']]);
    const below = `Resources:\n${table('T', '      # kmsfix:ignore legacy\n')}${table('B', '')}`;
    expect(await statuses('t.yaml', below)).toEqual([
      ['T', 'suppressed'],
      ['B', 'aws-owned'],
    ]);
    const checkov = `Resources:\n${table('T', '      #checkov:skip=CKV_AWS_119:legacy\n')}`;
    expect(await statuses('t.yaml', checkov, 'checkov')).toEqual([['T', 'suppressed']]);
    const next = `Resources:\n${table('A', '')}  # kmsfix:ignore legacy\n${table('B', '')}`;
    expect(await statuses('t.yaml', next)).toEqual([
      ['A', 'aws-owned'],
      ['B', 'suppressed'],
    ]);
  });
});
