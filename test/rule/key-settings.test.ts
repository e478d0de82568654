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
});
