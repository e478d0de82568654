/**
 * The table of peer verdicts per status (docs/scanner-parity.md, linked from the README), generated from
 * the same rules that compute `peers` (src/rule/peers/rules.ts), so it cannot drift. `npm run docs:peers`
 * writes it into docs/scanner-parity.md; test/rule/peer-table.test.ts fails when that page is out of date.
 */
import type { SseFacts } from './facts.js';
import { TOOLS, peerVerdicts } from './rules.js';
import { KEY_FORMATS, generatedKeyFacts, keyVerdicts, type KeyFormat } from './keyRules.js';
import { KEY_POLICY_MODES } from '../keyPolicy.js';

interface Example {
  status: string;
  setting: string;
  facts: SseFacts;
}

const EXAMPLES: { title: string; rows: Example[] }[] = [
  {
    title: 'CloudFormation `AWS::DynamoDB::Table`',
    rows: [
      { status: 'aws-owned', setting: 'no `SSESpecification`', facts: { kind: 'cfn-table', block: 'missing' } },
      { status: 'aws-owned', setting: '`SSEEnabled: false`', facts: { kind: 'cfn-table', block: 'present', enabled: false } },
      {
        status: 'aws-owned',
        setting: '`SSEEnabled: "false"`, `SSEType: KMS`',
        facts: { kind: 'cfn-table', block: 'present', enabled: 'false', sseType: 'KMS' },
      },
      { status: 'aws-managed', setting: '`SSEEnabled: true`, no key', facts: { kind: 'cfn-table', block: 'present', enabled: true } },
      {
        status: 'aws-managed',
        setting: '`SSEEnabled: true`, `SSEType: KMS`, `KMSMasterKeyId: alias/aws/dynamodb`',
        facts: { kind: 'cfn-table', block: 'present', enabled: true, sseType: 'KMS', key: 'alias/aws/dynamodb' },
      },
      {
        status: 'aws-managed',
        setting: '`SSEEnabled: true`, `KMSMasterKeyId: !Ref KeyArn`, no `SSEType` (CloudFormation rejects the template: cfn-lint E3021)',
        facts: { kind: 'cfn-table', block: 'present', enabled: true, key: { ref: 'KeyArn' } },
      },
      {
        status: 'customer-managed',
        setting: 'what `kmsfix fix` writes: `SSEEnabled: true`, `SSEType: KMS`, `KMSMasterKeyId: !GetAtt Key.Arn`',
        facts: { kind: 'cfn-table', block: 'present', enabled: true, sseType: 'KMS', key: { ref: 'Key' } },
      },
    ],
  },
  {
    title: 'Terraform `aws_dynamodb_table`',
    rows: [
      { status: 'aws-owned', setting: 'no `server_side_encryption` block', facts: { kind: 'tf-table', block: 'missing' } },
      {
        status: 'aws-owned',
        setting: '`enabled = false` (with a key)',
        facts: { kind: 'tf-table', block: 'present', enabled: false, key: { ref: 'aws_kms_key.k' } },
      },
      {
        status: 'aws-managed',
        setting: '`enabled = true`, no `kms_key_arn`',
        facts: { kind: 'tf-table', block: 'present', enabled: true },
      },
      {
        status: 'aws-managed',
        setting: '`kms_key_arn = "alias/aws/dynamodb"`',
        facts: { kind: 'tf-table', block: 'present', enabled: true, key: 'alias/aws/dynamodb' },
      },
      {
        status: 'aws-managed',
        setting: '`kms_key_arn = "arn:aws:kms:...:alias/aws/dynamodb"`',
        facts: { kind: 'tf-table', block: 'present', enabled: true, key: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb' },
      },
      {
        status: 'customer-managed',
        setting: 'what `kmsfix fix` writes: `enabled = true`, `kms_key_arn = aws_kms_key.x.arn`',
        facts: { kind: 'tf-table', block: 'present', enabled: true, key: { ref: 'aws_kms_key.x' } },
      },
    ],
  },
];

export function peerTableMarkdown(): string {
  const out: string[] = [];
  for (const section of EXAMPLES) {
    const tools = TOOLS.filter((t) => section.rows.some((r) => peerVerdicts(r.facts)[t] !== undefined));
    out.push(`**${section.title}**`, '');
    out.push(`| kmsfix status | setting | ${tools.join(' | ')} |`);
    out.push(`|---|---|${tools.map(() => '---').join('|')}|`);
    for (const r of section.rows) {
      const v = peerVerdicts(r.facts);
      const cells = tools.map((t) => {
        const fired = v[t];
        if (fired === undefined) return 'n/a';
        return fired.length === 0
          ? 'pass'
          : `**fail** ${fired.map((id) => (/^[0-9a-f]{8}-[0-9a-f-]{27}$/.test(id) ? id.slice(0, 8) : id)).join(', ')}`;
      });
      out.push(`| \`${r.status}\` | ${r.setting} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

const FORMAT_NAMES: Record<KeyFormat, string> = {
  cloudformation: 'CloudFormation, SAM',
  serverless: 'Serverless Framework',
  cdk: 'AWS CDK (`cdk.out`)',
  terraform: 'Terraform',
  cdktf: 'CDK for Terraform (`cdk.tf.json`)',
  pulumi: 'Pulumi (TypeScript, YAML)',
};

const shortId = (id: string) => (/^[0-9a-f]{8}-[0-9a-f-]{27}$/.test(id) ? id.slice(0, 8) : id);

/** What each peer tool says about a key kmsfix generates, per format and key policy mode (src/rule/peers/keyRules.ts). */
export function keyTableMarkdown(): string {
  const out = ['| format | `--key-policy` | rules that fail | suppressed inline, with the reason | pass |', '|---|---|---|---|---|'];
  for (const format of KEY_FORMATS) {
    for (const mode of KEY_POLICY_MODES) {
      const v = keyVerdicts(generatedKeyFacts(format, mode));
      const list = (r: string) =>
        v
          .filter((x) => x.result === r)
          .map((x) => `${x.tool} ${shortId(x.id)}`)
          .join(', ') || 'none';
      out.push(
        `| ${FORMAT_NAMES[format]} | \`${mode}\` | ${list('fail')} | ${list('suppressed')} | ${v.length === 0 ? 'no rule reads this key' : list('pass')} |`,
      );
    }
  }
  return out.join('\n') + '\n';
}

export const TABLE_START = '<!-- peer-table:start (generated by `npm run docs:peers`; do not edit) -->';
export const TABLE_END = '<!-- peer-table:end -->';
export const KEY_TABLE_START = '<!-- key-peer-table:start (generated by `npm run docs:peers`; do not edit) -->';
export const KEY_TABLE_END = '<!-- key-peer-table:end -->';

function replaceBetween(text: string, startMark: string, endMark: string, body: string): string {
  const start = text.indexOf(startMark);
  const end = text.indexOf(endMark);
  if (start === -1 || end === -1) throw new Error(`docs/scanner-parity.md has no ${startMark} ... ${endMark} markers`);
  return text.slice(0, start + startMark.length) + '\n' + body + '\n' + text.slice(end);
}

export function withPeerTable(readme: string): string {
  return replaceBetween(
    replaceBetween(readme, TABLE_START, TABLE_END, peerTableMarkdown()),
    KEY_TABLE_START,
    KEY_TABLE_END,
    keyTableMarkdown(),
  );
}
