/**
 * The var-files a terragrunt unit passes through `terraform { extra_arguments "x" { arguments = ["-var-file=..."],
 * required_var_files, optional_var_files } }`, in the unit or a file it includes (src/formats/terraform/
 * terragruntVarFiles.ts), set the variables of the module folder it deploys, as its inputs do: a table whose key
 * reads one is unknown, naming the var-file, and never fixed. Before (session 55, Terraform round F1), a default
 * null was read (aws-managed, and a fix replaced the key the var-file passes), and a default key whose var-file set
 * alias/aws/dynamodb was customer-managed, exit 0.
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';

const CMK = '"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"';
const MODULE = (fallback: string) => `variable "table_kms_key_arn" {
  type    = string
  default = ${fallback}
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "pk"

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.table_kms_key_arn
  }
}

terraform {
  backend "s3" {}
}
`;
const unit = (extra: string, include = '') =>
  `${include}terraform {\n  source = "../../../modules/orders"\n\n  extra_arguments "env_vars" {\n    commands = get_terraform_commands_that_need_vars()\n${extra}  }\n}\n`;

async function orders(files: MemoryFile[]) {
  const scan = await processMemory(files, 'scan');
  const fix = await processMemory(files, 'fix');
  const t = scan.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'aws_dynamodb_table.orders')!;
  return { t, changed: fix.outcomes.some((o) => o.newText !== undefined) };
}

const tree = (fallback: string, unitText: string, extra: MemoryFile[] = []): MemoryFile[] => [
  { path: 'modules/orders/main.tf', text: MODULE(fallback) },
  { path: 'live/prod/orders/terragrunt.hcl', text: unitText },
  ...extra,
];

describe('var-files a terragrunt unit passes in extra_arguments', () => {
  const PROD: MemoryFile = { path: 'live/prod/orders/prod.tfvars', text: `table_kms_key_arn = ${CMK}\n` };

  it('each form sets the variable: unknown, naming the var-file, not fixed (a default null is not read)', async () => {
    for (const extra of [
      '    arguments = ["-var-file=${get_terragrunt_dir()}/prod.tfvars"]\n',
      '    arguments = ["-lock-timeout=20m", "-var-file", "prod.tfvars"]\n',
      '    required_var_files = ["${get_terragrunt_dir()}/prod.tfvars"]\n',
      '    optional_var_files = ["${get_terragrunt_dir()}/prod.tfvars", "${get_terragrunt_dir()}/absent.tfvars"]\n',
    ]) {
      const { t, changed } = await orders(tree('null', unit(extra), [PROD]));
      expect([extra, t.status, t.fixable, changed]).toEqual([extra, 'unknown', false, false]);
      expect(t.message).toContain(
        'table_kms_key_arn is set by ../../live/prod/orders/prod.tfvars (a var-file the terragrunt unit ../../live/prod/orders/terragrunt.hcl passes in extra_arguments)',
      );
    }
  });

  it('a default key that a var-file sets to alias/aws/dynamodb is never customer-managed', async () => {
    const prod = { path: 'live/prod/orders/prod.tfvars', text: 'table_kms_key_arn = "alias/aws/dynamodb"\n' };
    const { t, changed } = await orders(tree(CMK, unit('    arguments = ["-var-file=${get_terragrunt_dir()}/prod.tfvars"]\n'), [prod]));
    expect([t.status, changed]).toEqual(['unknown', false]);
  });

  it("an included root.hcl's var-files, found through path functions, count; -var arguments too", async () => {
    const include = 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\n';
    const own = 'terraform {\n  source = "../../../modules/orders"\n}\n';
    for (const [root, extra] of [
      [
        '    required_var_files = ["${find_in_parent_folders("common.tfvars")}"]\n',
        { path: 'live/common.tfvars', text: `table_kms_key_arn = ${CMK}\n` },
      ],
      [
        '    required_var_files = ["${get_parent_terragrunt_dir()}/common.tfvars"]\n',
        { path: 'live/common.tfvars', text: `table_kms_key_arn = ${CMK}\n` },
      ],
      ['    arguments = ["-var=table_kms_key_arn=alias/aws/dynamodb"]\n', undefined],
    ] as [string, MemoryFile | undefined][]) {
      const rootText = `terraform {\n  extra_arguments "common" {\n    commands = ["plan", "apply"]\n${root}  }\n}\n`;
      const files = tree(CMK, `${include}${own}`, [{ path: 'live/root.hcl', text: rootText }, ...(extra ? [extra] : [])]);
      const { t, changed } = await orders(files);
      expect([root, t.status, changed]).toEqual([root, 'unknown', false]);
    }
  });

  it('a var-file kmsfix cannot resolve or find may set the variable: unknown, saying which; other extra_arguments change nothing', async () => {
    for (const extra of [
      '    arguments = ["-var-file=${local.env}.tfvars"]\n',
      '    required_var_files = ["${get_terragrunt_dir()}/missing.tfvars"]\n',
      '    required_var_files = local.files\n',
    ]) {
      const { t, changed } = await orders(tree('null', unit(extra)));
      expect([extra, t.status, changed]).toEqual([extra, 'unknown', false]);
      expect(t.message).toContain('table_kms_key_arn may be set by ');
    }
    const { t, changed } = await orders(tree('null', unit('    arguments = ["-lock-timeout=20m"]\n')));
    expect([t.status, changed]).toEqual(['aws-managed', true]);
    // A var-file that sets other variables only.
    const other = { path: 'live/prod/orders/prod.tfvars', text: 'table_name = "orders"\n' };
    const o = await orders(tree('null', unit('    arguments = ["-var-file=prod.tfvars"]\n'), [other]));
    expect([o.t.status, o.changed]).toEqual(['aws-managed', true]);
  });
});

describe('var-files of a unit of a DynamoDB registry module', () => {
  const registry = (extra: string) =>
    'terraform {\n  source = "tfr:///terraform-aws-modules/dynamodb-table/aws?version=4.2.0"\n\n' +
    `  extra_arguments "env_vars" {\n    commands = get_terraform_commands_that_need_vars()\n${extra}  }\n}\n\n` +
    `inputs = {\n  name = "orders"\n  server_side_encryption_enabled = true\n  server_side_encryption_kms_key_arn = ${CMK}\n}\n`;

  it('a var-file that sets the key (over the inputs), or one kmsfix cannot read: unknown; one that sets other variables: as before', async () => {
    const status = async (tfvars: string | undefined, extra = '    required_var_files = ["${get_terragrunt_dir()}/prod.tfvars"]\n') => {
      const files: MemoryFile[] = [{ path: 'live/prod/orders/terragrunt.hcl', text: registry(extra) }];
      if (tfvars !== undefined) files.push({ path: 'live/prod/orders/prod.tfvars', text: tfvars });
      const t = (await processMemory(files, 'scan')).outcomes.flatMap((o) => o.tables)[0];
      return [t.status, t.message] as const;
    };
    const [managed, why] = await status('server_side_encryption_kms_key_arn = "alias/aws/dynamodb"\n');
    expect(managed).toBe('unknown');
    expect(why).toContain(
      "server_side_encryption_kms_key_arn is set by prod.tfvars, passed in the unit's extra_arguments (over its inputs)",
    );
    expect((await status(undefined))[0]).toBe('unknown');
    expect((await status('name = "orders-prod"\n'))[0]).toBe('customer-managed');
  });
});

describe("TF_VAR_ variables of a unit's extra_arguments env_vars (session 56, adversarial F5)", () => {
  it('set the variable as a var-file does: unknown, naming them, not fixed (the default null is not read)', async () => {
    const extra = `    env_vars = {\n      TF_VAR_table_kms_key_arn = ${CMK}\n      AWS_PROFILE              = "prod"\n    }\n`;
    const { t, changed } = await orders(tree('null', unit(extra)));
    expect([t.status, t.fixable, changed]).toEqual(['unknown', false, false]);
    expect(t.message).toContain(
      'table_kms_key_arn is set by the TF_VAR_ env_vars of the extra_arguments of the terragrunt unit ../../live/prod/orders/terragrunt.hcl',
    );
  });
  it('a default key that TF_VAR_ sets to alias/aws/dynamodb is never customer-managed; in an included root.hcl too', async () => {
    const extra = '    env_vars = {\n      TF_VAR_table_kms_key_arn = "alias/aws/dynamodb"\n    }\n';
    expect((await orders(tree(CMK, unit(extra)))).t.status).toBe('unknown');
    const include =
      'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\nterraform {\n  source = "../../../modules/orders"\n}\n';
    const root = `terraform {\n  extra_arguments "common" {\n    commands = ["plan", "apply"]\n${extra}  }\n}\n`;
    const o = await orders(tree(CMK, include, [{ path: 'live/root.hcl', text: root }]));
    expect([o.t.status, o.changed]).toEqual(['unknown', false]);
    expect(o.t.message).toContain('the TF_VAR_ env_vars of the extra_arguments of ../../live/root.hcl, included by the terragrunt unit');
  });
  it('env_vars kmsfix cannot read may set it; other variables change nothing', async () => {
    const { t } = await orders(tree('null', unit('    env_vars = local.env_vars\n')));
    expect(t.status).toBe('unknown');
    expect(t.message).toContain('table_kms_key_arn may be set by extra_arguments "env_vars" env_vars = local.env_vars');
    const o = await orders(tree('null', unit('    env_vars = {\n      TF_VAR_table_name = "orders"\n    }\n')));
    expect([o.t.status, o.changed]).toEqual(['aws-managed', true]);
  });
  it('a registry module unit: TF_VAR_ over the key in its inputs is unknown', async () => {
    const text =
      'terraform {\n  source = "tfr:///terraform-aws-modules/dynamodb-table/aws?version=4.2.0"\n\n' +
      '  extra_arguments "key" {\n    commands = ["apply"]\n    env_vars = {\n      TF_VAR_server_side_encryption_kms_key_arn = "alias/aws/dynamodb"\n    }\n  }\n}\n\n' +
      `inputs = {\n  name = "orders"\n  server_side_encryption_enabled = true\n  server_side_encryption_kms_key_arn = ${CMK}\n}\n`;
    const t = (await processMemory([{ path: 'live/prod/orders/terragrunt.hcl', text }], 'scan')).outcomes.flatMap((o) => o.tables)[0];
    expect(t.status).toBe('unknown');
    expect(t.message).toContain('is set by the TF_VAR_ env_vars of the extra_arguments of terragrunt.hcl');
  });
});
