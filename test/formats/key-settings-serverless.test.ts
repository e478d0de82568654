/**
 * A key setting holding `${` (src/rule/keySettings.ts): every format writes it as text (fixtures *-key-settings-interpolation),
 * but a Serverless service's, whose Framework resolves `${...}` and has no escape for it: its tables are declined, naming
 * the setting and the service's file (serverless.yml, and serverless.ts); the other settings fix them.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

const YML =
  'service: orders\nprovider:\n  name: aws\nresources:\n  Resources:\n    Orders:\n      Type: AWS::DynamoDB::Table\n' +
  '      Properties:\n        KeySchema: [{AttributeName: pk, KeyType: HASH}]\n';
const TS =
  "import type { AWS } from '@serverless/typescript';\n\nconst serverlessConfiguration: AWS = {\n  service: 'orders',\n" +
  "  provider: { name: 'aws' },\n  resources: {\n    Resources: {\n      Orders: {\n        Type: 'AWS::DynamoDB::Table',\n" +
  "        Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] },\n      },\n    },\n  },\n};\n\nmodule.exports = serverlessConfiguration;\n";
const why = (setting: string, file: string) =>
  `Not fixable automatically: ${setting} holds "\${", which the Serverless Framework would resolve in ${file} as a variable of its own, and it has no escape for it: ` +
  'write that setting without "${" for this service (a .kmsfix.yml in its folder), or fix it with --kms-key-arn';

async function fix(path: string, text: string, key: object) {
  const r = await processMemory([{ path, text }], 'fix', { key } as never);
  const [o] = r.outcomes;
  return { changed: o.newText !== undefined, message: o.tables[0].message, planned: o.tables[0].planned };
}

describe('key settings holding "${" in a Serverless service', () => {
  for (const [path, text] of [
    ['svc/serverless.yml', YML],
    ['svc/serverless.ts', TS],
  ])
    it(`${path}: declined, naming the setting and the file; without "\${" it is fixed`, async () => {
      const description = await fix(path, text, { description: 'key of {table} for ${team}' });
      expect(description.changed).toBe(false);
      expect(description.message).toContain(why('key.description', path));
      const tag = await fix(path, text, { tags: { owner: '${team}', note: '%{x}' } });
      expect(tag.changed).toBe(false);
      expect(tag.message).toContain(why('key.tags.owner', path));
      // `%{` means nothing to the Framework, and `$` alone nothing either.
      const plain = await fix(path, text, { description: 'key of {table} for $5 %{x}' });
      expect(plain.changed).toBe(true);
      expect(plain.planned).toBe(true);
    });
});
