/**
 * serverless-plugin-ifelse (src/formats/cloudformation/ifElse.ts): a service whose
 * custom.serverlessIfElse removes a table in some stages is not fixed (the key and alias would stay,
 * the alias referring to a table the stack lacks), unless --kms-key-arn adds neither; an entry that
 * sets or removes its encryption makes it unknown. The fixture cloudformation/serverless-ifelse-plugin
 * holds a fix's output.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (id: string, sse = '') => `    ${id}:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }]
        KeySchema: [{ AttributeName: pk, KeyType: HASH }]
${sse}`;

const CMK = `        SSESpecification:
          SSEEnabled: true
          SSEType: KMS
          KMSMasterKeyId: alias/orders
`;

const service = (ifElse: string, tables = table('OrdersTable') + table('UsersTable'), plugins = '  - serverless-plugin-ifelse\n') =>
  `service: orders
provider:
  name: aws
  runtime: nodejs18.x
plugins:
${plugins}custom:
  table: OrdersTable
  serverlessIfElse:${ifElse}
resources:
  Resources:
${tables}`;

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** Each table's status, fix outcome and blocker; scan must say the same. */
async function verdicts(text: string, kmsKeyArn?: string, path = 'serverless.yml') {
  const files = [{ path, text }];
  const options = kmsKeyArn ? { kmsKeyArn } : {};
  const [fix, scan] = await Promise.all([processMemory(files, 'fix', options), processMemory(files, 'scan', options)]);
  expect(fix.outcomes[0].error).toBeUndefined();
  const scanned = new Map(scan.outcomes[0].tables.map((t) => [t.address, t]));
  return Object.fromEntries(
    fix.outcomes[0].tables.map((t) => {
      expect(scanned.get(t.address)?.fixable, t.address).toBe(t.fixable);
      expect(scanned.get(t.address)?.status, t.address).toBe(t.status);
      return [t.address, { status: t.status, fixed: t.fixed === true, fixable: t.fixable, blocker: t.blocker, reason: t.reason }];
    }),
  );
}

const REMOVES = '(serverless-plugin-ifelse) removes resources.Resources.OrdersTable in some stages';

describe('serverless-plugin-ifelse entries that remove a table', () => {
  it('Exclude, ElseExclude and ExcludeIf: the table is not fixed, its blocker names the entry; the other table is', async () => {
    for (const [ifElse, entry] of [
      [`\n    - If: '"\${sls:stage}" != "prod"'\n      Exclude:\n        - resources.Resources.OrdersTable`, '[0].Exclude'],
      [`\n    - If: '"\${sls:stage}" == "prod"'\n      ElseExclude: resources.Resources.OrdersTable`, '[0].ElseExclude'],
      [
        `\n    - If: '"\${sls:stage}" == "prod"'\n      Set:\n        provider.timeout: 30\n    - ExcludeIf:\n        resources.Resources.OrdersTable: '"\${sls:stage}" != "prod"'`,
        '[1].ExcludeIf',
      ],
    ]) {
      const v = await verdicts(service(ifElse));
      expect(v.OrdersTable, entry).toMatchObject({ status: 'aws-owned', fixed: false, fixable: false });
      expect(v.OrdersTable.blocker).toContain(`custom.serverlessIfElse${entry}: resources.Resources.OrdersTable ${REMOVES}`);
      expect(v.OrdersTable.blocker).toContain('resources.Resources.OrdersTableKey and resources.Resources.OrdersTableKeyAlias');
      expect(v.UsersTable, entry).toMatchObject({ status: 'aws-owned', fixed: true });
    }
  });

  it('a prefix of the path (resources.Resources), or a path through a variable, removes every table it may name', async () => {
    const all = await verdicts(service(`\n    - If: 'true'\n      Exclude: [resources.Resources]`));
    expect(all.OrdersTable).toMatchObject({ fixed: false, fixable: false });
    expect(all.UsersTable).toMatchObject({ fixed: false, fixable: false });
    expect(all.UsersTable.blocker).toContain(
      'Exclude: resources.Resources (serverless-plugin-ifelse) removes resources.Resources.UsersTable',
    );
    const variable = await verdicts(service(`\n    - ExcludeIf:\n        resources.Resources.\${self:custom.table}: 'true'`));
    expect(variable.OrdersTable).toMatchObject({ fixed: false, fixable: false });
    expect(variable.UsersTable).toMatchObject({ fixed: false, fixable: false });
  });

  it("an entry that sets the table's Condition blocks the fix too", async () => {
    const v = await verdicts(service(`\n    - If: 'true'\n      Set:\n        resources.Resources.OrdersTable.Condition: IsProd`));
    expect(v.OrdersTable.blocker).toContain('changes the Condition of resources.Resources.OrdersTable');
    expect(v.UsersTable).toMatchObject({ fixed: true });
  });

  it('--kms-key-arn adds no key or alias: the table is fixed', async () => {
    const v = await verdicts(service(`\n    - If: 'true'\n      Exclude: [resources.Resources.OrdersTable]`), KEY_ARN);
    expect(v.OrdersTable).toMatchObject({ fixed: true, fixable: true });
  });

  it('entries the plugin does not apply, or another path, leave the table to the fix', async () => {
    for (const ifElse of [
      // No If: the plugin applies no Exclude.
      `\n    - Exclude: [resources.Resources.OrdersTable]`,
      // A top-level key only, or another resource.
      `\n    - ExcludeIf:\n        resources: 'true'\n        resources.Resources.OrdersTableRole: 'true'`,
      `\n    - If: 'true'\n      Set:\n        resources.Resources.OrdersTable.Properties.BillingMode: PROVISIONED`,
    ]) {
      const v = await verdicts(service(ifElse));
      expect(v.OrdersTable, ifElse).toMatchObject({ status: 'aws-owned', fixed: true });
    }
    // Without the plugin, custom.serverlessIfElse does nothing.
    const unlisted = await verdicts(
      service(`\n    - If: 'true'\n      Exclude: [resources.Resources.OrdersTable]`, undefined, '  - serverless-offline\n'),
    );
    expect(unlisted.OrdersTable).toMatchObject({ fixed: true });
  });

  it('a configuration kmsfix cannot read blocks every table', async () => {
    const v = await verdicts(service(' ${file(./ifelse.yml)}'));
    expect(v.OrdersTable).toMatchObject({ fixed: false, fixable: false });
    expect(v.OrdersTable.blocker).toContain('custom.serverlessIfElse: ${file(./ifelse.yml)} (serverless-plugin-ifelse) is not a list');
    expect(v.UsersTable).toMatchObject({ fixed: false, fixable: false });
  });
});

describe("serverless-plugin-ifelse entries that set a table's encryption", () => {
  it('Set, ElseSet or Exclude of its SSESpecification (or Properties, or the resource): unknown, the reason names the entry', async () => {
    for (const [ifElse, entry] of [
      [`\n    - If: 'true'\n      Set:\n        resources.Resources.OrdersTable.Properties.SSESpecification.SSEEnabled: false`, '[0].Set'],
      [`\n    - If: 'true'\n      ElseSet:\n        resources.Resources.OrdersTable.Properties: \${file(./orders.yml)}`, '[0].ElseSet'],
      [`\n    - If: 'true'\n      Exclude: [resources.Resources.OrdersTable.Properties.SSESpecification]`, '[0].Exclude'],
      [`\n    - If: 'true'\n      Set:\n        resources.Resources.OrdersTable: \${file(./orders.yml)}`, '[0].Set'],
    ]) {
      const v = await verdicts(service(ifElse, table('OrdersTable', CMK) + table('UsersTable')));
      expect(v.OrdersTable, entry).toMatchObject({ status: 'unknown', fixed: false, fixable: false });
      expect(v.OrdersTable.reason).toContain(`custom.serverlessIfElse${entry}: resources.Resources.OrdersTable`);
      expect(v.OrdersTable.reason).toContain("changes the table's encryption in some stages");
      expect(v.UsersTable, entry).toMatchObject({ status: 'aws-owned', fixed: true });
    }
  });
});

describe('serverless-plugin-ifelse: other shapes of service', () => {
  it('a resources list (the Framework merges it): the table is seen at resources.Resources.<Id>', async () => {
    const text = service(`\n    - If: 'true'\n      Exclude: [resources.Resources.OrdersTable]`, '').replace(
      'resources:\n  Resources:\n',
      `resources:\n  - Resources:\n${table('OrdersTable').replace(/^/gm, '  ')}`,
    );
    const v = await verdicts(text);
    expect(v.OrdersTable).toMatchObject({ fixed: false, fixable: false });
  });

  it('a serverless.ts: Exclude blocks the table, Set of its SSESpecification makes it unknown, a template-literal path is read', async () => {
    const tsTable = (id: string) =>
      `      ${id}: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST', ` +
      `KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] } },\n`;
    const text = (ifElse: string) => `const name = 'Audit';
module.exports = {
  service: 'orders',
  plugins: ['serverless-plugin-ifelse'],
  provider: { name: 'aws' },
  custom: { serverlessIfElse: ${ifElse} },
  resources: {
    Resources: {
${tsTable('OrdersTable')}${tsTable('AuditTable')}${tsTable('UsersTable')}    },
  },
};
`;
    const v = await verdicts(
      text(
        `[{ If: 'true', Exclude: ['resources.Resources.OrdersTable'], ElseSet: { 'resources.Resources.AuditTable.Properties.SSESpecification': {} } }]`,
      ),
      undefined,
      'serverless.ts',
    );
    expect(v.OrdersTable).toMatchObject({ status: 'aws-owned', fixed: false, fixable: false });
    expect(v.OrdersTable.blocker).toContain(`custom.serverlessIfElse[0].Exclude: resources.Resources.OrdersTable ${REMOVES}`);
    expect(v.AuditTable).toMatchObject({ status: 'unknown', fixed: false });
    expect(v.AuditTable.reason).toContain('custom.serverlessIfElse[0].ElseSet: resources.Resources.AuditTable.Properties.SSESpecification');
    expect(v.UsersTable).toMatchObject({ status: 'aws-owned', fixed: true });
    const literal = await verdicts(text("[{ ExcludeIf: { [`resources.Resources.${name}Table`]: 'true' } }]"), undefined, 'serverless.ts');
    expect(literal.AuditTable).toMatchObject({ fixed: false, fixable: false });
    expect(literal.UsersTable).toMatchObject({ fixed: false, fixable: false });
    const unread = await verdicts(text('entries'), undefined, 'serverless.ts');
    expect(unread.UsersTable.blocker).toContain('custom.serverlessIfElse: entries (serverless-plugin-ifelse) is not a list');
  });
});
