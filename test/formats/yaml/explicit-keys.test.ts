/**
 * YAML explicit keys (`? T` / `: Type: ...`), valid and cfn-lint clean: a fix placed the generated key
 * inside the table (the columns of `? ` and `: ` shift the value mapping) and failed its own
 * verification with no line:column (adversarial pass on input shapes, session 50). Such a table is
 * declined at scan time, with file:line:column of the `?` (src/formats/yaml/explicitKeys.ts).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const BODY = `Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
      BillingMode: PAY_PER_REQUEST
`;

describe('explicit YAML keys', () => {
  it('CloudFormation: a resource written `? T`, and the tables beside it, are not fixable, say where the key is, and fix leaves the file alone', async () => {
    // (The key and alias of a table beside it went inside T too: added after the table, at the indentation of T's key.)
    const text = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  ? T\n  : ${BODY}  Plain:\n    ${BODY}`;
    const scan = (await processMemory([{ path: 'template.yaml', text }], 'scan')).outcomes[0];
    expect(scan.tables.map((t) => [t.address, t.fixable])).toEqual([
      ['T', false],
      ['Plain', false],
    ]);
    for (const t of scan.tables) expect(t.message).toContain('the explicit YAML key at template.yaml:3:3 (`? Key` then `: value`)');
    const f = await processMemory([{ path: 'template.yaml', text }], 'fix');
    expect(f.outcomes[0].error).toBeUndefined();
    expect(f.output.get('template.yaml')).toBe(text);
  });

  it('an explicit key inside the resource counts too, on its own line or alone above the key', async () => {
    const inside = `Resources:\n  T:\n    ${BODY.replace('    Properties:\n', '    ? Properties\n    :\n')}`;
    const scan = (await processMemory([{ path: 't.yaml', text: inside }], 'scan')).outcomes[0];
    expect(scan.tables[0].fixable).toBe(false);
    expect(scan.tables[0].message).toContain('the explicit YAML key at t.yaml:4:5');
    const above = `Resources:\n  ?\n    T\n  : ${BODY}`;
    const s2 = (await processMemory([{ path: 't.yaml', text: above }], 'scan')).outcomes[0];
    expect(s2.tables[0].message).toContain('the explicit YAML key at t.yaml:2:3');
  });

  it('a `?` in a value, or an explicit key outside the resources, does not count', async () => {
    const text = `Resources:\n  T:\n    Metadata:\n      Note: "why?"\n      Q: is it ? yes\n    ${BODY}Outputs:\n  ? Name\n  : Value: !Ref T\n`;
    const scan = (await processMemory([{ path: 't.yaml', text }], 'scan')).outcomes[0];
    expect(scan.tables[0].fixable).toBe(true);
  });

  it('Pulumi YAML: a resource written `? orders` is not fixable, with where', async () => {
    const text =
      'name: app\nruntime: yaml\nresources:\n  ? orders\n  : type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n      attributes:\n        - name: id\n          type: S\n';
    const scan = (await processMemory([{ path: 'Pulumi.yaml', text }], 'scan')).outcomes[0];
    expect(scan.tables[0].fixable).toBe(false);
    expect(scan.tables[0].message).toContain('the explicit YAML key at Pulumi.yaml:4:3');
  });
});
