/** A fixed table's lines in a commit message: its key, and what its deploy does to its replicas. */
import { FIX_NOTE } from '../rule/evaluate.js';
import { KEY_USE_TEXT } from '../rule/keyPolicy.js';
import { keyArnRegion } from '../rule/keyArn.js';
import type { TableReport } from '../core/result.js';
import type { MessageOptions } from './messageTypes.js';

/** The CloudFormation family's formats, whose stacks' Regions kmsfix reads only where the project names them. */
const CFN_FAMILY: ReadonlySet<string> = new Set(['cloudformation', 'sam', 'serverless']);

/**
 * --kms-key-arn's Region, where kmsfix found no Region for a CloudFormation, SAM or Serverless table's stack (a table
 * whose stack deploys elsewhere is not fixed: cloudformation/fix.ts otherStackRegion; session 64, F3).
 */
export function keyRegionNote(t: TableReport, o: MessageOptions): string {
  const region = o.kmsKeyArn ? keyArnRegion(o.kmsKeyArn) : undefined;
  if (!region) return '';
  const read = READ_WHERE[t.format];
  if (read)
    return `; the key is in ${region}: deploy this stack there only (a table's key must be in its Region, and kmsfix compares it only with ${read})`;
  if (!CFN_FAMILY.has(t.format) || t.deployRegions?.length) return '';
  return `; the key is in ${region}: deploy this stack there only (a table's key must be in its Region, and kmsfix found no Region for this stack)`;
}

/**
 * Where the formats of code read a table's Region for --kms-key-arn (typescript/regions.ts and fix.ts, pulumi-yaml's
 * fix): a table whose Region is found nowhere is fixed, so its key line names the key's Region too (session 65's deploy
 * review; the CDK app's entry and the Pulumi stacks' aws:region are read since session 65's region2 work).
 */
const READ_WHERE: Record<string, string> = {
  cdk: "the literal env.region of its stack where the table's own file or the CDK app's entry creates it",
  cdktf: "the region of the table's provider written in its file",
  pulumi: "the region of a provider written in the program, or, on the default provider, each stack's aws:region (Pulumi.<stack>.yaml)",
  'pulumi-yaml':
    "the region of a provider written in the program, or, on the default provider, each stack's aws:region (Pulumi.<stack>.yaml)",
};

/** What terraform apply does to the replicas of a table fixed with --recreate-replicas (src/rule/evaluate.ts words it). */
export function recreation(t: TableReport): string | undefined {
  const note = FIX_NOTE.exec(t.message);
  return note?.[1] === '--recreate-replicas' ? note[2] : undefined;
}

export function keyOf(o: MessageOptions): string {
  if (o.kmsKeyArn) return `the existing key ${o.kmsKeyArn}`;
  const alias = (o.key?.alias ?? 'alias/dynamodb/{table}').replace('{table}', '<table name>');
  return o.keyStrategy === 'shared'
    ? `a new customer-managed KMS key shared by the tables of its template or module (rotation on, alias ${alias.replace('<table name>', '<first table name>-shared')})`
    : `a new customer-managed KMS key of its own (rotation on, alias ${alias})`;
}

/**
 * The key line of a table whose fix turned its switch on alone and kept the key it names (TableReport.keptKey): no
 * key is created for it, and its policy is its team's, not kmsfix's, so the reviewer checks that it lets DynamoDB and
 * the table's users in (real-world round 38 F5: the message named a new key of its own, and asked about its cost).
 */
export function keptKeyText(key: string): string {
  // In full, on one line: the reviewer checks that key's policy, so its account, Region and key ID all count.
  const one = key.replace(/\s+/g, ' ').trim();
  return (
    `the key it already named (\`${one}\`), now switched on; kmsfix did not write its policy: check that it lets DynamoDB and ` +
    `the table's users use it (${KEY_USE_TEXT} through DynamoDB), or they lose access once the table switches`
  );
}
