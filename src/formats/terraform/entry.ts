/** Cheap registry entry for the Terraform family: tree-sitter loads only when a file needs it. */
import type { FormatEntry } from '../../core/types.js';

const TABLE = /aws_dynamodb_table|terraform-aws-modules\/dynamodb-table|terraform-aws-dynamodb|cloudposse\/dynamodb|mineiros-io\/dynamodb/;
/** cloudposse/tfstate-backend, trussworks/bootstrap (registryModules.ts LOCK_TABLE_MODULES: kept cheap, this file loads no parser). */
const LOCK_MODULE = /cloudposse\/(tfstate-backend\/aws|terraform-aws-tfstate-backend)|trussworks\/(bootstrap\/aws|terraform-aws-bootstrap)/;
/**
 * A module call with a local source (`source = "../../"`, `"source": "./modules/x"`): the module it
 * calls may declare a table. (A quote before `source` may be there or not: the search needs no
 * pattern for it, and starts at the word.)
 */
const LOCAL_CALL = /source"?\s*[=:]\s*"\.\.?\//;
/** A terragrunt `include` block (`include "envcommon" {`, `include {`). */
const INCLUDE_BLOCK = /^[ \t]*include(?:[ \t]+"[^"\n]*")?[ \t]*\{/m;

/**
 * A module's file: Terraform's `.tf` and `.tf.json`, and OpenTofu's `.tofu` and `.tofu.json`
 * (thienhaole92/opentofu-aws-backend: a project of `.tofu` files alone scanned as "0 tables"). In lower case only, as
 * Terraform reads a folder on every system (hashicorp/terraform internal/configs/parser_file_matcher.go, moduleFiles.Matches:
 * the suffix compared with ".tf" and ".tf.json" exactly): a `Main.TF` is no file of the module (adversarial pass of
 * session 59, U1: it was fixed, and `terraform validate` never read it).
 */
export const isModuleFileName = (name: string) => /\.(tf|tofu)(\.json)?$/.test(name);

/**
 * A terragrunt unit: read for the registry module its `terraform { source }` names (terragruntUnit.ts), a group of its own;
 * also terragrunt's JSON form, `terragrunt.hcl.json` (read for the module folder it deploys: varSources.ts).
 */
export const isTerragruntUnit = (path: string) => /(^|[\\/])terragrunt\.hcl(\.json)?$/.test(path);

/** The names of a terragrunt unit's file, as terragrunt looks for them. */
export const TERRAGRUNT_UNIT_NAMES = ['terragrunt.hcl', 'terragrunt.hcl.json'];

export const terraformEntry: FormatEntry = {
  name: 'terraform',
  accepts: (path) => isModuleFileName(path) || isTerragruntUnit(path),
  prefilter: (text) =>
    (text.includes('dynamodb') && TABLE.test(text)) ||
    // A registry module that creates a state-lock table (registryModules.ts LOCK_TABLE_MODULES): a note.
    (text.includes('tfstate-backend') && LOCK_MODULE.test(text)) ||
    (text.includes('bootstrap') && LOCK_MODULE.test(text)) ||
    (text.includes('source') && LOCAL_CALL.test(text)) ||
    // A terragrunt unit whose source an included file sets (`_envcommon/dynamodb.hcl`: terragruntUnit.ts).
    (text.includes('include') && INCLUDE_BLOCK.test(text)) ||
    // A CloudFormation template in a heredoc (src/formats/terraform/embedded.ts).
    (text.includes('AWS::DynamoDB::') && text.includes('<<')),
  // A module's files, its lock file (which hashicorp/aws version the module runs with), and its
  // variable files: those Terraform loads for a root module (terraform.tfvars, *.auto.tfvars), and
  // those passed with -var-file (prod.tfvars), which set a variable per environment.
  siblingFile: (name) => isModuleFileName(name) || name === '.terraform.lock.hcl' || /\.tfvars(\.json)?$/.test(name),
  // A terragrunt unit anywhere in the tree may deploy a module folder (varSources.ts).
  treeFile: (name) => TERRAGRUNT_UNIT_NAMES.includes(name),
  load: async () => (await import('./index.js')).terraform,
};
