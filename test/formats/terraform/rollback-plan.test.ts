/**
 * How a Terraform fix is rolled back, checked against the real AWS provider's plan (no AWS account:
 * a state written by hand for the fixed tables and keys, `plan -refresh=false`, and a local stand-in
 * for STS that answers GetCallerIdentity for the key policy's data source).
 *
 * A revert of the fix plans no change to the tables (kms_key_arn is Optional+Computed: removing it,
 * or the whole server_side_encryption block, keeps what the provider read back) and deletes their
 * keys: the tables would be left on keys pending deletion. The roll back the commit message gives
 * (src/report/rollback.ts) changes the tables first and keeps the keys; only then are the keys removed.
 *
 * Needs terraform and a filesystem mirror of hashicorp/aws (KMSFIX_TF_PLUGINS, default
 * /opt/tf-plugins); skipped, saying so, without them.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableReport } from '../../../src/core/result.js';
import { processMemory } from '../../../src/engine/memory.js';
import { rollbackNote } from '../../../src/report/rollback.js';
import { TERRAFORM } from '../../helpers/terraform-helpers.js';

const run = promisify(execFile);
const PLUGINS = process.env.KMSFIX_TF_PLUGINS ?? '/opt/tf-plugins';
const AWS_DIR = path.join(PLUGINS, 'registry.terraform.io', 'hashicorp', 'aws');
const VERSION = existsSync(AWS_DIR) ? readdirSync(AWS_DIR).sort().at(-1) : undefined;
const HAVE_TERRAFORM = spawnSync(TERRAFORM, ['version'], { encoding: 'utf8' }).status === 0;
const WHY_SKIPPED = !HAVE_TERRAFORM
  ? 'terraform is not installed: the roll-back plans are not checked'
  : `no filesystem mirror of hashicorp/aws under ${PLUGINS} (set KMSFIX_TF_PLUGINS): the roll-back plans are not checked`;
const READY = HAVE_TERRAFORM && VERSION !== undefined;

const ACCOUNT = '111122223333';
const MANAGED_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/aws-managed-dynamodb`;
const tableText = (name: string, body = '') =>
  `resource "aws_dynamodb_table" "${name}" {\n  name         = "${name}"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n${body}}\n`;
const INPUT = `${tableText('owned')}\n${tableText('managed', '\n  server_side_encryption {\n    enabled = true\n  }\n')}`;

/** A minimal state instance of each resource the plans look at. */
function stateOf(tables: Record<string, { enabled: boolean; kmsKeyArn: string }>, keys: string[]) {
  const provider = 'provider["registry.terraform.io/hashicorp/aws"]';
  const keyArn = (name: string) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${name}`;
  const resources = [
    ...Object.entries(tables).map(([name, sse]) => ({
      mode: 'managed',
      type: 'aws_dynamodb_table',
      name,
      provider,
      instances: [
        {
          schema_version: 1,
          attributes: {
            id: name,
            name,
            arn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${name}`,
            billing_mode: 'PAY_PER_REQUEST',
            hash_key: 'id',
            attribute: [{ name: 'id', type: 'S' }],
            server_side_encryption: [{ enabled: sse.enabled, kms_key_arn: sse.kmsKeyArn }],
            point_in_time_recovery: [{ enabled: false, recovery_period_in_days: 0 }],
            ttl: [{ attribute_name: '', enabled: false }],
            table_class: 'STANDARD',
            deletion_protection_enabled: false,
            stream_enabled: false,
            tags_all: {},
          },
        },
      ],
    })),
    ...keys.flatMap((name) => [
      {
        mode: 'managed',
        type: 'aws_kms_key',
        name,
        provider,
        instances: [
          {
            schema_version: 0,
            attributes: {
              id: name,
              arn: keyArn(name),
              key_id: name,
              description: `KMS key for DynamoDB table ${name}`,
              enable_key_rotation: true,
              deletion_window_in_days: 30,
              is_enabled: true,
              key_usage: 'ENCRYPT_DECRYPT',
              customer_master_key_spec: 'SYMMETRIC_DEFAULT',
              policy: '{}',
              tags_all: {},
            },
          },
        ],
      },
      {
        mode: 'managed',
        type: 'aws_kms_alias',
        name,
        provider,
        instances: [
          {
            schema_version: 0,
            attributes: {
              id: `alias/dynamodb/${name}`,
              name: `alias/dynamodb/${name}`,
              arn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/dynamodb/${name}`,
              target_key_id: name,
              target_key_arn: keyArn(name),
            },
          },
        ],
      },
    ]),
  ];
  return JSON.stringify({ version: 4, terraform_version: '1.5.0', serial: 1, lineage: 'kmsfix-test', outputs: {}, resources });
}

let dir = '';
let sts: ReturnType<typeof createServer> | undefined;
let fixed = '';
let env: NodeJS.ProcessEnv = {};

/** Actions the plan of `config` against `state` takes, by address. */
async function plan(config: string, state: string): Promise<Record<string, string>> {
  writeFileSync(path.join(dir, 'main.tf'), config);
  writeFileSync(path.join(dir, 'terraform.tfstate'), state);
  await run(TERRAFORM, ['plan', '-refresh=false', '-input=false', '-lock=false', '-out=plan.bin'], { cwd: dir, env });
  const { stdout } = await run(TERRAFORM, ['show', '-json', 'plan.bin'], { cwd: dir, env, maxBuffer: 64 << 20 });
  const changes: { address: string; change: { actions: string[] } }[] = JSON.parse(stdout).resource_changes ?? [];
  return Object.fromEntries(changes.map((c) => [c.address, c.change.actions.join('+')]));
}

/** The fixed text with each table's server_side_encryption block replaced. */
function withEncryption(text: string, blocks: Record<string, string>): string {
  let out = text;
  for (const [name, block] of Object.entries(blocks)) {
    const start = out.indexOf(`resource "aws_dynamodb_table" "${name}"`);
    const from = out.indexOf('  server_side_encryption {', start);
    const to = out.indexOf('\n  }\n', from) + 5;
    expect(from).toBeGreaterThan(start);
    out = out.slice(0, from) + block + out.slice(to);
  }
  return out;
}

describe('rolling back a Terraform fix, as the AWS provider plans it', () => {
  beforeAll(async () => {
    if (!READY) return;
    dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-rollback-'));
    // GetCallerIdentity for data.aws_caller_identity (the key policy's account).
    sts = createServer((socket) => {
      // One answer per connection, at the request's first bytes: a request that arrives in two chunks
      // (headers, then body) made a second end() of an ended socket (ERR_STREAM_WRITE_AFTER_END).
      socket.on('error', () => {});
      socket.once('data', () => {
        const body = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/test</Arn><UserId>AIDATEST</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
        socket.end(
          `HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      });
    });
    await new Promise<void>((resolve) => sts!.listen(0, '127.0.0.1', resolve));
    const port = (sts.address() as AddressInfo).port;
    writeFileSync(path.join(dir, 'rc'), `provider_installation {\n  filesystem_mirror {\n    path = "${PLUGINS}"\n  }\n}\n`);
    writeFileSync(
      path.join(dir, 'provider.tf'),
      `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "${VERSION}"\n    }\n  }\n}\n\n` +
        `provider "aws" {\n  region                      = "us-east-1"\n  access_key                  = "AKIATEST"\n  secret_key                  = "test"\n` +
        `  skip_credentials_validation = true\n  skip_requesting_account_id  = true\n  skip_metadata_api_check     = true\n` +
        `  endpoints {\n    sts = "http://127.0.0.1:${port}"\n  }\n}\n`,
    );
    env = { ...process.env, TF_CLI_CONFIG_FILE: path.join(dir, 'rc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
    await run(TERRAFORM, ['init', '-input=false', '-backend=false'], { cwd: dir, env });
    const r = await processMemory([{ path: 'main.tf', text: INPUT }], 'fix', {});
    expect(r.outcomes[0].tables.map((t) => [t.address, t.fixed])).toEqual([
      ['aws_dynamodb_table.owned', true],
      ['aws_dynamodb_table.managed', true],
    ]);
    fixed = r.output.get('main.tf')!;
  }, 120_000);

  afterAll(() => {
    sts?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const deployed = () =>
    stateOf(
      {
        owned: { enabled: true, kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/owned` },
        managed: { enabled: true, kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/managed` },
      },
      ['owned', 'managed'],
    );

  it('the fixed configuration matches its deployed state: the tables and keys stay', async (ctx) => {
    ctx.skip(!READY, WHY_SKIPPED);
    const actions = await plan(fixed, deployed());
    for (const name of ['owned', 'managed']) {
      expect(actions[`aws_dynamodb_table.${name}`]).toBe('no-op');
      expect(actions[`aws_kms_key.${name}`]).not.toContain('delete');
    }
  }, 120_000);

  it('a revert of the fix changes no table and deletes the keys under them (what the roll-back note warns of)', async (ctx) => {
    ctx.skip(!READY, WHY_SKIPPED);
    const actions = await plan(INPUT, deployed());
    expect(actions).toMatchObject({
      'aws_dynamodb_table.owned': 'no-op',
      'aws_dynamodb_table.managed': 'no-op',
      'aws_kms_key.owned': 'delete',
      'aws_kms_key.managed': 'delete',
      'aws_kms_alias.owned': 'delete',
      'aws_kms_alias.managed': 'delete',
    });
  }, 120_000);

  it("the note's first step switches each table back in place and keeps the keys; its second then removes them", async (ctx) => {
    ctx.skip(!READY, WHY_SKIPPED);
    // The note's words for a Terraform table that was AWS owned are the block itself.
    const t = { format: 'terraform', type: 'aws_dynamodb_table', status: 'aws-owned', address: 'x' } as TableReport;
    const note = rollbackNote([t], { existingKey: false, windowDays: 30, recreated: [] }).map((n) => n.text);
    const ownedBlock = /Terraform, was aws-owned: `(.*)`$/.exec(note.find((n) => n.startsWith('Terraform, was aws-owned'))!)![1];
    expect(ownedBlock).toBe('server_side_encryption { enabled = false }');
    const blocks = {
      owned: `  ${ownedBlock}\n`,
      managed: `  server_side_encryption {\n    enabled     = true\n    kms_key_arn = "${MANAGED_KEY}"\n  }\n`,
    };
    const step1 = await plan(withEncryption(fixed, blocks), deployed());
    expect(step1['aws_dynamodb_table.owned']).toBe('update');
    expect(step1['aws_dynamodb_table.managed']).toBe('update');
    for (const [address, action] of Object.entries(step1)) if (/aws_kms_(key|alias)/.test(address)) expect(action).not.toContain('delete');

    // Deployed: the tables are back (AWS owned: no key; AWS managed: its key). Now the keys can go.
    const switched = stateOf({ owned: { enabled: false, kmsKeyArn: '' }, managed: { enabled: true, kmsKeyArn: MANAGED_KEY } }, [
      'owned',
      'managed',
    ]);
    const withoutKeys = `${tableText('owned', `\n${blocks.owned}`)}\n${tableText('managed', `\n${blocks.managed}`)}`;
    const step2 = await plan(withoutKeys, switched);
    expect(step2).toMatchObject({
      'aws_dynamodb_table.owned': 'no-op',
      'aws_dynamodb_table.managed': 'no-op',
      'aws_kms_key.owned': 'delete',
      'aws_kms_key.managed': 'delete',
    });
  }, 180_000);
});
