/**
 * A `const` the file changes after its declaration is not what its initializer says (adversarial pass 2 of session 57,
 * M3): Pulumi resource options or an ignoreChanges / replaceOnChanges list held in one (`shared.replaceOnChanges =
 * ['*']`, `Object.assign(shared, ...)`, `.push('*')`, `delete`, passed to a call), CDKTF's `lifecycle` const and a
 * `replaceTriggeredBy` list are unreadable: the table is declined (src/formats/typescript/mutatedConsts.ts), never fixed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

async function verdicts(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix', {});
  expect(r.outcomes[0].error).toBeUndefined();
  return Object.fromEntries(r.outcomes[0].tables.map((t) => [t.address, { fixed: t.fixed === true, blocker: t.blocker }]));
}

const table = (name: string, opts: string) => `export const ${name} = new aws.dynamodb.Table('${name}', { hashKey: 'id' }, ${opts});\n`;

describe('a const the file changes after its declaration is not read by its initializer', () => {
  for (const option of ['replaceOnChanges', 'ignoreChanges']) {
    it(`Pulumi options and ${option} lists changed by assignment, Object.assign, push, delete, a call or an alias: declined`, async () => {
      const text =
        "import * as aws from '@pulumi/aws';\nimport * as pulumi from '@pulumi/pulumi';\ndeclare function harden(o: object): void;\n" +
        `const a1: pulumi.CustomResourceOptions = {};\na1.${option} = ['*'];\n` +
        `const a2 = { protect: false } as pulumi.CustomResourceOptions;\nObject.assign(a2, { ${option}: ['*'] });\n` +
        `const a3: { ${option}: string[] } = { ${option}: [] };\na3.${option}.push('*');\n` +
        "const a4: string[] = [];\na4.push('serverSideEncryption');\n" +
        `const a5 = { ${option}: ['*'], protect: false } as pulumi.CustomResourceOptions;\ndelete a5.${option};\n` +
        'const a6: pulumi.CustomResourceOptions = {};\nharden(a6);\n' +
        `const a7: pulumi.CustomResourceOptions = { ${option}: [] };\nconst alias = a7.${option} as string[];\nalias[0] = '*';\n` +
        `const a8: pulumi.CustomResourceOptions = {};\na8['${option}'] = ['*'];\n` +
        "const kept: pulumi.CustomResourceOptions = { protect: false };\nconst tags = ['tags'];\nconst other = new aws.s3.Bucket('b', {}, kept);\n" +
        "const a11: pulumi.CustomResourceOptions = {};\na11['protect'] = true;\n" +
        table('t1', 'a1') +
        table('t2', 'a2') +
        table('t3', 'a3') +
        table('t4', `{ ${option}: a4 }`) +
        table('t5', 'a5') +
        table('t6', 'a6') +
        table('t7', 'a7') +
        table('t8', '{ ...a8 }') +
        table('t9', 'kept') +
        table('t10', `{ ${option}: [...tags] }`) +
        table('t11', '{ ...a11 }');
      const v = await verdicts('index.ts', text);
      expect(v.t1.blocker).toMatch(
        new RegExp(
          `^the resource options are a1, a const the file changes after its declaration \\(line 5: a1\\.${option} = \\['\\*'\\]\\), so kmsfix cannot tell`,
        ),
      );
      expect(v.t2.blocker).toContain(
        `the resource options are a2, a const the file changes after its declaration (line 7: Object.assign(a2, {`,
      );
      expect(v.t3.blocker).toContain(`(line 9: a3.${option}.push('*'))`);
      expect(v.t4.blocker).toMatch(
        new RegExp(
          `^the resource option ${option} at line \\d+ is a4, a const the file changes after its declaration \\(line 11: a4\\.push\\('serverSideEncryption'\\)\\)\\. If it lists serverSideEncryption or '\\*'`,
        ),
      );
      expect(v.t5.blocker).toContain(`(line 13: delete a5.${option})`);
      expect(v.t6.blocker).toContain('(line 15: harden(a6))');
      expect(v.t7.blocker).toContain("(line 18: alias[0] = '*')");
      expect(v.t8.blocker).toMatch(
        new RegExp(
          `may come from the spread of a8, a const the file changes after its declaration \\(line 20: a8\\['${option}'\\] = \\['\\*'\\]\\)`,
        ),
      );
      for (const t of ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8']) expect([t, v[t].fixed]).toEqual([t, false]);
      // Given to a resource constructor (which copies its options) and spread into a list: read as written, fixed.
      expect(v.t9).toEqual({ fixed: true, blocker: undefined });
      expect(v.t10).toEqual({ fixed: true, blocker: undefined });
      // Spread, with a change that cannot reach the option (`a11['protect'] = true`): the option read as written, fixed.
      expect(v.t11).toEqual({ fixed: true, blocker: undefined });
    });
  }

  it('a const only given to calls that read it (pulumi.mergeOptions, console.log, JSON.stringify): read as written, fixed', async () => {
    // Adversarial pass 2 of session 58, F5: mergeOptions, Pulumi's way to combine options, returns a new object.
    const v = await verdicts(
      'index.ts',
      "import * as aws from '@pulumi/aws';\nimport * as pulumi from '@pulumi/pulumi';\n" +
        'const opts: pulumi.CustomResourceOptions = { protect: true };\n' +
        table('orders', 'opts') +
        'const more = pulumi.mergeOptions(opts, { dependsOn: [orders] });\nconsole.log(JSON.stringify(opts), more);\n',
    );
    expect(v.orders).toEqual({ fixed: true, blocker: undefined });
  });

  it('CDKTF: a lifecycle const changed after its declaration, and a replaceTriggeredBy list or lifecycle changed so: declined', async () => {
    const text =
      "import { Construct } from 'constructs';\nimport { TerraformResourceLifecycle, TerraformStack } from 'cdktf';\n" +
      "import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';\nimport { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';\n\n" +
      'export class S extends TerraformStack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n' +
      '    const lc: TerraformResourceLifecycle = { ignoreChanges: [] as string[] };\n' +
      "    (lc.ignoreChanges as string[]).push('server_side_encryption');\n" +
      "    new DynamodbTable(this, 'ignored', { name: 'ignored', hashKey: 'id', lifecycle: lc });\n" +
      "    const orders = new DynamodbTable(this, 'orders', { name: 'orders', hashKey: 'id' });\n" +
      "    const events = new DynamodbTable(this, 'events', { name: 'events', hashKey: 'id' });\n" +
      '    const triggers: object[] = [];\n    triggers.push(orders);\n' +
      "    new LambdaFunction(this, 'reader', { functionName: 'reader', role: 'r', lifecycle: { replaceTriggeredBy: triggers } });\n" +
      '    const late: TerraformResourceLifecycle = {};\n    late.replaceTriggeredBy = [events];\n' +
      "    new LambdaFunction(this, 'writer', { functionName: 'writer', role: 'r', lifecycle: late });\n" +
      "    const steady: TerraformResourceLifecycle = { createBeforeDestroy: true };\n    new DynamodbTable(this, 'steady', { name: 'steady', hashKey: 'id', lifecycle: steady });\n" +
      '  }\n}\n';
    const v = await verdicts('main.ts', text);
    expect(v.ignored.blocker).toMatch(
      /^lifecycle is lc, a const the file changes after its declaration \(line 10: \(lc\.ignoreChanges as string\[\]\)\.push\('server_side_encrypti\.\.\.\), so kmsfix cannot tell the table's provider and lifecycle/,
    );
    expect(v.orders.blocker).toContain(
      "LambdaFunction 'reader' (main.ts:16: triggers, an expression kmsfix does not read, which may name this table)",
    );
    expect(v.events.blocker).toContain('a construct (main.ts:18: events)');
    // A list the file changes may name any table of it.
    expect(v.steady.blocker).toContain("LambdaFunction 'reader' (main.ts:16: triggers, an expression kmsfix does not read");
    for (const t of ['ignored', 'orders', 'events', 'steady']) expect([t, v[t].fixed]).toEqual([t, false]);
    // The same consts left as declared: read by their initializers, the table they do not name fixed.
    const still = await verdicts(
      'main.ts',
      text
        .replace("    (lc.ignoreChanges as string[]).push('server_side_encryption');\n", '')
        .replace('    triggers.push(orders);\n', '')
        .replace('    late.replaceTriggeredBy = [events];\n', ''),
    );
    for (const t of ['ignored', 'orders', 'events', 'steady']) expect([t, still[t]]).toEqual([t, { fixed: true, blocker: undefined }]);
  });
});
