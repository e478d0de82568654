/**
 * processMemory as the disk: the files no format reads (a lock file, a package.json) are what the
 * disk would hold beside the inputs, and a group's formats get them as siblings and project files
 * (DiskContext), so that a Terraform module in memory is fixed as it is on disk.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';
import { run } from '../../src/engine/run.js';
import { tempTree } from '../helpers/cli-helper.js';

const TABLE = 'resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n}\n';
const LOOSE =
  'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = ">= 5.0"\n    }\n  }\n}\n';
const lock = (version: string) =>
  `provider "registry.terraform.io/hashicorp/aws" {\n  version     = "${version}"\n  constraints = ">= 5.0.0"\n}\n`;

/** Every output of a fix, in memory and on disk (a folder per module, as given). */
async function both(files: Record<string, string>): Promise<{ memory: Record<string, string>; disk: Record<string, string> }> {
  const r = await processMemory(
    Object.entries(files).map(([p, text]) => ({ path: p, text })),
    'fix',
  );
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error] : []))).toEqual([]);
  const dir = tempTree('memory', files);
  const d = await run(['.'], { cwd: dir, mode: 'fix', workers: 0, keyStrategy: 'per-table', acceptAwsManaged: false });
  expect(d.outcomes.flatMap((o) => (o.error ? [o.error] : []))).toEqual([]);
  const disk = Object.fromEntries(
    Object.entries(files).map(([p, text]) => [p, d.outcomes.find((o) => o.file.path === p)?.newText ?? text]),
  );
  return { memory: Object.fromEntries(r.output), disk };
}

describe('processMemory: a group gets its other in-memory files, as on disk', () => {
  it("a module's lock file decides the hashicorp/aws version (with no constraint), in memory as on disk", async () => {
    for (const [version, attribute] of [
      ['6.3.0', 'region'],
      ['5.100.0', 'name'],
    ]) {
      const { memory, disk } = await both({
        'infra/main.tf': TABLE,
        'infra/.terraform.lock.hcl': lock(version),
      });
      expect(memory).toEqual(disk);
      expect(memory['infra/main.tf']).toContain(`data.aws_region.current.${attribute}`);
    }
  });

  it("only the group's own folder counts: a lock file elsewhere is not the module's", async () => {
    const { memory, disk } = await both({ 'infra/main.tf': TABLE, 'infra/versions.tf': LOOSE, 'other/.terraform.lock.hcl': lock('6.3.0') });
    expect(memory).toEqual(disk);
    expect(memory['infra/main.tf']).toContain('data.aws_region.current.name');
  });

  it('files no format reads are given back unchanged, and have no outcome', async () => {
    const r = await processMemory(
      [
        { path: 'main.tf', text: TABLE },
        { path: '.terraform.lock.hcl', text: lock('6.3.0') },
      ],
      'scan',
    );
    expect(r.outcomes.map((o) => o.file.path)).toEqual(['main.tf']);
    expect(r.output.get('.terraform.lock.hcl')).toBe(lock('6.3.0'));
  });
});
