/**
 * A Serverless service whose plugin migrates its tables into DynamoDB Local (serverless-dynamodb-local,
 * serverless-dynamodb): the plugins pass SSESpecification on as written, so a fixed table's
 * KMSMasterKeyId (a CloudFormation function, an object) breaks that migration. The deployed table is
 * right; scan, fix (in place, preview, patches) and the commit message say what changes locally.
 * (The output itself: fixtures/cloudformation/serverless-dynamodb-local.)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GIT_ENV, runCli, scanJson } from '../helpers/cli-helper.js';
import { FIXTURES } from '../helpers/fixture-cases.js';

const INPUT = path.join(FIXTURES, 'cloudformation/serverless-dynamodb-local/input.yml');
const NOTE = 'Local development: serverless-dynamodb-local passes SSESpecification to DynamoDB Local as written';

function service(text = readFileSync(INPUT, 'utf8')): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-local-'));
  writeFileSync(path.join(dir, 'serverless.yml'), text);
  return dir;
}

interface Out {
  tables: { address: string; fixable: boolean; message: string }[];
  notes: string[];
}

describe('serverless-dynamodb-local', () => {
  it('scan: a fixable table of the service says its local migration breaks; a compliant one does not', async () => {
    const out = (await scanJson(service())) as Out;
    const by = Object.fromEntries(out.tables.map((t) => [t.address, t]));
    expect(by.OrdersTable.fixable).toBe(true);
    expect(by.OrdersTable.message).toContain(NOTE);
    expect(by.OrdersTable.message).toContain('(AWS SDK v2: InvalidParameterType). The deployed table is not affected');
    expect(by.AuditTable.message).not.toContain('Local development');
  });

  it('the fork serverless-dynamodb in a plain plugin list is named; without such a plugin nothing is said', async () => {
    const fork = readFileSync(INPUT, 'utf8').replace(/plugins:\n(?: .*\n)+/, 'plugins:\n  - serverless-offline\n  - serverless-dynamodb\n');
    expect(fork).toContain('  - serverless-dynamodb\n');
    const out = (await scanJson(service(fork))) as Out;
    expect(out.tables.find((t) => t.address === 'OrdersTable')!.message).toContain('Local development: serverless-dynamodb passes');
    const none = readFileSync(INPUT, 'utf8').replace('    - serverless-dynamodb-local\n', '');
    const plain = (await scanJson(service(none))) as Out;
    expect(plain.tables.find((t) => t.address === 'OrdersTable')!.message).not.toContain('Local development');
  });

  it('serverless.ts: the plugin in its plugins array is named the same way', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-local-ts-'));
    const ts = readFileSync(path.join(FIXTURES, 'typescript/serverless-ts/input.ts'), 'utf8');
    const withPlugin = ts.replace(
      "frameworkVersion: '3',",
      "frameworkVersion: '3',\n  plugins: ['serverless-esbuild', 'serverless-dynamodb-local'],",
    );
    expect(withPlugin).not.toBe(ts);
    writeFileSync(path.join(dir, 'serverless.ts'), withPlugin);
    const out = (await scanJson(dir)) as Out;
    expect(out.tables.find((t) => t.address === 'ShopItemsTable')!.message).toContain(NOTE);
    writeFileSync(path.join(dir, 'serverless.ts'), ts);
    const plain = (await scanJson(dir)) as Out;
    expect(plain.tables.find((t) => t.address === 'ShopItemsTable')!.message).not.toContain('Local development');
  });

  it('fix in place and its preview print the note once per fixed table; the JSON report lists it', async () => {
    const dir = service();
    const preview = await runCli(['fix', '--dry-run'], dir);
    expect(preview.stderr).toContain(`note: serverless.yml:23 OrdersTable: ${NOTE}`);
    expect(preview.stderr.split(NOTE).length).toBe(2);
    const json = JSON.parse((await runCli(['fix', '--dry-run', '--format', 'json'], dir)).stdout) as Out;
    expect(json.notes).toEqual([expect.stringContaining(`serverless.yml:23 OrdersTable: ${NOTE}`)]);
    const r = await runCli(['fix', '--yes'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`note: serverless.yml:23 OrdersTable: ${NOTE}`);
    expect(readFileSync(path.join(dir, 'serverless.yml'), 'utf8')).toBe(
      readFileSync(path.join(FIXTURES, 'cloudformation/serverless-dynamodb-local/expected.yml'), 'utf8'),
    );
  });

  it('--kms-key-arn with a literal ARN writes a string, which the plugins pass on: no note', async () => {
    // In us-east-1, the Framework's Region for a service without provider.region (a key of another Region is declined: session 64).
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const r = await runCli(['fix', '--dry-run', '--kms-key-arn', arn], service());
    expect(r.stdout).toContain(`KMSMasterKeyId: ${arn}`);
    expect(r.stderr).not.toContain('Local development');
  });

  it('--patch-dir: the commit message tells the reviewer before merging', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kmsfix-local-repo-'));
    const repo = path.join(root, 'orders');
    cpSync(service(), repo, { recursive: true });
    for (const args of [
      ['init', '-q'],
      ['add', '-A'],
      ['commit', '-qm', 'init'],
    ])
      execFileSync('git', args, { cwd: repo, env: GIT_ENV });
    const r = await runCli(['fix', '--patch-dir', 'patches', 'orders'], root);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`OrdersTable: ${NOTE}`);
    const mail = readFileSync(path.join(root, 'patches', 'orders.mbox'), 'utf8').replace(/\n\s+/g, ' ');
    expect(mail).toContain(`* ${NOTE}`);
    expect(mail).toContain(
      'have the local migration drop SSESpecification, or create the local table from its own definition (OrdersTable).',
    );
  });
});
