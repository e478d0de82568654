/**
 * The key policy reads the region as `data.aws_region.X.region` when the module runs with
 * hashicorp/aws 6 or later (`.name` is deprecated there), `.name` otherwise (all that 5 has): by the
 * lock file in the module folder, else the module's required_providers constraints.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { run } from '../../../src/engine/run.js';
import { lowestMajor } from '../../../src/formats/terraform/module.js';

const TABLE = 'resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n}\n';
const versions = (aws: string) => `terraform {\n  required_providers {\n    aws = ${aws}\n  }\n}\n`;
const lock = (version: string) =>
  `# This file is maintained automatically by "terraform init".\n\nprovider "registry.terraform.io/hashicorp/aws" {\n  version     = "${version}"\n  constraints = ">= 5.0.0"\n  hashes = [\n    "h1:abc=",\n  ]\n}\n`;

async function regionRef(files: Record<string, string>): Promise<string | undefined> {
  const r = await processMemory(
    Object.entries(files).map(([p, text]) => ({ path: p, text })),
    'fix',
  );
  return /data\.aws_region\.current\.(\w+)/.exec([...r.output.values()].join('\n'))?.[1];
}

async function regionRefOnDisk(files: Record<string, string>): Promise<string | undefined> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tf-version-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const r = await run(['.'], { cwd: dir, mode: 'fix', workers: 0, keyStrategy: 'per-table', acceptAwsManaged: false });
  expect(r.outcomes.map((o) => o.error)).toEqual(r.outcomes.map(() => undefined));
  return /data\.aws_region\.current\.(\w+)/.exec(r.outcomes.map((o) => o.newText ?? '').join('\n'))?.[1];
}

describe('terraform: data.aws_region .region or .name by the hashicorp/aws version', () => {
  it('the lowest major version a constraint allows', () => {
    expect(lowestMajor('~> 6.0')).toBe(6);
    expect(lowestMajor('>= 6.2.1')).toBe(6);
    expect(lowestMajor('6.0.0')).toBe(6);
    expect(lowestMajor('= 6.1')).toBe(6);
    expect(lowestMajor('> 6.0')).toBe(6);
    expect(lowestMajor('>= 5.0, < 7.0')).toBe(5);
    expect(lowestMajor('~> 5.80')).toBe(5);
    expect(lowestMajor('< 7.0')).toBe(0);
    expect(lowestMajor('!= 6.0.0')).toBe(0);
    expect(lowestMajor('>= 4.0, >= 6.1')).toBe(6);
  });

  it('required_providers, in any file of the module, in either syntax', async () => {
    expect(await regionRef({ 'main.tf': TABLE })).toBe('name');
    expect(
      await regionRef({ 'main.tf': TABLE, 'versions.tf': versions('{\n      source  = "hashicorp/aws"\n      version = "~> 6.0"\n    }') }),
    ).toBe('region');
    expect(
      await regionRef({
        'main.tf': TABLE,
        'versions.tf': versions('{\n      source  = "hashicorp/aws"\n      version = ">= 5.0, < 7.0"\n    }'),
      }),
    ).toBe('name');
    expect(await regionRef({ 'main.tf': TABLE, 'versions.tf': versions('"~> 6.1"') })).toBe('region');
    // Another provider's constraint does not count.
    expect(
      await regionRef({
        'main.tf': TABLE,
        'versions.tf': versions('{\n      source  = "hashicorp/awscc"\n      version = "~> 6.0"\n    }'),
      }),
    ).toBe('name');
    const json = JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '>= 6.0' } } } }, null, 2);
    expect(await regionRefOnDisk({ 'main.tf': TABLE, 'versions.tf.json': json })).toBe('region');
  });

  it('the constraints decide when there are some (a module others call runs with their provider); else the lock file', async () => {
    const loose = versions('{\n      source  = "hashicorp/aws"\n      version = ">= 5.0"\n    }');
    expect(await regionRefOnDisk({ 'main.tf': TABLE, 'versions.tf': loose })).toBe('name');
    // Locked to 6, but callers may run it with 5 (which has no `region`): `.name`, deprecated in 6, works on both.
    expect(await regionRefOnDisk({ 'main.tf': TABLE, 'versions.tf': loose, '.terraform.lock.hcl': lock('6.3.0') })).toBe('name');
    expect(await regionRefOnDisk({ 'main.tf': TABLE + '\n' + loose, '.terraform.lock.hcl': lock('5.100.0') })).toBe('name');
    // A stale lock file (5.x) under a constraint that needs 6: the constraint.
    const six = versions('{\n      source  = "hashicorp/aws"\n      version = "> 6.9.0"\n    }');
    expect(await regionRefOnDisk({ 'main.tf': TABLE, 'versions.tf': six, '.terraform.lock.hcl': lock('5.98.0') })).toBe('region');
    // No constraint: the lock file.
    expect(await regionRefOnDisk({ 'main.tf': TABLE, '.terraform.lock.hcl': lock('6.3.0') })).toBe('region');
    expect(await regionRefOnDisk({ 'main.tf': TABLE, '.terraform.lock.hcl': lock('5.100.0') })).toBe('name');
  });
});
