/**
 * Serverless Compose (real-world round 32): a `serverless-compose.yml` above a service passes its `${param:x}` on every
 * deploy through Compose, over the service's own params and the variable's fallback. kmsfix read only the service
 * file: a `${param:tableKey, "alias/aws/dynamodb"}` whose compose file passes another service's KMS key was taken for
 * the fallback (aws-managed, and `fix` replaced the organisation's key, r6); a `${param:tableKey}` the compose file
 * passes `alias/aws/dynamodb` was taken for a customer-managed key (r2).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { run } from '../../../src/engine/run.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const orders = (key: string, extra = '') => `service: orders
provider:
  name: aws
${extra}resources:
  Resources:
    OrdersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        SSESpecification:
          SSEEnabled: true
          SSEType: KMS
          KMSMasterKeyId: ${key}
`;
const keys = (output = '!GetAtt TableKey.Arn') => `service: keys
provider:
  name: aws
resources:
  Resources:
    TableKey:
      Type: AWS::KMS::Key
      Properties:
        EnableKeyRotation: true
    Bucket:
      Type: AWS::S3::Bucket
  Outputs:
    TableKeyArn:
      Value: ${output}
`;
const compose = (params: string, name = 'orders') =>
  `services:\n  keys:\n    path: keys\n  ${name}:\n    path: ${name}\n${params ? `    params:\n      tableKey: ${params}\n` : ''}`;
const FALLBACK = '${param:tableKey, "alias/aws/dynamodb"}';

async function scan(files: Record<string, string>, mode: 'scan' | 'fix' = 'scan') {
  const r = await processMemory(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    mode,
  );
  const o = r.outcomes.find((x) => x.file.path === 'orders/serverless.yml')!;
  return { t: o.tables[0], output: r.output.get('orders/serverless.yml') };
}

describe('a param a compose file passes the service', () => {
  it('another service’s output that is its AWS::KMS::Key (r6): customer-managed, the fallback not fixed', async () => {
    const files = {
      'serverless-compose.yml': compose('${keys.TableKeyArn}'),
      'keys/serverless.yml': keys(),
      'orders/serverless.yml': orders(FALLBACK),
    };
    const { t } = await scan(files);
    expect(t.status).toBe('customer-managed');
    expect(t.reason).toMatch(/serverless-compose\.yml services\.orders\.params\.tableKey/);
    expect(t.reason).toMatch(/AWS::KMS::Key TableKey of keys\/serverless\.yml/);
    const fixed = await scan(files, 'fix');
    expect(fixed.output).toBe(files['orders/serverless.yml']);
    // An alias the service declares (!Ref of an AWS::KMS::Alias) is a customer-managed key too.
    const alias = keys('!Ref TableAlias').replace('    Bucket:', '    TableAlias:\n      Type: AWS::KMS::Alias\n    Bucket:');
    expect((await scan({ ...files, 'keys/serverless.yml': alias })).t.status).toBe('customer-managed');
  });

  it('an output that is not a KMS key the service declares, or one it does not declare: unknown, naming them', async () => {
    for (const [keysFile, why] of [
      [keys('!Ref Bucket'), /output TableKeyArn of the keys service, which is not a KMS key keys\/serverless\.yml declares/],
      [keys().replace('TableKeyArn:', 'Other:'), /which keys\/serverless\.yml does not declare/],
    ] as const) {
      const files = {
        'serverless-compose.yml': compose('${keys.TableKeyArn}'),
        'keys/serverless.yml': keysFile,
        'orders/serverless.yml': orders(FALLBACK),
      };
      const { t, output } = { ...(await scan(files)), output: (await scan(files, 'fix')).output };
      expect([t.status, t.fixable]).toEqual(['unknown', false]);
      expect(t.reason).toMatch(why);
      expect(t.reason).toMatch(/serverless-compose\.yml services\.orders\.params\.tableKey/);
      expect(output).toBe(files['orders/serverless.yml']);
    }
  });

  it('alias/aws/dynamodb (r2): aws-managed, fixed as a service’s own params giving it are, naming the compose file', async () => {
    const { t } = await scan({
      'serverless-compose.yml': compose('alias/aws/dynamodb'),
      'orders/serverless.yml': orders('${param:tableKey}'),
    });
    expect([t.status, t.fixable]).toEqual(['aws-managed', true]);
    expect(t.reason).toMatch(/serverless-compose\.yml services\.orders\.params\.tableKey \(alias\/aws\/dynamodb\)/);
    // Also over the service's own params (a key): Compose passes it with --param, which they do not override.
    const own = orders('${param:tableKey}', `params:\n  default:\n    tableKey: ${KEY}\n`);
    expect((await scan({ 'serverless-compose.yml': compose('alias/aws/dynamodb'), 'orders/serverless.yml': own })).t.status).toBe(
      'aws-managed',
    );
  });

  it('a literal customer-managed key passed: customer-managed, over the fallback and the service’s own params', async () => {
    const own = orders(FALLBACK, 'params:\n  default:\n    tableKey: alias/aws/dynamodb\n');
    const { t } = await scan({ 'serverless-compose.yml': compose(KEY), 'orders/serverless.yml': own });
    expect(t.status).toBe('customer-managed');
    expect(t.reason).toMatch(/the way the repository deploys the service/);
  });

  it('a variable Compose resolves (${sls:stage}, ${env:X}; Compose has no params per stage): unknown', async () => {
    const { t } = await scan({ 'serverless-compose.yml': compose('alias/${sls:stage}-key'), 'orders/serverless.yml': orders(FALLBACK) });
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.reason).toMatch(/a variable Compose resolves/);
  });

  it('an entry whose `config` names the service file (not serverless.yml): read; one naming another file: no effect', async () => {
    const entry = (config: string) =>
      `services:\n  orders:\n    path: orders\n    config: ${config}\n    params:\n      tableKey: alias/aws/dynamodb\n`;
    const scanApi = async (config: string) =>
      (
        await processMemory(
          [
            { path: 'serverless-compose.yml', text: entry(config) },
            { path: 'orders/serverless.api.yml', text: orders('${param:tableKey}') },
          ],
          'scan',
        )
      ).outcomes.find((o) => o.file.path === 'orders/serverless.api.yml')!.tables[0].status;
    expect(await scanApi('serverless.api.yml')).toBe('aws-managed');
    expect(await scanApi('serverless.other.yml')).toBe('customer-managed');
  });

  it('two compose files deploying the service, one passing the AWS managed key: unknown', async () => {
    const { t } = await scan({
      'serverless-compose.yml': compose(KEY),
      'orders/serverless-compose.yml': 'services:\n  orders:\n    path: .\n    params:\n      tableKey: alias/aws/dynamodb\n',
      'orders/serverless.yml': orders('${param:tableKey}'),
    });
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.reason).toMatch(
      /whose value may be alias\/aws\/dynamodb \(orders\/serverless-compose\.yml services\.orders\.params\.tableKey/,
    );
  });
});

describe('a compose file that passes nothing to the service', () => {
  it('naming another service only, or not passing the param: no effect (the service’s own params and fallback)', async () => {
    for (const c of [compose('alias/aws/dynamodb', 'payments'), compose('')]) {
      const managed = await scan({ 'serverless-compose.yml': c, 'orders/serverless.yml': orders(FALLBACK) });
      expect([managed.t.status, managed.t.fixable]).toEqual(['aws-managed', true]);
      const key = await scan({ 'serverless-compose.yml': c, 'orders/serverless.yml': orders('${param:tableKey}') });
      expect(key.t.status).toBe('customer-managed');
    }
  });

  it('a compose file above the three folders searched: not read', async () => {
    const text = 'services:\n  orders:\n    path: a/b/c/orders\n    params:\n      tableKey: alias/aws/dynamodb\n';
    const r = await processMemory(
      [
        { path: 'serverless-compose.yml', text },
        { path: 'a/b/c/orders/serverless.yml', text: orders('${param:tableKey}') },
      ],
      'scan',
    );
    expect(r.outcomes.find((o) => o.file.path === 'a/b/c/orders/serverless.yml')!.tables[0].status).toBe('customer-managed');
    // Three folders above: read.
    const near = await processMemory(
      [
        { path: 'serverless-compose.yml', text: text.replace('a/b/c/orders', 'b/c/orders') },
        { path: 'b/c/orders/serverless.yml', text: orders('${param:tableKey}') },
      ],
      'scan',
    );
    expect(near.outcomes.find((o) => o.file.path === 'b/c/orders/serverless.yml')!.tables[0].status).toBe('aws-managed');
  });
});

describe('a compose file kmsfix cannot read', () => {
  it.each([
    ['serverless-compose.yml', 'services:\n  orders: [unclosed\n', /serverless-compose\.yml \(which kmsfix cannot read: it does not parse/],
    [
      'serverless-compose.ts',
      'export default { services: {} }\n',
      /serverless-compose\.ts \(which kmsfix cannot read: Compose runs it as code/,
    ],
  ])('%s: unknown, naming it', async (name, text, why) => {
    const { t } = await scan({ [name]: text, 'orders/serverless.yml': orders(FALLBACK) });
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.reason).toMatch(why);
  });
});

/** On disk: a compose file git-crypt left encrypted (a checkout without its key) may pass anything. */
it('an encrypted serverless-compose.yml on disk: unknown, naming it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-compose-'));
  try {
    mkdirSync(path.join(dir, 'orders'));
    writeFileSync(path.join(dir, 'orders/serverless.yml'), orders(FALLBACK));
    writeFileSync(
      path.join(dir, 'serverless-compose.yml'),
      Buffer.from([0, 0x47, 0x49, 0x54, 0x43, 0x52, 0x59, 0x50, 0x54, 0, 0x8a, 0xff]),
    );
    const r = await run(['.'], { cwd: dir, mode: 'scan', workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table' });
    const [t] = r.outcomes.flatMap((o) => o.tables);
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.reason).toMatch(/serverless-compose\.yml \(which kmsfix cannot read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
