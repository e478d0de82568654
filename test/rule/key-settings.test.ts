/** The key settings contract (src/rule/keySettings.ts): templates and validation. */
import { describe, expect, it } from 'vitest';
import {
  aliasParts,
  cfnSubLiteral,
  describeKey,
  frameworkVariableIn,
  keySettingsProblems,
  literalSettings,
  noFrameworkEscape,
  pulumiYamlLiteral,
  terraformLiteral,
} from '../../src/rule/keySettings.js';

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
    expect(keySettingsProblems({ tags: { team: 'a\nb', 'o\u0000': 'x', tab: 'a\tb', ok: 'Zoë 1:2/3=4+5-6@7 _.' } })).toEqual([
      'tag value of "team" must hold no control character (a line break, NUL...): KMS rejects it',
      'tag key "o\\u0000" must hold no control character (a line break, NUL...): KMS rejects it',
      'tag value of "tab" must hold no control character (a line break, NUL...): KMS rejects it',
    ]);
  });

  // Session 60: `${` and `%{` are no longer refused for every format (adversarial pass s59 F4 refused them): each format
  // writes them through its own escape, and only a Serverless service's table, whose Framework has none, is declined.
  it('takes "${" and "%{" in a description, a tag key or a tag value', () => {
    expect(
      keySettingsProblems({ description: 'DynamoDB {tables} key (${self:service}) %{team}', tags: { '${k}': '%{ if x }y%{ endif }' } }),
    ).toEqual([]);
  });

  it("writes them as each format's literal text: Terraform and CDKTF $${ and %%{, Pulumi YAML $$, a Fn::Sub ${!", () => {
    expect(terraformLiteral('a ${b} %{c} $5 100%')).toBe('a $${b} %%{c} $5 100%');
    expect(pulumiYamlLiteral('a ${b} $$ $5')).toBe('a $${b} $$$$ $$5');
    expect(cfnSubLiteral('a ${b} $5')).toBe('a ${!b} $5');
    // Around the description's placeholders, which the format fills in with the table's name as it refers to it.
    expect(literalSettings({ description: '${team}: ${tables}', tags: { '${k}': '${v}' }, multiRegion: true }, cfnSubLiteral)).toEqual({
      description: '${!team}: $' + '{tables}',
      tags: { '${!k}': '${!v}' },
      multiRegion: true,
    });
  });

  it('names the setting the Serverless Framework would resolve, and the file it declines', () => {
    expect(frameworkVariableIn({ description: 'key %{x} $5', tags: { a: 'b' } })).toBeUndefined();
    expect(frameworkVariableIn({ description: 'key ${x}' })).toBe('key.description');
    expect(frameworkVariableIn({ tags: { owner: '${team}' } })).toBe('key.tags.owner');
    expect(noFrameworkEscape('key.tags.owner', 'svc/serverless.yml')).toBe(
      'key.tags.owner holds "${", which the Serverless Framework would resolve in svc/serverless.yml as a variable of its own, and it has no escape for it: ' +
        'write that setting without "${" for this service (a .kmsfix.yml in its folder), or fix it with --kms-key-arn',
    );
  });
});
