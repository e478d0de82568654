/**
 * A CDKTF app written as an ES module imports the provider's classes by file (`.../lib/dynamodb-table/index.js`:
 * @cdktf/provider-aws has no exports map, and Node resolves no folder in an import: ERR_UNSUPPORTED_DIR_IMPORT,
 * and tsc under `module: nodenext` TS2307). The fix's new imports are written the same way (an adversarial
 * pass on the repositories' CI: tsc failed on every such fix); a CommonJS app's stay as they were.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const app = (suffix: string) => `import { App, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider${suffix}';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table${suffix}';

class Sessions extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    new DynamodbTable(this, 'sessions', { name: 'sessions', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }] });
  }
}

const app = new App();
new Sessions(app, 'sessions');
app.synth();
`;

const newImports = async (suffix: string) => {
  const r = await processMemory([{ path: 'main.ts', text: app(suffix) }], 'fix');
  return [...r.output.get('main.ts')!.matchAll(/^import .* from '(@cdktf\/provider-aws\/[^']+)';$/gm)].map((m) => m[1]).slice(2);
};

it('ES module: each new provider import names its file, as the file names its own', async () => {
  expect(await newImports('/index.js')).toEqual([
    '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js',
    '@cdktf/provider-aws/lib/data-aws-partition/index.js',
    '@cdktf/provider-aws/lib/data-aws-region/index.js',
    '@cdktf/provider-aws/lib/kms-alias/index.js',
    '@cdktf/provider-aws/lib/kms-key/index.js',
  ]);
});

it('CommonJS (the folder): as before', async () => {
  expect(await newImports('')).toEqual([
    '@cdktf/provider-aws/lib/data-aws-caller-identity',
    '@cdktf/provider-aws/lib/data-aws-partition',
    '@cdktf/provider-aws/lib/data-aws-region',
    '@cdktf/provider-aws/lib/kms-alias',
    '@cdktf/provider-aws/lib/kms-key',
  ]);
});
