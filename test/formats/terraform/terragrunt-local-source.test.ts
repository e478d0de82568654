/**
 * A Terraform module folder that a terragrunt unit elsewhere in the scanned trees deploys through a
 * local `terraform { source = "../../modules//orders" }` gets the variables the unit's inputs set
 * from outside (src/formats/terraform/varSources.ts): a table whose encryption reads one is
 * unknown, naming the unit, and never fixed, whether the folder looks like a root module or not.
 * The units reach each thread's detection through DiskContext.treeFiles. (Fixture:
 * terragrunt-local-module.)
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';
import { run } from '../../../src/engine/run.js';
import { DEFAULT_FIX_OPTIONS } from '../../../src/engine/pipeline.js';

const MODULE = `variable "kms_key_arn" {
  type    = string
  default = null
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}
`;
const PROVIDER = 'provider "aws" {\n  region = "ca-central-1"\n}\n';
const unit = (source: string, inputs: string, include = '') =>
  `${include}terraform {\n  source = "${source}"\n}\n\ninputs = {\n${inputs}}\n`;

async function orders(files: MemoryFile[]) {
  const scan = await processMemory(files, 'scan');
  const fix = await processMemory(files, 'fix');
  const t = scan.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'aws_dynamodb_table.orders')!;
  return { t, changed: fix.outcomes.some((o) => o.newText !== undefined) };
}

describe('a module folder deployed by a terragrunt unit with a local source', () => {
  it('reads the local sources terragrunt resolves, and no other', async () => {
    const status = async (source: string) =>
      (
        await orders([
          { path: 'modules/orders/main.tf', text: MODULE },
          { path: 'modules/orders/provider.tf', text: PROVIDER },
          { path: 'live/prod/orders/terragrunt.hcl', text: unit(source, '  kms_key_arn = dependency.kms.outputs.key_arn\n') },
        ])
      ).t.status;
    for (const s of ['../../../modules//orders', '../../../modules/orders/', '${get_terragrunt_dir()}/../../../modules//orders'])
      expect([s, await status(s)]).toEqual([s, 'unknown']);
    for (const s of [
      '../../../modules//other',
      'git::https://github.com/acme/modules.git//orders?ref=v1.0.0',
      'tfr:///terraform-aws-modules/dynamodb-table/aws?version=4.0.0',
      '${get_terragrunt_dir()}/../../../modules//orders?ref=x',
    ])
      expect([s, await status(s)]).toEqual([s, 'aws-managed']);
  });

  it('a root-looking module folder whose key a unit sets: unknown, naming the unit, not fixed', async () => {
    const { t, changed } = await orders([
      { path: 'modules/orders/main.tf', text: MODULE },
      { path: 'modules/orders/provider.tf', text: PROVIDER },
      {
        path: 'live/prod/orders/terragrunt.hcl',
        text: unit('../../../modules//orders', '  kms_key_arn = dependency.kms.outputs.key_arn\n'),
      },
    ]);
    expect([t.status, t.fixable, changed]).toEqual(['unknown', false, false]);
    expect(t.message).toContain(
      'server_side_encryption.kms_key_arn = var.kms_key_arn: kms_key_arn is set by the inputs of the terragrunt unit ../../live/prod/orders/terragrunt.hcl',
    );
  });

  it('a unit terragrunt does not deploy (skip = true) sets nothing; one whose skip is not a literal may (session 56, F4)', async () => {
    const files = (skip: string) => [
      { path: 'modules/orders/main.tf', text: MODULE },
      { path: 'modules/orders/provider.tf', text: PROVIDER },
      {
        path: 'live/prod/orders/terragrunt.hcl',
        text: `${skip}\n${unit('../../../modules//orders', '  kms_key_arn = dependency.kms.outputs.key_arn\n')}`,
      },
    ];
    const skipped = await orders(files('skip = true'));
    expect([skipped.t.status, skipped.t.fixable]).toEqual(['aws-managed', true]);
    const maybe = await orders(files('skip = local.retired'));
    expect([maybe.t.status, maybe.changed]).toEqual(['unknown', false]);
  });

  it('a module others call, set by two units: unknown, naming both (its defaults alone would make it aws-managed)', async () => {
    const { t, changed } = await orders([
      { path: 'modules/orders/main.tf', text: MODULE },
      {
        path: 'live/prod/orders/terragrunt.hcl',
        text: unit('../../../modules/orders', '  kms_key_arn = dependency.kms.outputs.key_arn\n'),
      },
      {
        path: 'live/stage/orders/terragrunt.hcl',
        text: unit('../../../modules/orders', '  kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:alias/x"\n'),
      },
    ]);
    expect([t.status, changed]).toEqual(['unknown', false]);
    expect(t.message).toContain(
      'kms_key_arn is set by the inputs of the terragrunt units ../../live/prod/orders/terragrunt.hcl, ../../live/stage/orders/terragrunt.hcl',
    );
  });

  it('a unit that sets other inputs, or deploys another folder, changes nothing', async () => {
    const { t, changed } = await orders([
      { path: 'modules/orders/main.tf', text: MODULE },
      { path: 'modules/orders/provider.tf', text: PROVIDER },
      { path: 'live/prod/orders/terragrunt.hcl', text: unit('../../../modules//orders', '  name = "orders"\n') },
      { path: 'live/prod/other/terragrunt.hcl', text: unit('../../../modules//other', '  kms_key_arn = "x"\n') },
    ]);
    expect([t.status, t.fixable, changed]).toEqual(['aws-managed', true, true]);
  });

  it("a unit's included inputs count; an include kmsfix cannot find may set the key", async () => {
    const included = await orders([
      { path: 'modules/orders/main.tf', text: MODULE },
      { path: 'modules/orders/provider.tf', text: PROVIDER },
      { path: 'live/root.hcl', text: 'inputs = {\n  kms_key_arn = "arn:aws:kms:ca-central-1:111122223333:alias/x"\n}\n' },
      {
        path: 'live/prod/orders/terragrunt.hcl',
        text: unit(
          '../../../modules//orders',
          '  name = "orders"\n',
          'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\n',
        ),
      },
    ]);
    expect([included.t.status, included.changed]).toEqual(['unknown', false]);
    expect(included.t.message).toContain('kms_key_arn is set by the inputs of the terragrunt unit ../../live/prod/orders/terragrunt.hcl');
    const unread = await orders([
      { path: 'modules/orders/main.tf', text: MODULE },
      { path: 'modules/orders/provider.tf', text: PROVIDER },
      {
        path: 'live/prod/orders/terragrunt.hcl',
        text: unit(
          '../../../modules//orders',
          '  name = "orders"\n',
          'include "env" {\n  path = "${get_terragrunt_dir()}/../env.hcl"\n}\n\n',
        ),
      },
    ]);
    expect([unread.t.status, unread.changed]).toEqual(['unknown', false]);
    expect(unread.t.message).toContain(
      'kms_key_arn may be set by the inputs a terragrunt unit includes from a file kmsfix cannot find (../../live/prod/orders/terragrunt.hcl)',
    );
  });

  it('on disk, in this thread and in worker threads alike', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kmsfix-tg-local-'));
    const write = (p: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      writeFileSync(path.join(root, p), text);
    };
    // Enough module folders for the pool to take some.
    for (let i = 0; i < 12; i++) {
      write(`modules/m${i}/main.tf`, MODULE.replace('"orders"', `"orders${i}"`));
      write(`modules/m${i}/provider.tf`, PROVIDER);
      write(`live/prod/m${i}/terragrunt.hcl`, unit(`../../../modules//m${i}`, '  kms_key_arn = dependency.kms.outputs.key_arn\n'));
    }
    const base = { ...DEFAULT_FIX_OPTIONS, cwd: root, mode: 'fix' as const };
    for (const r of [
      await run(['.'], { ...base, workers: 0 }),
      await run(['.'], { ...base, workers: 2, parallelMinFiles: 0, parallelMinBytes: 0 }),
    ]) {
      const tables = r.outcomes.flatMap((o) => o.tables);
      expect(tables).toHaveLength(12);
      expect(tables.every((t) => t.status === 'unknown' && t.message.includes('is set by the inputs of the terragrunt unit'))).toBe(true);
      expect(r.outcomes.every((o) => o.newText === undefined)).toBe(true);
    }
  });
});

/**
 * A unit's local source written with terragrunt's path functions (round 37, R5): resolved as terragrunt
 * does (src/formats/terraform/terragruntPaths.ts). Before, only a relative path and get_terragrunt_dir()
 * were read: the module folder below, with the `backend "s3" {}` terragrunt's remote_state needs, read
 * its default key (null: the AWS managed key), and a fix replaced the key every unit passes.
 */
describe("a unit's source from terragrunt's path functions", () => {
  const BACKEND = 'terraform {\n  backend "s3" {}\n}\n';
  const INCLUDE = 'include "root" {\n  path = find_in_parent_folders()\n}\n\n';
  const KEY = '  kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"\n';
  const tree = (source: string, extra: MemoryFile[] = [], include = INCLUDE): MemoryFile[] => [
    { path: 'modules/orders/main.tf', text: MODULE },
    { path: 'modules/orders/backend.tf', text: BACKEND },
    { path: 'terragrunt.hcl', text: 'remote_state {\n  backend = "s3"\n}\n' },
    { path: 'live/prod/orders/terragrunt.hcl', text: unit(source, KEY, include) },
    ...extra,
  ];
  const GIT: MemoryFile = { path: '.git/HEAD', text: 'ref: refs/heads/main\n' };

  it('each resolves to the folder it names: the unit sets the key, unknown, not fixed', async () => {
    for (const [source, extra] of [
      ['${dirname(find_in_parent_folders())}/modules/orders', []],
      ['${get_repo_root()}/modules/orders', [GIT]],
      ['${get_path_to_repo_root()}/modules//orders', [GIT]],
      ['${get_parent_terragrunt_dir()}/modules/orders', []],
      ['${get_parent_terragrunt_dir("root")}/modules/orders', []],
      ['${path_relative_from_include()}/modules/orders', []],
      ['${find_in_parent_folders("modules")}/orders', []],
      ['${dirname(find_in_parent_folders("root.hcl"))}/modules/orders', [{ path: 'root.hcl', text: '' }]],
    ] as [string, MemoryFile[]][]) {
      const { t, changed } = await orders(tree(source, extra));
      expect([source, t.status, t.fixable, changed]).toEqual([source, 'unknown', false, false]);
      expect(t.message).toContain('kms_key_arn is set by the inputs of the terragrunt unit ../../live/prod/orders/terragrunt.hcl');
    }
  });

  it('a source resolved to another folder leaves the module as it was (its own default: aws-managed, fixed)', async () => {
    for (const [source, extra] of [
      ['${dirname(find_in_parent_folders())}/modules/other', []],
      ['${get_repo_root()}/modules/other', [GIT]],
      ['${find_in_parent_folders("modules")}/other', []],
    ] as [string, MemoryFile[]][]) {
      const { t, changed } = await orders(tree(source, extra));
      expect([source, t.status, t.fixable, changed]).toEqual([source, 'aws-managed', true, true]);
    }
  });

  it("one kmsfix cannot resolve whose path ends in the folder's: unknown, saying why, never read as undeployed", async () => {
    for (const [source, why, include] of [
      ['${get_repo_root()}/modules/orders', 'no git work tree holds the unit', INCLUDE],
      ['${local.modules}/orders', 'kmsfix does not evaluate ${local.modules} there', INCLUDE],
      ['${dirname(find_in_parent_folders("root.hcl"))}/modules/orders', 'no root.hcl in a folder above the unit', INCLUDE],
      ['${get_parent_terragrunt_dir()}/modules/orders', 'the unit has 0 include blocks', ''],
    ]) {
      const { t, changed } = await orders(tree(source, [], include));
      expect([source, t.status, t.fixable, changed]).toEqual([source, 'unknown', false, false]);
      expect(t.message).toContain(
        `kms_key_arn may be set by the inputs of the terragrunt unit ../../live/prod/orders/terragrunt.hcl (source = "${source}": ${why}), whose source ends in this folder's path`,
      );
    }
    // A path that ends otherwise names another folder.
    const other = await orders(tree('${local.modules}/other'));
    expect([other.t.status, other.changed]).toEqual(['aws-managed', true]);
  });
});

/**
 * A unit with no `terraform {}` block of its own takes its source from an included file
 * (terragrunt-infrastructure-live-example's `_envcommon/<module>.hcl`; session 55, F1). Before, the unit
 * counted for no folder: the module's default key (null) was read, aws-managed, and a fix replaced the key
 * the unit passes.
 */
describe("a unit's source from a file it includes", () => {
  const BACKEND = 'terraform {\n  backend "s3" {}\n}\n';
  const GIT: MemoryFile = { path: '.git/HEAD', text: 'ref: refs/heads/main\n' };
  const KEY = '  kms_key_arn = dependency.kms.outputs.key_arn\n';
  const ENVCOMMON = (source: string) => `terraform {\n  source = "${source}"\n}\n`;
  const UNIT = (includePath: string) =>
    `include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\ninclude "envcommon" {\n  path = ${includePath}\n}\n\ninputs = {\n${KEY}}\n`;
  const tree = (includePath: string, envcommon?: string): MemoryFile[] => [
    GIT,
    { path: 'modules/orders/main.tf', text: MODULE },
    { path: 'modules/orders/backend.tf', text: BACKEND },
    { path: 'live/root.hcl', text: 'remote_state {\n  backend = "s3"\n}\n' },
    ...(envcommon === undefined ? [] : [{ path: 'live/_envcommon/orders.hcl', text: envcommon }]),
    { path: 'live/prod/orders/terragrunt.hcl', text: UNIT(includePath) },
  ];

  it('followed to the folder it names: the unit sets the key, unknown, not fixed', async () => {
    for (const [inc, source] of [
      ['"${get_repo_root()}/live/_envcommon/orders.hcl"', '${get_repo_root()}/modules//orders'],
      ['"../../_envcommon/orders.hcl"', '${get_repo_root()}/modules//orders'],
      ['"${get_terragrunt_dir()}/../../_envcommon/orders.hcl"', '../../../modules//orders'],
      [
        '"${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/orders.hcl"',
        '${dirname(find_in_parent_folders("root.hcl"))}/../modules/orders',
      ],
    ]) {
      const { t, changed } = await orders(tree(inc, ENVCOMMON(source)));
      expect([inc, t.status, t.fixable, changed]).toEqual([inc, 'unknown', false, false]);
      expect(t.message).toContain('kms_key_arn is set by the inputs of the terragrunt unit ../../live/prod/orders/terragrunt.hcl');
    }
  });

  it('an include kmsfix cannot read may carry any source: unknown, saying which include; another folder named: as before', async () => {
    for (const [inc, envcommon, why] of [
      ['"${get_repo_root()}/live/_envcommon/orders.hcl"', undefined, 'kmsfix cannot find live/_envcommon/orders.hcl'],
      ['local.envcommon', ENVCOMMON('x'), 'kmsfix does not evaluate its path = local.envcommon'],
      [
        '"../../_envcommon/orders.hcl"',
        'terraform {\n  source = local.source\n}\n',
        'the terraform source of ../../_envcommon/orders.hcl is an expression',
      ],
    ] as [string, string | undefined, string][]) {
      const { t, changed } = await orders(tree(inc, envcommon));
      expect([inc, t.status, t.fixable, changed]).toEqual([inc, 'unknown', false, false]);
      expect(t.message).toContain(
        `kms_key_arn may be set by the inputs of the terragrunt unit ../../live/prod/orders/terragrunt.hcl (include "envcommon": ${why}`,
      );
      expect(t.message).toContain('which has no terraform source of its own and take one from an include kmsfix cannot read');
    }
    const other = await orders(tree('"../../_envcommon/orders.hcl"', ENVCOMMON('${get_repo_root()}/modules//other')));
    expect([other.t.status, other.changed]).toEqual(['aws-managed', true]);
    // The unit's own source wins over the included one.
    const own = await orders(
      tree('"../../_envcommon/orders.hcl"', ENVCOMMON('${get_repo_root()}/modules//orders')).map((f) =>
        f.path.endsWith('terragrunt.hcl') ? { ...f, text: `terraform {\n  source = "../../../modules//other"\n}\n${f.text}` } : f,
      ),
    );
    expect([own.t.status, own.changed]).toEqual(['aws-managed', true]);
  });
});

/**
 * A unit whose source reaches the module folder through a symbolic link (`live/modules -> ../modules`,
 * `source = "../../modules//orders"`; session 55, F2) deploys it: the folders are compared by real path.
 * Before, the target as written (`live/modules/orders`) matched no folder, the module's default key was
 * read (aws-managed) and a fix replaced the key the unit passes.
 */
describe('a unit whose source reaches the module through a symbolic link', () => {
  it('counts for the folder the link leads to: unknown, not fixed (on disk)', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kmsfix-tg-link-'));
    const write = (p: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      writeFileSync(path.join(root, p), text);
    };
    write('modules/orders/main.tf', MODULE);
    write('modules/orders/provider.tf', PROVIDER);
    write('live/prod/orders/terragrunt.hcl', unit('../../modules//orders', '  kms_key_arn = dependency.kms.outputs.key_arn\n'));
    symlinkSync('../modules', path.join(root, 'live', 'modules'));
    const r = await run(['.'], { ...DEFAULT_FIX_OPTIONS, cwd: root, mode: 'fix' as const, workers: 0 });
    const t = r.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'aws_dynamodb_table.orders')!;
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.message).toContain('kms_key_arn is set by the inputs of the terragrunt unit ../../live/prod/orders/terragrunt.hcl');
    expect(r.outcomes.every((o) => o.newText === undefined)).toBe(true);
  });
});

describe('a module folder units deploy, whose switch a variable holds and no unit sets (real-world round 47, F2)', () => {
  // ziggy6792/terragrunt-cdktf: a copy of terraform-aws-modules' table module deployed by two units through
  // "${include.root.locals.module_dir}/dynamodb-table"; the step said "not a root module (no provider or backend
  // configuration...)" and "where the module is called", while no module block calls it.
  const SWITCHED = `variable "sse_enabled" {
  type    = bool
  default = false
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"

  server_side_encryption {
    enabled = var.sse_enabled
  }
}
`;
  it('names the units and their inputs as where the switch and the key go; not fixed', async () => {
    const { t, changed } = await orders([
      { path: 'modules/orders/main.tf', text: SWITCHED },
      { path: 'live/dev/orders/terragrunt.hcl', text: unit('../../../modules//orders', '  name = "dev-orders"\n') },
      { path: 'live/prod/orders/terragrunt.hcl', text: unit('../../../modules//orders', '  name = "prod-orders"\n') },
    ]);
    expect([t.status, t.fixable, changed]).toEqual(['aws-owned', false, false]);
    expect(t.message).toContain(
      'which terragrunt deploys through the units ../../live/dev/orders/terragrunt.hcl and ../../live/prod/orders/terragrunt.hcl',
    );
    expect(t.message).toContain("in each unit's inputs set the switch to true and the key input to its ARN");
    expect(t.message).not.toContain('no provider or backend configuration');
  });

  it('a source whose first part is an included local (${include.root.locals.module_dir}) is resolved through it', async () => {
    const ROOT = 'locals {\n  root_dir   = get_parent_terragrunt_dir()\n  module_dir = "${local.root_dir}/modules"\n}\n';
    const include = 'include "root" {\n  path   = find_in_parent_folders("root.hcl")\n  expose = true\n}\n\n';
    const { t } = await orders([
      { path: 'root.hcl', text: ROOT },
      { path: 'modules/orders/main.tf', text: SWITCHED },
      {
        path: 'live/prod/orders/terragrunt.hcl',
        text: unit('${include.root.locals.module_dir}/orders', '  name = "prod-orders"\n', include),
      },
    ]);
    expect(t.message).toContain('which terragrunt deploys through the unit ../../live/prod/orders/terragrunt.hcl');
  });

  it('a folder a module block calls keeps the callers step', async () => {
    const { t } = await orders([
      { path: 'modules/orders/main.tf', text: SWITCHED },
      { path: 'main.tf', text: 'module "orders" {\n  source = "./modules/orders"\n}\n' },
      { path: 'live/prod/orders/terragrunt.hcl', text: unit('../../../modules//orders', '  name = "prod-orders"\n') },
    ]);
    expect(t.message).not.toContain('which terragrunt deploys through');
  });
});
