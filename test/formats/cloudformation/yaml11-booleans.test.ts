/**
 * CloudFormation parses templates as YAML 1.1, where a plain `yes`, `on` (any of their cases) is
 * true and `no`, `off` false (`y` and `n` stay strings). A SAM or CloudFormation template's
 * `SSEEnabled: yes` is an enabled SSE (aws-managed, fixed, the `yes` kept as written); quoted, in
 * JSON, or in a serverless.yml (the Serverless Framework reads YAML 1.2 and sends JSON) it is not a
 * boolean, and the table stays unknown.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (name: string, enabled: string, indent = '  ') =>
  `${indent}${name}:\n${indent}  Type: AWS::DynamoDB::Table\n${indent}  Properties:\n${indent}    KeySchema: [{ AttributeName: id, KeyType: HASH }]\n${indent}    SSESpecification:\n${indent}      SSEEnabled: ${enabled}\n`;

async function run(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix', {});
  expect(r.outcomes[0].error).toBeUndefined();
  return { by: new Map(r.outcomes[0].tables.map((t) => [t.address, t])), out: r.output.get(path) ?? text };
}

describe("CloudFormation's YAML 1.1 booleans", () => {
  it('a template: plain yes/YES/On are true, No/off false; y, quoted "yes" are not booleans', async () => {
    const text = `Resources:\n${[
      table('Yes1', 'yes'),
      table('Yes2', 'YES'),
      table('On1', 'On'),
      table('No1', 'No'),
      table('Off1', 'off'),
      table('Y1', 'y'),
      table('Quoted', '"yes"'),
    ].join('')}`;
    const { by, out } = await run('template.yaml', text);
    for (const t of ['Yes1', 'Yes2', 'On1']) expect(by.get(t)!.status, t).toBe('aws-managed');
    for (const t of ['No1', 'Off1']) expect(by.get(t)!.status, t).toBe('aws-owned');
    for (const t of ['Y1', 'Quoted']) expect(by.get(t)!.status, t).toBe('unknown');
    // The fix keeps a `yes` CloudFormation already reads as true, and sets the others.
    expect(out).toContain('        SSEEnabled: yes\n        SSEType: KMS\n        KMSMasterKeyId: !GetAtt Yes1Key.Arn\n');
    expect(out).toContain('        SSEEnabled: true\n        SSEType: KMS\n        KMSMasterKeyId: !GetAtt No1Key.Arn\n');
    // Fixing the output again changes nothing.
    expect((await run('template.yaml', out)).out).toBe(out);
  });

  it('a serverless.yml and a JSON template: yes is a string, the table unknown', async () => {
    const sls = `service: s\nprovider:\n  name: aws\nresources:\n  Resources:\n${table('T', 'yes', '    ')}`;
    expect((await run('serverless.yml', sls)).by.get('T')!.status).toBe('unknown');
    const json = JSON.stringify({
      Resources: { T: { Type: 'AWS::DynamoDB::Table', Properties: { SSESpecification: { SSEEnabled: 'yes' } } } },
    });
    expect((await run('template.json', json)).by.get('T')!.status).toBe('unknown');
  });
});
