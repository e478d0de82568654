/**
 * Adversarial pass s63 F3, two keys of a Pulumi YAML program that were customer-managed where they are the AWS managed
 * key: a member of an object config value (`kmsKeyArn: ${keyCfg.arn}`, its default or a stack file's value
 * `{arn: ...alias/aws/dynamodb}`), and a key under Pulumi YAML's secret wrapper (`kmsKeyArn: {fn::secret: ${ddbKey}}`
 * where a stack sets ddbKey to it, while plain `${ddbKey}` was read). Each is read as the plain form is.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const MANAGED = 'arn:aws:kms:us-east-1:111122223333:alias/aws/dynamodb';
const OWN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const program = (key: string, keyCfgDefault = MANAGED) => `name: tables
runtime: yaml
config:
  ddbKey:
    type: string
  keyCfg:
    type: object
    default:
      arn: ${keyCfgDefault}
  managedDefault:
    type: string
    default: ${MANAGED}
variables:
  managedKey: ${MANAGED}
  ownKey: ${OWN}
  managedSecret:
    fn::secret: ${MANAGED}
  ownSecret:
    fn::secret: ${OWN}
  secretLookup:
    fn::invoke:
      function: aws:kms:getAlias
      arguments:
        name:
          fn::secret: alias/aws/dynamodb
      return: targetKeyArn
resources:
  own:
    type: aws:kms:Key
  orders:
    type: aws:dynamodb:Table
    properties:
      hashKey: pk
      serverSideEncryption:
        enabled: true
        kmsKeyArn: ${key}
`;

/** The table `orders` of the program, with stack files `Pulumi.<stack>.yaml` holding each of `stacks`' config. */
async function orders(text: string, stacks: Record<string, string> = {}, mode: 'scan' | 'fix' = 'scan') {
  const files = [
    { path: 'p/Pulumi.yaml', text },
    ...Object.entries(stacks).map(([stack, config]) => ({ path: `p/Pulumi.${stack}.yaml`, text: `config:\n${config}` })),
  ];
  const outcome = (await processMemory(files, mode)).outcomes.find((o) => o.tables.length > 0)!;
  return { table: outcome.tables.find((t) => t.address === 'orders')!, newText: outcome.newText };
}

describe('kmsKeyArn: ${keyCfg.arn}, a member of an object config value', () => {
  it.each([
    [
      MANAGED,
      'unknown',
      "whose default is arn:aws:kms:us-east-1:111122223333:alias/aws/dynamodb: the AWS managed key unless the stack's config sets another",
    ],
    [OWN, 'customer-managed', ''],
  ])('no stack file, the default member %s: %s', async (fallback, status, message) => {
    const { table } = await orders(program('${keyCfg.arn}', fallback));
    expect(table.status).toBe(status);
    expect(table.message).toContain(message);
  });

  it.each([
    ['a stack that sets nothing (the default: the AWS managed key)', MANAGED, { prod: '  other: x\n' }, 'aws-managed'],
    ['a stack that sets the AWS managed key', OWN, { prod: `  tables:keyCfg:\n    arn: ${MANAGED}\n` }, 'aws-managed'],
    ['a stack that sets its own key', MANAGED, { prod: `  tables:keyCfg:\n    arn: ${OWN}\n` }, 'customer-managed'],
    ['stacks that differ', OWN, { dev: '  other: x\n', prod: `  keyCfg:\n    arn: ${MANAGED}\n` }, 'unknown'],
    ['a stack whose object has no such member', OWN, { prod: `  tables:keyCfg:\n    key: ${OWN}\n` }, 'unknown'],
  ])('%s', async (_, fallback, stacks, status) => {
    const { table } = await orders(program('${keyCfg.arn}', fallback), stacks);
    expect(table.status).toBe(status);
    if (status === 'unknown') expect(table.message).toContain('tables:keyCfg.arn differs per stack');
    if (stacks.prod.includes('key:'))
      expect(table.message).toContain('sets no arn (the fallback: what pulumi-yaml reads for a missing member, not known)');
    if (status === 'aws-managed') expect(table.message).toContain("decided by every stack's config tables:keyCfg.arn");
  });

  it('fixes the table a stack deploys on the AWS managed key', async () => {
    const { table, newText } = await orders(program('${keyCfg.arn}'), { prod: '  other: x\n' }, 'fix');
    expect(table.fixable).toBe(true);
    expect(newText).toContain('kmsKeyArn: ${ordersKey.arn}');
  });

  it("a resource's attribute stays a key of the program", async () => {
    const { table } = await orders(program('${own.arn}'), { prod: `  tables:keyCfg:\n    arn: ${MANAGED}\n` });
    expect(table.status).toBe('customer-managed');
  });
});

describe('kmsKeyArn under fn::secret', () => {
  const secret = (inner: string) => `\n          fn::secret: ${inner}`;
  it.each([
    [MANAGED, 'aws-managed'],
    [OWN, 'customer-managed'],
  ])('{fn::secret: ${ddbKey}} where the stack sets %s: %s', async (value, status) => {
    const { table } = await orders(program(secret('${ddbKey}')), { prod: `  tables:ddbKey: ${value}\n` });
    expect(table.status).toBe(status);
  });

  it.each([
    ['${managedDefault}', secret('${managedDefault}'), 'unknown'],
    ['${managedKey}', secret('${managedKey}'), 'aws-managed'],
    ['${ownKey}', secret('${ownKey}'), 'customer-managed'],
    ['{fn::secret: ${keyCfg.arn}}', secret(secret('${keyCfg.arn}').replace(/\n {10}/, '\n            ')), 'unknown'],
  ])('no stack file, kmsKeyArn: {fn::secret: %s}: %s', async (_, key, status) => {
    const { table } = await orders(program(key));
    expect(table.status).toBe(status);
  });

  it.each([
    ['${managedSecret}', 'aws-managed'],
    ['${ownSecret}', 'customer-managed'],
    ['${secretLookup}', 'aws-managed'],
  ])('a variable of a secret, kmsKeyArn: %s: %s', async (key, status) => {
    const { table } = await orders(program(key));
    expect(table.status).toBe(status);
  });

  it('fixes the secret of the AWS managed key in place', async () => {
    const { table, newText } = await orders(program(secret('${ddbKey}')), { prod: `  tables:ddbKey: ${MANAGED}\n` }, 'fix');
    expect(table.fixable).toBe(true);
    expect(newText).toContain('kmsKeyArn: ${ordersKey.arn}');
    expect(newText).not.toContain('fn::secret: ${ddbKey}');
  });
});

describe('kmsKeyArn: ${v}, a variable built from others (adversarial pass s63, t5)', () => {
  const built = (svc: string, tmpl = 'arn:aws:kms:us-east-1:111122223333:alias/aws/${svc}') =>
    program('${tmpl}').replace('variables:\n', `variables:\n  svc: ${svc}\n  tmpl: ${tmpl}\n`);

  it.each([
    ['dynamodb', 'aws-managed', ''],
    [
      '${pulumi.stack}',
      'unknown',
      "names an AWS managed key's alias kmsfix does not complete (alias/aws/...: never a customer-managed key)",
    ],
  ])('alias/aws/${svc} where svc is %s: %s', async (svc, status, message) => {
    const { table } = await orders(built(svc));
    expect(table.status).toBe(status);
    expect(table.message).toContain(message);
  });

  it('a key of its own built from variables stays customer-managed', async () => {
    const { table } = await orders(built('x', 'arn:aws:kms:us-east-1:111122223333:key/${svc}'));
    expect(table.status).toBe('customer-managed');
  });
});
