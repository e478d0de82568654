/**
 * Validator: in a Prettier project, `prettier --check` passes on what a fix writes when it passed on the
 * input (an adversarial pass of the repositories' own CI: a key's head line past the width, a list whose
 * comma took it one column past, tabs counted as one column, a one-name import wrapped, the Pulumi
 * key's middle argument hugged, a table statement's new `const` past the width). Each input is first
 * formatted by Prettier itself with the project's settings, then fixed through the CLI's run with
 * that `.prettierrc` beside it, then checked by Prettier (the real package, pinned in devDependencies).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/engine/run.js';

const CDK = `import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

export class ChatStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    // eslint-disable-next-line no-new
    new dynamodb.Table(this, 'CustomerOrderHistoryTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });
    const connections = new dynamodb.Table(this, 'WebSocketConnectionsTable', {
      partitionKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING },
    });
    new cdk.CfnOutput(this, 'Connections', { value: connections.tableName });
  }
}
`;

const CDKTF = `import { Construct } from 'constructs';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';

class SessionsStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    new DynamodbTable(this, 'websocketConnectionsTable', {
      name: 'websocket-connections',
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'connectionId',
      attribute: [{ name: 'connectionId', type: 'S' }],
    });
  }
}

const app = new App();
new SessionsStack(app, 'sessions');
app.synth();
`;

const PULUMI = `import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export class ShopData extends pulumi.ComponentResource {
  public readonly orders: aws.dynamodb.Table;
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('shop:data:ShopData', name, {}, opts);
    this.orders = new aws.dynamodb.Table(
      \`\${name}-customer-order-history\`,
      {
        attributes: [{ name: 'id', type: 'S' }],
        hashKey: 'id',
        billingMode: 'PAY_PER_REQUEST',
      },
      { parent: this },
    );
  }
}

export const sessions = new aws.dynamodb.Table('sessions', {
  attributes: [{ name: 'id', type: 'S' }],
  hashKey: 'id',
  billingMode: 'PAY_PER_REQUEST',
});
`;

const CONFIGS: Record<string, prettier.Options> = {
  defaults: { singleQuote: true },
  'tabWidth 4': { singleQuote: true, tabWidth: 4 },
  'tabs, tabWidth 4': { singleQuote: true, useTabs: true, tabWidth: 4 },
  'printWidth 100, no semicolons, trailingComma none': { printWidth: 100, semi: false, trailingComma: 'none' },
  'printWidth 120, double quotes': { printWidth: 120 },
};

async function fixedInPrettierProject(source: string, config: prettier.Options): Promise<{ input: string; output: string }> {
  const input = await prettier.format(source, { ...config, parser: 'typescript' });
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-prettier-check-'));
  writeFileSync(path.join(dir, '.prettierrc'), JSON.stringify(config));
  writeFileSync(path.join(dir, 'stack.ts'), input);
  const r = await run(['stack.ts'], { cwd: dir, mode: 'fix', workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table' });
  expect(r.outcomes.map((o) => o.error)).toEqual([undefined]);
  expect(r.outcomes[0].tables.every((t) => t.fixed)).toBe(true);
  return { input, output: r.outcomes[0].newText ?? readFileSync(path.join(dir, 'stack.ts'), 'utf8') };
}

describe('prettier --check on the fixed file of a Prettier project', () => {
  for (const [label, source] of Object.entries({ CDK, CDKTF, Pulumi: PULUMI }))
    for (const [name, config] of Object.entries(CONFIGS))
      it(`${label}, ${name}`, async () => {
        const { input, output } = await fixedInPrettierProject(source, config);
        expect(output).not.toBe(input);
        const options = { ...config, parser: 'typescript' };
        // Prettier's own output is the expected text: a failure shows where the fix's layout differs.
        if (!(await prettier.check(output, options))) expect(output).toBe(await prettier.format(output, options));
      });
});

it("the key-policy helper declares its return type (@typescript-eslint/explicit-function-return-type): CDK's PolicyDocument, CDKTF's string, Pulumi's Output<string>", async () => {
  const heads = await Promise.all(
    [CDK, CDKTF, PULUMI].map(
      async (source) =>
        /^function dynamoDbKeyPolicy\([^)]*\): ([^{]+) \{$/m.exec((await fixedInPrettierProject(source, CONFIGS.defaults)).output)?.[1],
    ),
  );
  expect(heads).toEqual(['iam.PolicyDocument', 'string', 'pulumi.Output<string>']);
});
