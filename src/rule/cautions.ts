/**
 * What a fix tells its reviewer beyond the table (EncryptionFacts.cautions): one sentence each,
 * led by its label, in scan's message, fix's notes and the commit message's checklist.
 */
import { someOf } from '../core/text.js';
import type { Caution } from './facts.js';
import { KEY_USE_TEXT } from './keyPolicy.js';

/** How many of a caution's places are named before "and N more". */
const NAMED = 3;

const listed = (items: string[]) => someOf(items, NAMED);

/**
 * Each kind's label, which leads its text ("Key not kept: ..."): the short line of a compliant table names
 * its standing cautions by it (src/report/textReport.ts). Said here only, cautionText puts it first.
 */
const LABEL: Record<Caution['kind'], string> = {
  'local-migrations': 'Local development',
  'permissions-boundary': 'Permissions boundary',
  'undeclared-imports': 'Undeclared imports',
  'unprotected-key': 'Deletion protection',
  'recovery-key': 'Backups',
  'backup-key': 'Backups',
  'iam-roles': 'IAM roles',
  'unkept-key': 'Key not kept',
  'no-alias': 'No alias',
  'package-construct': 'Package construct',
};

export const cautionLabel = (kind: Caution['kind']) => LABEL[kind];

/** The roles an `iam-roles` caution's text names, read back (src/report/commitMessage.ts): its wording is below. */
export const IAM_ROLES = /^IAM roles: with --key-policy iam, (.*) (?:is|are) granted DynamoDB and no KMS action:/;

/** The words of an `iam-roles` caution naming roles whose policies come from a file kmsfix could not read (its `unread`). */
export const IAM_UNREAD = 'kmsfix could not read the policies of';

/**
 * Cautions about the table as it is, not about a fix: said on a table that is not fixed too (a customer-managed
 * one; src/rule/evaluate.ts), and the only cautions a compliant table's report shows (text, -q, SARIF). A
 * compliant table may carry a fix's cautions too, under a peer profile that passes a table kmsfix's own rule fixes.
 */
const STANDING: ReadonlySet<Caution['kind']> = new Set(['unkept-key']);

/** Reports see a table's cautions as texts (TableReport.cautions, as the JSON report gives them) and their kinds beside them (cautionKinds): they ask this of the kind, never the text. */
export const isStanding = (kind: Caution['kind']) => STANDING.has(kind);

/** Items joined with commas and a last `and`, every one named (a role left out is an outage left unsaid). */
const all = (items: string[]) => (items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** A caution's text: its label, then what it says (cautionBody). */
export const cautionText = (c: Caution) => `${LABEL[c.kind]}: ${cautionBody(c)}`;

function cautionBody(c: Caution): string {
  switch (c.kind) {
    case 'local-migrations':
      // Checked against both plugins' createTable (they rename SSEEnabled and pass the rest on) and the SDKs they use.
      return (
        `${c.plugin} passes SSESpecification to DynamoDB Local as written, and the KMSMasterKeyId a fix writes is a ` +
        'CloudFormation function (an object) where the API takes a string: its migration of this table (sls dynamodb migrate; sls offline start ' +
        'with migrate: true) fails (AWS SDK v2: InvalidParameterType). The deployed table is not affected; have the local migration drop ' +
        'SSESpecification, or create the local table from its own definition'
      );
    case 'permissions-boundary':
      return (
        `roles beside this table have one (${listed(c.where)}), which limits what the key policy grants ` +
        `(its principal is *): a role that uses this table keeps access only if its boundary allows ${KEY_USE_TEXT} on the key ` +
        '(DynamoDB asks KMS as each caller); check the boundary before deploying'
      );
    case 'undeclared-imports': {
      const what = `the fix imports ${c.packages.join(' and ')}, which the project's package.json does not declare`;
      const them = c.packages.length === 1 ? 'it' : 'them';
      return c.projen
        ? `${what}, and projen generates it from ${c.projen} (from this file's folder): declare ${them} there, in the list that declares ` +
            '@aws-cdk/aws-dynamodb (cdkDependencies, peerDeps or deps) and at its version, then run `npx projen` (a hand edit of package.json ' +
            "is undone by the next projen run, and until then projen's eslint rule import/no-extraneous-dependencies fails the build)"
        : `${what}: declare ${them} there at the version of @aws-cdk/aws-dynamodb (npm installs ${them} already, as its dependencies; ` +
            'pnpm and Yarn PnP do not), then update the lockfile';
    }
    case 'unprotected-key':
      return (
        `the table's deletion_protection_enabled is ${c.protection}, which the key's lifecycle cannot follow ` +
        '(prevent_destroy takes only a literal), so the new key has no prevent_destroy: wherever the table is protected, leave ' +
        'its key behind with it (terraform state rm of the key and its alias too), or the destroy that follows schedules the ' +
        "key's deletion and the table becomes unreadable"
      );
    case 'recovery-key':
      return (
        "point-in-time recovery is on, so DynamoDB keeps a deleted table's backup for 35 days, encrypted under the " +
        "table's key, which the same destroy schedules for deletion (in at most 30 days; a key with prevent_destroy would fail " +
        'every destroy): before destroying the table, leave its key and alias behind (terraform state rm), or that backup cannot be restored'
      );
    case 'backup-key':
      return (
        `${c.selections.join(', ')} backs the table up, and AWS Backup keeps its recovery points under the table's key ` +
        "(unless the account uses AWS Backup's advanced DynamoDB backup), which a destroy schedules for deletion (in at most 30 days; " +
        'a key with prevent_destroy would fail every destroy): before destroying the table, leave its key and alias behind ' +
        '(terraform state rm), or those recovery points cannot be restored'
      );
    case 'iam-roles': {
      const one = c.roles.length === 1;
      const unread = c.unread ?? [];
      const u = unread.length === 1;
      const unreadText =
        unread.length === 0
          ? ''
          : `${IAM_UNREAD} ${all(unread)}: ${u ? 'it loses' : 'they lose'} access when this deploys if they grant DynamoDB on this ` +
            `table and no KMS action, unless ${u ? 'its' : 'their'} IAM policies grant ${KEY_USE_TEXT} on the key in a deploy before this one`;
      if (c.roles.length === 0) return `with --key-policy iam, ${unreadText}`;
      return (
        `with --key-policy iam, ${all(c.roles)} ${one ? 'is' : 'are'} granted DynamoDB and no KMS action: ${one ? 'it loses' : 'they lose'} access ` +
        `when this deploys unless ${one ? 'its' : 'their'} IAM policies grant ${KEY_USE_TEXT} on the key in a deploy before this one ` +
        '(one in the same deploy is applied after the table switches keys)' +
        (unreadText ? `; ${unreadText}` : '')
      );
    }
    case 'unkept-key': {
      // The same consequence as docs/formats/cloudformation.md "No data loss" gives for the key a fix generates; the step is kmsfix's own.
      const keep =
        c.family === 'cloudformation'
          ? `give ${c.key} DeletionPolicy: Retain and UpdateReplacePolicy: Retain`
          : c.family === 'pulumi'
            ? `give ${c.key} the resource option retainOnDelete: true`
            : c.family === 'sst'
              ? `give ${c.key} the resource option retainOnDelete: $app.removal !== "remove" (kept whenever SST keeps the table)`
              : `give ${c.key} removalPolicy: RemovalPolicy.RETAIN (kms.Key's default) and no applyRemovalPolicy(RemovalPolicy.DESTROY)`;
      const deleting =
        c.family === 'pulumi'
          ? 'pulumi destroy (or removing the table and its key from the program, to move the table to another stack)'
          : c.family === 'sst'
            ? 'sst remove (or removing the table and its key from the app, to move the table to another app)'
            : 'deleting the stack (or removing the table from it, to move it to another stack)';
      const one = c.keptBy.length === 1;
      return (
        `${all(c.keptBy)} ${one ? 'keeps' : 'keep'} this table, or its backups, when its stack deletes or replaces it, ` +
        `but its key ${c.key} (${c.at}) has ${c.policy}: ${deleting}, ` +
        "or replacing the key, schedules the key's deletion while the table, or its backups, stay encrypted under it, and once the " +
        `deletion completes they cannot be read (DynamoDB then archives the table): ${keep}, and when you move the table to another stack, ` +
        'move its key with it'
      );
    }
    case 'package-construct': {
      // What the package adds is seen where the framework writes it out: the synthesized template or Terraform JSON,
      // which kmsfix reads as it reads code (a customer-managed table's obstacles are not said: so the code before the fix).
      const see =
        c.framework === 'pulumi'
          ? "read the package's source for a resource policy or zero-ETL integration it creates on the table (`pulumi preview --diff` " +
            'shows those it would add; `pulumi stack export` those a deployed stack has): where one lets in another account or such a service'
          : `run \`${c.framework === 'cdk' ? 'cdk' : 'cdktf'} synth\` on the code before this fix, then ` +
            `\`kmsfix scan ${c.framework === 'cdk' ? 'cdk.out' : 'cdktf.out'}\`: where it reports this table not fixable for a resource policy, ` +
            'a zero-ETL integration or multi-account replication';
      const one = c.constructs.length === 1;
      return (
        `the table is passed to ${all(c.constructs)}, ${c.calls ? 'code' : one ? 'a construct' : 'constructs'} of an npm package whose source kmsfix does not read: ` +
        `${one ? 'it' : 'they'} may give the table a resource policy or a zero-ETL integration (another account, or a service such as ` +
        `glue.amazonaws.com or redshift.amazonaws.com) that the table's key does not let in. Before deploying, ${see}, ` +
        "do not deploy this table's change until its key's policy lets those principals in"
      );
    }
    case 'no-alias':
      return (
        `the table is created inside \`${c.in}\`, which no variable names, so the fix adds its key without an alias ` +
        "(the key's description names the table); to have one, assign the table to a const before fixing"
      );
  }
}
