/** A commit message's note on who can use the new keys (or the existing one), by the key policy the settings chose. */
import { IAM_ROLES } from '../rule/cautions.js';
import { DEFAULT_KEY_POLICY, KEY_USE_TEXT } from '../rule/keyPolicy.js';
import type { TableReport } from '../core/result.js';
import type { Fixed, MessageOptions } from './messageTypes.js';

/**
 * Resource control policies do not apply to AWS owned or AWS managed keys: these keys are the first that an organisation's RCPs on
 * kms:* govern (AWS KMS Developer Guide, Resource control policies in AWS KMS; deploy review of session 58, F2).
 */
const RCP_NOTE =
  'A resource control policy (RCP) on kms:* applies to these keys too, the first it governs (RCPs do not apply to AWS owned ' +
  "or AWS managed keys): one that keeps KMS in a network perimeter must exempt aws:ViaAWSService, or DynamoDB's calls on the callers' behalf are denied.";

/** Who else a drop-in key lets in: nobody outside the account, so neither a service acting as itself (POLICIES_OUTSIDE). */
const NO_OTHER_ACCOUNT = 'No other account, and no service acting as itself (zero-ETL, multi-account replication), can use it.';

/** Who can use the new keys (or the existing one), by the key policy the settings chose. */
export function whoCanUse(fixed: Fixed[], o: MessageOptions): string {
  if (!o.kmsKeyArn && o.key?.denyDirectGrants) return `${whoCanUseByMode(fixed, o)} ${DIRECT_GRANTS_DENIED}`;
  return whoCanUseByMode(fixed, o);
}

/** What `key: deny_direct_grants` adds to the key policy (src/rule/keyPolicy.ts DENY_DIRECT_GRANTS), said in the key policy line. */
const DIRECT_GRANTS_DENIED =
  'Nobody creates a grant on the key except through an AWS service (statement DenyGrantsOutsideAWSServices, key: deny_direct_grants): ' +
  "DynamoDB's grants for the tables' users still work, and the key policy has the statement Control Tower's CT.KMS.PR.3 requires.";

function whoCanUseByMode(fixed: Fixed[], o: MessageOptions): string {
  const mode = o.keyPolicy ?? DEFAULT_KEY_POLICY;
  return o.kmsKeyArn
    ? `Who can use the key: its own key policy decides. It must let every principal that uses these tables use the key through DynamoDB (and a permissions boundary, session policy, service control policy or resource control policy that limits one must allow it too), or they lose access when this is deployed.`
    : mode === 'drop-in'
      ? "Who can use the key (key policy drop-in): every principal of this account that DynamoDB lets in, through DynamoDB in the table's Region only, like aws/dynamodb; " +
        'no identity policy has to change. What limits a caller still does: a permissions boundary, a session policy (sts:AssumeRole with Policy, as ' +
        `tenant-isolation code passes) or a service control policy must allow ${KEY_USE_TEXT} on the key ` +
        '(DynamoDB asks KMS as each caller, and a key policy whose principal is * cannot lift them), or that ' +
        `caller loses access to the tables. ${RCP_NOTE} ${ADMINISTERED} ${NO_OTHER_ACCOUNT}`
      : `Who can use the key (key policy iam): only principals whose IAM policies grant ${KEY_USE_TEXT} on it. ${IAM_ORDER} ${RCP_NOTE}` +
        losing(fixed) +
        ` ${ADMINISTERED}`;
}

/**
 * When the grants of `--key-policy iam` must be deployed (session 61's deploy review, F1). A grant in the same deploy
 * comes too late: a policy naming the table (SAM's DynamoDBCrudPolicy with KMSDecryptPolicy beside it, a Terraform
 * policy with the key's ARN added, AWS CDK's grant*(), which adds the table's key) is updated after the table it
 * names (CloudFormation's and Terraform's order), so the roles are denied from the table's switch until then. And the
 * key does not exist before this deploy: a grant can name it only by a condition.
 */
const IAM_ORDER =
  'Every role that reads or writes these tables needs that grant deployed BEFORE this change (and allowed in any permissions boundary, ' +
  'session policy or service control policy that limits it), or it is denied the tables from their switch: a grant added in the same ' +
  "deploy (a policy naming the new key, or AWS CDK's grant*() on the table, which adds its key) is applied after the table has switched " +
  'keys, as CloudFormation and Terraform update a policy after the table it names. The key does not exist yet: grant those actions on * ' +
  'with the condition kms:ViaService = dynamodb.<region>.amazonaws.com in an earlier deploy, or fix with the default key policy (drop-in) ' +
  'first and move to iam in a later change, once grants on the key have deployed.';

/**
 * Who administers a new key, in both key policies (AllowAccountFullAccessThroughIAM): what the AWS owned key never
 * allowed, a principal of the account disabling or deleting the tables' key (session 56's deploy review).
 */
const ADMINISTERED =
  'The account administers the key through IAM: principals allowed kms:DisableKey, kms:ScheduleKeyDeletion or kms:PutKeyPolicy on * ' +
  '(AdministratorAccess, PowerUserAccess) can make these tables unreadable; consider a service control policy denying those on these keys ' +
  'outside break-glass roles, and an alarm on DisableKey and ScheduleKeyDeletion.';

/**
 * The roles the fixed tables' files grant DynamoDB and no KMS action (caution `iam-roles`, read back from its
 * text), for the `key policy iam` line: `... to Fn (DynamoDBCrudPolicy, template.yaml:21) (Orders, template.yaml:4): grant them these in a deploy before this one.`
 */
function losing(fixed: { t: TableReport; file: string }[]): string {
  const each = fixed.flatMap(({ t, file }) => {
    const at = t.cautionKinds?.indexOf('iam-roles') ?? -1;
    const roles = at < 0 ? undefined : t.cautions?.[at].match(IAM_ROLES)?.[1];
    return roles === undefined ? [] : [`${roles} (${t.address}, ${file}:${t.line})`];
  });
  return each.length === 0
    ? ''
    : ` The files of this change grant DynamoDB and no KMS action to ${each.join('; ')}: grant them these in a deploy before this one.`;
}
