/**
 * A root module's variables set from outside what Terraform reads by itself
 * (src/formats/terraform/varSources.ts): a var-file passed with -var-file (beside the module, or in
 * env/), the inputs of a terragrunt.hcl in the folder or above it, an atmos.yaml above (an atmos
 * component: every variable comes from its stack manifests). A table whose encryption reads
 * such a variable is unknown, names the file, and is never fixed (the key those files set would be
 * dropped).
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';

const MAIN = `provider "aws" {
  region = "us-east-1"
}

variable "kms_key_arn" {
  default = null
}

variable "encrypt" {
  default = true
}

locals {
  sse_on = var.encrypt
}

resource "aws_dynamodb_table" "t" {
  name         = "t"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  server_side_encryption {
    enabled     = local.sse_on
    kms_key_arn = var.kms_key_arn
  }
}
`;

const ARN = '"arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555"';

async function both(files: MemoryFile[]) {
  const scan = await processMemory(files, 'scan');
  const fix = await processMemory(files, 'fix');
  const t = scan.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'aws_dynamodb_table.t')!;
  return { t, changed: fix.outcomes.some((o) => o.newText !== undefined) };
}

describe('variables set from outside the root module', () => {
  it('without such a file: aws-managed (kms_key_arn defaults to null) and fixed', async () => {
    const { t, changed } = await both([
      { path: 'main.tf', text: MAIN },
      { path: 'terraform.tfvars', text: 'encrypt = true\n' },
    ]);
    expect([t.status, t.fixable, changed]).toEqual(['aws-managed', true, true]);
  });

  for (const [where, files, said] of [
    [
      'env/prod.tfvars',
      [{ path: 'env/prod.tfvars', text: `kms_key_arn = ${ARN}\n` }],
      'kms_key_arn is set per environment by env/prod.tfvars',
    ],
    [
      'prod.tfvars and env/dev.tfvars.json beside it',
      [
        { path: 'prod.tfvars', text: `kms_key_arn = ${ARN}\n` },
        { path: 'env/dev.tfvars.json', text: `{ "kms_key_arn": ${ARN} }\n` },
      ],
      'kms_key_arn is set per environment by prod.tfvars, env/dev.tfvars.json (-var-file)',
    ],
    [
      // A folder per environment inside (adversarial pass of session 47, repro 04: the most common layout).
      'environments/dev/terraform.tfvars and envs/prod/prod.tfvars',
      [
        { path: 'environments/dev/terraform.tfvars', text: 'kms_key_arn = ""\n' },
        { path: 'environments/dev/backend.hcl', text: 'bucket = "state"\n' },
        { path: 'envs/prod/prod.tfvars', text: `kms_key_arn = ${ARN}\n` },
      ],
      'kms_key_arn is set per environment by environments/dev/terraform.tfvars, envs/prod/prod.tfvars (-var-file)',
    ],
    // Real-world round 38, F2: folders of other names, and one beside the module's.
    [
      'a sibling folder, ../environments/prod.tfvars',
      [
        { path: '../environments/prod.tfvars', text: `kms_key_arn = ${ARN}\n` },
        { path: '../.github/workflows/deploy.yml', text: 'run: terraform plan -var-file=../environments/prod.tfvars\n' },
      ],
      'kms_key_arn is set per environment by ../environments/prod.tfvars (-var-file)',
    ],
    [
      '.env/dev.tfvars',
      [{ path: '.env/dev.tfvars', text: `kms_key_arn = ${ARN}\n` }],
      'kms_key_arn is set per environment by .env/dev.tfvars',
    ],
    [
      'env-dev/main.tfvars and env-prod/main.tfvars',
      [
        { path: 'env-dev/main.tfvars', text: `kms_key_arn = ${ARN}\n` },
        { path: 'env-prod/main.tfvars', text: `kms_key_arn = ${ARN}\n` },
      ],
      'kms_key_arn is set per environment by env-dev/main.tfvars, env-prod/main.tfvars',
    ],
    [
      'workspaces/prod.tfvars',
      [{ path: 'workspaces/prod.tfvars', text: `kms_key_arn = ${ARN}\n` }],
      'kms_key_arn is set per environment by workspaces/prod.tfvars (-var-file)',
    ],
    [
      'inventories/prod/terraform.tfvars',
      [{ path: 'inventories/prod/terraform.tfvars', text: `kms_key_arn = ${ARN}\n` }],
      'kms_key_arn is set per environment by inventories/prod/terraform.tfvars (-var-file)',
    ],
    [
      'variables/prod.tfvars',
      [{ path: 'variables/prod.tfvars', text: `kms_key_arn = ${ARN}\n` }],
      'kms_key_arn is set per environment by variables/prod.tfvars (-var-file)',
    ],
    [
      'terragrunt.hcl',
      [{ path: 'terragrunt.hcl', text: `inputs = {\n  kms_key_arn = ${ARN}\n}\n` }],
      'kms_key_arn is set by terragrunt.hcl inputs',
    ],
    [
      'a terragrunt.hcl above',
      [{ path: '../terragrunt.hcl', text: `locals {\n  common = {}\n}\n\ninputs = merge(local.common, {\n  kms_key_arn = ${ARN}\n})\n` }],
      'kms_key_arn is set by the inputs of ../terragrunt.hcl',
    ],
  ] as [string, MemoryFile[], string][]) {
    it(`kms_key_arn set by ${where}: unknown, naming it, not fixed`, async () => {
      const { t, changed } = await both([{ path: 'main.tf', text: MAIN }, ...files]);
      expect([t.status, t.fixable, changed]).toEqual(['unknown', false, false]);
      expect(t.message).toContain(`server_side_encryption.kms_key_arn = var.kms_key_arn: ${said}`);
    });
  }

  it("a folder beside the module's, or one named for an environment, holding a module of its own: its var-files are that module's", async () => {
    for (const [dir, tfvars] of [
      ['../environments', '../environments/terraform.tfvars'],
      ['env-dev', 'env-dev/terraform.tfvars'],
    ]) {
      const { t, changed } = await both([
        { path: 'main.tf', text: MAIN },
        { path: `${dir}/main.tf`, text: 'variable "kms_key_arn" {\n  default = null\n}\n' },
        { path: tfvars, text: `kms_key_arn = ${ARN}\n` },
      ]);
      expect([t.status, t.fixable, changed], dir).toEqual(['aws-managed', true, true]);
    }
  });

  it('a sibling folder setting the AWS managed key where the default is a key: not customer-managed', async () => {
    const { t, changed } = await both([
      { path: 'main.tf', text: MAIN.replace('default = null', `default = ${ARN}`) },
      { path: '../environments/dev.tfvars', text: 'kms_key_arn = "alias/aws/dynamodb"\n' },
      { path: '../environments/prod.tfvars', text: `kms_key_arn = ${ARN}\n` },
    ]);
    expect(t.status).not.toBe('customer-managed');
    expect([t.fixable, changed]).toEqual([false, false]);
    expect(t.message).toContain('../environments/dev.tfvars');
  });

  it("an environment's folder holding a module of its own: its var-files are that module's", async () => {
    const { t, changed } = await both([
      { path: 'main.tf', text: MAIN },
      { path: 'environments/dev/main.tf', text: 'variable "kms_key_arn" {\n  default = null\n}\n' },
      { path: 'environments/dev/terraform.tfvars', text: `kms_key_arn = ${ARN}\n` },
    ]);
    expect([t.status, t.fixable, changed]).toEqual(['aws-managed', true, true]);
  });

  it('an atmos component (an atmos.yaml above): every variable comes from its stack manifests: unknown, not fixed', async () => {
    const { t, changed } = await both([
      { path: 'main.tf', text: MAIN },
      { path: '../../atmos.yaml', text: 'components:\n  terraform:\n    base_path: components/terraform\n' },
    ]);
    expect([t.status, t.fixable, changed]).toEqual(['unknown', false, false]);
    expect(t.message).toContain(
      "server_side_encryption.enabled = local.sse_on: encrypt is set per stack by atmos (../../atmos.yaml: a component's variables come from its stack manifests)",
    );
  });

  it("an atmos component of the Geodesic layout (rootfs/usr/local/etc/atmos/atmos.yaml, atmos's system configuration in the image): unknown, not fixed", async () => {
    const { t, changed } = await both([
      { path: 'components/terraform/ddb/main.tf', text: MAIN },
      { path: 'rootfs/usr/local/etc/atmos/atmos.yaml', text: 'components:\n  terraform:\n    base_path: components/terraform\n' },
    ]);
    expect([t.status, t.fixable, changed]).toEqual(['unknown', false, false]);
    expect(t.message).toContain(
      "server_side_encryption.enabled = local.sse_on: encrypt is set per stack by atmos (../../../rootfs/usr/local/etc/atmos/atmos.yaml: a component's variables come from its stack manifests)",
    );
    // Another file there, or atmos.yaml elsewhere below rootfs, is not atmos's configuration.
    const other = await both([
      { path: 'components/terraform/ddb/main.tf', text: MAIN },
      { path: 'rootfs/usr/local/etc/atmos/other.yaml', text: 'x: 1\n' },
      { path: 'rootfs/etc/atmos.yaml', text: 'x: 1\n' },
    ]);
    expect([other.t.status, other.changed]).toEqual(['aws-managed', true]);
  });

  it('the switch through a local: enabled = local.sse_on, var.encrypt set by a var-file, no key: no value is customer-managed', async () => {
    const { t, changed } = await both([
      { path: 'main.tf', text: MAIN.replace('    kms_key_arn = var.kms_key_arn\n', '') },
      { path: 'env/prod.tfvars', text: 'encrypt = false\n' },
    ]);
    expect([t.status, t.fixable, changed]).toEqual(['aws-owned', false, false]);
    expect(t.message).toContain(
      'server_side_encryption.enabled = local.sse_on: encrypt is set per environment by env/prod.tfvars (-var-file): ' +
        "true (the AWS managed key) by the module's values (encrypt defaults to true (main.tf:9)); false (the AWS owned key) in env/prod.tfvars: " +
        'no value it can take uses a customer-managed key',
    );
  });

  it('a var-file or terragrunt.hcl setting other variables changes nothing', async () => {
    const { t, changed } = await both([
      { path: 'main.tf', text: MAIN },
      { path: 'env/prod.tfvars', text: 'region = "us-east-1"\n' },
      { path: 'terragrunt.hcl', text: 'inputs = {\n  name = "t"\n}\n' },
    ]);
    expect([t.status, changed]).toEqual(['aws-managed', true]);
  });

  it('a registry module call and a local module call fed by such a variable', async () => {
    const files: MemoryFile[] = [
      {
        path: 'main.tf',
        text: `provider "aws" {\n  region = "us-east-1"\n}\n\nvariable "kms_key_arn" {\n  default = null\n}\n\nmodule "registry" {\n  source = "terraform-aws-modules/dynamodb-table/aws"\n  name   = "r"\n\n  server_side_encryption_enabled     = true\n  server_side_encryption_kms_key_arn = var.kms_key_arn\n}\n\nmodule "local" {\n  source = "./modules/table"\n  key    = var.kms_key_arn\n}\n`,
      },
      {
        path: 'modules/table/main.tf',
        text: `variable "key" {\n  default = null\n}\n\nresource "aws_dynamodb_table" "this" {\n  name     = "l"\n  hash_key = "id"\n\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = var.key\n  }\n}\n`,
      },
      { path: 'env/prod.tfvars', text: `kms_key_arn = ${ARN}\n` },
    ];
    const scan = await processMemory(files, 'scan');
    const tables = Object.fromEntries(scan.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t])));
    expect(tables['module.registry'].status).toBe('unknown');
    expect(tables['module.registry'].message).toContain('kms_key_arn is set per environment by env/prod.tfvars');
    expect(tables['module.local'].status).toBe('unknown');
    expect(tables['module.local'].message).toContain('kms_key_arn is set per environment by env/prod.tfvars');
    const fix = await processMemory(files, 'fix');
    expect(fix.output.get('main.tf')).toBe(files[0].text);
  });
});

/**
 * A key that is one variable without a default, set per environment by var-files alone (adversarial pass of session 47,
 * repro 01 of its last pass): what they set. It was taken as a customer-managed key whatever they said.
 */
describe('a key variable without a default, set by var-files per environment', () => {
  const main = MAIN.replace('variable "kms_key_arn" {\n  default = null\n}', 'variable "kms_key_arn" {\n  type = string\n}').replace(
    'enabled     = local.sse_on',
    'enabled     = true',
  );
  const ANY = '"arn:aws:kms:us-east-1:111122223333:alias/aws/dynamodb"';
  it('every var-file the AWS managed key: aws-managed, fixed; some: unknown naming them; none: customer-managed', async () => {
    const all = await both([
      { path: 'main.tf', text: main },
      { path: 'environments/dev/terraform.tfvars', text: `kms_key_arn = ${ANY}\n` },
      { path: 'environments/prod.tfvars', text: 'kms_key_arn = ""\n' },
    ]);
    expect([all.t.status, all.t.fixable, all.changed]).toEqual(['aws-managed', true, true]);
    const some = await both([
      { path: 'main.tf', text: main },
      { path: 'environments/dev/terraform.tfvars', text: `kms_key_arn = ${ANY}\n` },
      { path: 'environments/prod/terraform.tfvars', text: `kms_key_arn = ${ARN}\n` },
    ]);
    expect([some.t.status, some.t.fixable]).toEqual(['unknown', false]);
    expect(some.t.message).toContain('kms_key_arn is alias/aws/dynamodb (or empty) in environments/dev/terraform.tfvars (-var-file)');
    const none = await both([
      { path: 'main.tf', text: main },
      { path: 'environments/prod/terraform.tfvars', text: `kms_key_arn = ${ARN}\n` },
    ]);
    expect(none.t.status).toBe('customer-managed');
  });
});

/**
 * A switch set per environment from outside with no key of the table's own (real-world round 43, F1:
 * alphagov/di-authentication-api's `enabled = !var.use_localstack`, set true by localstack.tfvars): read as CloudFormation
 * reads `SSEEnabled: !If [IsLocal, false, true]` (outsideSwitch.ts): AWS owned where some value is false, AWS managed
 * where every one is true, never fixed (kmsfix leaves the switch to what sets it); a key that makes some value
 * customer-managed leaves it unknown.
 */
describe('a switch set from outside, with no key of its own', () => {
  const table = (sse: string) =>
    `provider "aws" {\n  region = "eu-west-2"\n}\n\nvariable "use_localstack" {\n  type    = bool\n  default = false\n}\n\n` +
    `resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n\n` +
    `  server_side_encryption {\n${sse}  }\n}\n`;
  const SWITCH = '    enabled = !var.use_localstack\n';

  it('enabled = !var.use_localstack, set true by localstack.tfvars: aws-owned, naming both values, not fixed', async () => {
    const { t, changed } = await both([
      { path: 'main.tf', text: table(SWITCH) },
      { path: 'localstack.tfvars', text: 'use_localstack = true\n' },
    ]);
    expect([t.status, t.fixable, changed]).toEqual(['aws-owned', false, false]);
    expect(t.message).toContain(
      'server_side_encryption.enabled = !var.use_localstack: use_localstack is set per environment by localstack.tfvars (-var-file): ' +
        "true (the AWS managed key) by the module's values (use_localstack defaults to false (main.tf:5)); " +
        'false (the AWS owned key) in localstack.tfvars: no value it can take uses a customer-managed key',
    );
    expect(t.message).toContain('kmsfix leaves the switch to what sets it');
  });

  it('every value true (the default and each var-file): aws-managed, not fixed', async () => {
    const { t, changed } = await both([
      { path: 'main.tf', text: table(SWITCH) },
      { path: 'prod.tfvars', text: 'use_localstack = false\n' },
      { path: 'env/dev.tfvars', text: 'use_localstack = false\n' },
    ]);
    expect([t.status, t.fixable, changed]).toEqual(['aws-managed', false, false]);
    expect(t.message).toContain(
      "true (the AWS managed key) by the module's values (use_localstack defaults to false (main.tf:5)), in prod.tfvars, in env/dev.tfvars",
    );
  });

  it('kms_key_arn = null, and a value kmsfix does not evaluate (terragrunt inputs): true or false, aws-owned', async () => {
    const { t, changed } = await both([
      { path: 'main.tf', text: table(`${SWITCH}    kms_key_arn = null\n`) },
      { path: 'terragrunt.hcl', text: 'inputs = {\n  use_localstack = true\n}\n' },
    ]);
    expect([t.status, t.fixable, changed]).toEqual(['aws-owned', false, false]);
    expect(t.message).toContain(
      'use_localstack is set by terragrunt.hcl inputs: true (the AWS managed key) or false (the AWS owned key): no value it can take',
    );
  });

  it('a key of its own: the value true is customer-managed, so the table stays unknown', async () => {
    const { t, changed } = await both([
      { path: 'main.tf', text: table(`${SWITCH}    kms_key_arn = ${ARN}\n`) },
      { path: 'localstack.tfvars', text: 'use_localstack = true\n' },
    ]);
    expect([t.status, changed]).toEqual(['unknown', false]);
    expect(t.message).toContain('use_localstack is set per environment by localstack.tfvars (-var-file)');
  });
});

/**
 * A folder whose only sign of a root module is a named var-file (real-world round 43, F2): Terraform takes a var-file
 * only for a root module, so the folder is one (rootModule.ts), and its var-files are read for the table's values.
 */
describe('a named var-file makes its folder a root module', () => {
  const MODULE = `variable "sse_enabled" {\n  type    = bool\n  default = false\n}\n\nresource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n\n  server_side_encryption {\n    enabled = var.sse_enabled\n  }\n}\n`;

  it('prod.tfvars true, dev.tfvars false, no provider, backend or lock file: both read, not "not a root module"', async () => {
    const { t, changed } = await both([
      { path: 'main.tf', text: MODULE },
      { path: 'prod.tfvars', text: 'sse_enabled = true\n' },
      { path: 'dev.tfvars', text: 'sse_enabled = false\n' },
    ]);
    expect([t.status, t.fixable, changed]).toEqual(['aws-owned', false, false]);
    expect(t.message).not.toContain('not a root module');
    expect(t.message).toContain('true (the AWS managed key) in prod.tfvars; false (the AWS owned key)');
  });

  it('without a var-file the folder is still a reusable module', async () => {
    const { t } = await both([{ path: 'main.tf', text: MODULE }]);
    expect(t.message).toContain('this folder is not a root module (no provider or backend configuration, lock file or tfvars)');
  });
});
