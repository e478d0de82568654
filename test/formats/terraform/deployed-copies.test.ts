/**
 * moduleInfo with the copies terragrunt units deploy (src/formats/terraform/module.ts declaredElsewhere,
 * regionAttributeOf; real-world round 45, F1 and F3): a data source every unit generates is reused, one only some
 * do is named apart, a data source the module reads and nothing declares is never declared again, and `.region`
 * needs every unit's copy on hashicorp/aws 6.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleInfo, unique, type DeployedCopy } from '../../../src/formats/terraform/module.js';
import { siblingBlocks, type TopBlock } from '../../../src/formats/terraform/topBlocks.js';

const topsOf = (name: string, text: string): Promise<TopBlock[]> =>
  siblingBlocks([{ path: name, absPath: path.join(path.sep, 'copies', name), text }]);

const TABLE = 'resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n}\n';
const PROVIDER = (version: string) =>
  `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "${version}"\n    }\n  }\n}\n\n` +
  'data "aws_caller_identity" "current" {}\n\ndata "aws_region" "current" {}\n';

async function copy(text: string, lock = ''): Promise<DeployedCopy> {
  return { generated: await topsOf('provider.tf', text), lock: lock ? await topsOf('.terraform.lock.hcl', lock) : [] };
}

describe('a module terragrunt units deploy', () => {
  it('reuses what every unit generates, names apart what only some do', async () => {
    const tops = await topsOf('main.tf', TABLE);
    const both = moduleInfo(tops, 'drop-in', undefined, false, [await copy(PROVIDER('~> 6.0')), await copy(PROVIDER('>= 6.2'))]);
    expect([both.caller.get(''), both.region.get(''), both.partition.get(''), both.regionAttribute]).toEqual([
      'current',
      'current',
      undefined,
      'region',
    ]);
    // One unit generates them, the other does not: neither reused nor declared again under the same name.
    const one = moduleInfo(tops, 'drop-in', undefined, false, [await copy(PROVIDER('~> 6.0')), await copy('')]);
    expect([one.caller.get(''), one.region.get(''), one.regionAttribute]).toEqual([undefined, undefined, 'name']);
    expect(unique(one, 'data.aws_caller_identity', 'current')).toBe('current_2');
  });

  it("reads the unit's lock file when nothing constrains the version", async () => {
    const tops = await topsOf('main.tf', TABLE);
    const lock = 'provider "registry.terraform.io/hashicorp/aws" {\n  version = "6.28.0"\n}\n';
    expect(moduleInfo(tops, 'drop-in', undefined, false, [await copy('', lock)]).regionAttribute).toBe('region');
    expect(moduleInfo(tops, 'drop-in', undefined, false, [await copy('')]).regionAttribute).toBe('name');
  });

  it('never declares again a data source the module reads and nothing kmsfix reads declares', async () => {
    const tops = await topsOf(
      'main.tf',
      `${TABLE}\noutput "a" {\n  value = data.aws_caller_identity.current.account_id\n}\n\noutput "r" {\n  value = data.aws_region.here.name\n}\n`,
    );
    const info = moduleInfo(tops, 'drop-in', undefined, false, []);
    // `current`, the name the fix gives the default provider's, is reused; another name is taken.
    expect([info.caller.get(''), info.region.get('')]).toEqual(['current', undefined]);
    expect(unique(info, 'data.aws_region', 'here')).toBe('here_2');
  });
});
