/** The key settings contract (src/rule/keySettings.ts): templates and validation. */
import { describe, expect, it } from 'vitest';
import { aliasParts, describeKey, keySettingsProblems } from '../../src/rule/keySettings.js';

describe('key settings', () => {
  it('describes a key for one table or several; a template takes {tables} or {table}', () => {
    expect(describeKey(['Orders'])).toBe('KMS key for DynamoDB table Orders');
    expect(describeKey(['Orders', 'Carts'])).toBe('KMS key for DynamoDB tables Orders, Carts');
    expect(describeKey(['Orders'], 'team-a: {table}')).toBe('team-a: Orders');
  });

  it('splits an alias template around {table}; a shared key gets -shared after the name', () => {
    expect(aliasParts()).toEqual({ before: 'alias/dynamodb/', after: '' });
    expect(aliasParts('alias/team-a/{table}/cmk', true)).toEqual({ before: 'alias/team-a/', after: '-shared/cmk' });
  });

  it('refuses what KMS would refuse at deploy time, with a message', () => {
    expect(keySettingsProblems({ deletionWindowDays: 30, alias: 'alias/x/{table}', tags: { team: 'a' } })).toEqual([]);
    expect(keySettingsProblems({ deletionWindowDays: 5 })).toEqual(['deletion window must be a whole number of days from 7 to 30, not 5']);
    expect(keySettingsProblems({ alias: 'dynamodb/{table}' })[0]).toMatch(/must start with "alias\/"/);
    expect(keySettingsProblems({ alias: 'alias/aws/{table}' })[0]).toMatch(/reserved/);
    expect(keySettingsProblems({ alias: 'alias/x' })[0]).toMatch(/\{table\} exactly once/);
    expect(keySettingsProblems({ alias: 'alias/x.y/{table}' })[0]).toMatch(/only A-Z/);
    expect(keySettingsProblems({ tags: { 'aws:x': 'y' } })[0]).toMatch(/not start with "aws:"/);
  });

  // Adversarial pass s59 F4: written as it is, Pulumi YAML, CDKTF and the Serverless Framework read `${...}` as theirs.
  // Adversarial pass 2 of s59 F7: CDKTF passes a string to Terraform JSON, which reads `%{` as a template directive.
  it('refuses "%{" in a description, a tag key or a tag value', () => {
    expect(keySettingsProblems({ description: 'DynamoDB {tables} key %{team}' })[0]).toMatch(/^description must not hold/);
    expect(keySettingsProblems({ tags: { owner: '%{ if x }y%{ endif }' } })[0]).toMatch(/^tag value of owner must not hold/);
    expect(keySettingsProblems({ tags: { '%{k}': 'a' } })[0]).toMatch(/^tag key must not hold/);
    expect(keySettingsProblems({ description: 'DynamoDB {tables} key, 100% {tables}' })).toEqual([]);
  });

  it('refuses "${" in a description, a tag key or a tag value', () => {
    expect(keySettingsProblems({ description: 'DynamoDB {tables} key (${self:service})' })).toEqual([
      'description must not hold "${" or "%{" (Pulumi YAML, CDK for Terraform and the Serverless Framework would read it as an interpolation or a Terraform template directive of theirs): DynamoDB {tables} key (${self:service})',
    ]);
    expect(keySettingsProblems({ tags: { owner: '${team}' } })[0]).toMatch(/^tag value of owner must not hold "\$\{"/);
    expect(keySettingsProblems({ tags: { '${team}': 'a' } })[0]).toMatch(/^tag key must not hold "\$\{"/);
    expect(keySettingsProblems({ description: 'cost $5 {table}', tags: { owner: '{team}', price: '$' } })).toEqual([]);
  });
});
