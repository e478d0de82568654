/**
 * A table whose deploy tool is told to ignore changes to its encryption (Terraform's
 * `lifecycle.ignore_changes`, CDKTF's `lifecycle.ignoreChanges`, Pulumi's `ignoreChanges` option)
 * would keep its key whatever the code says: a fix would turn the scanners green and change
 * nothing deployed. Such a table is reported, not fixed, naming the entry; other entries change
 * nothing; an entry naming every property (Terraform's and CDKTF's `all`, Pulumi's `'*'`) blocks it too,
 * and a list kmsfix cannot read is never taken as harmless. (Pulumi YAML: fixtures/pulumi-yaml/resource-options.)
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

async function verdicts(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix', { recreateReplicas: true });
  expect(r.outcomes[0].error).toBeUndefined();
  return Object.fromEntries(r.outcomes[0].tables.map((t) => [t.address, { fixed: t.fixed === true, blocker: t.blocker }]));
}

const tf = (name: string, lifecycle: string, body = '') =>
  `resource "aws_dynamodb_table" "${name}" {\n  name     = "${name}"\n  hash_key = "id"\n${body}\n  lifecycle {\n${lifecycle}\n  }\n}\n`;

describe('deploy options that ignore changes to encryption', () => {
  it('Terraform: server_side_encryption (or a path under it) and all block the fix; tags does not; replica always (ignored-changes when replica blocks need keys)', async () => {
    const providers = 'provider "aws" {\n  alias  = "ohio"\n  region = "us-east-2"\n}\n';
    const replica = '\n  replica {\n    region_name = "us-east-2"\n  }\n';
    const v = await verdicts(
      'main.tf',
      [
        providers,
        tf('listed', '    ignore_changes = [\n      tags, # the platform tags them\n      server_side_encryption,\n    ]'),
        tf('path', '    ignore_changes = [server_side_encryption[0].kms_key_arn]'),
        tf('everything', '    ignore_changes = all'),
        tf('tags', '    ignore_changes = [tags]'),
        tf('replicas', '    ignore_changes = [replica]', replica),
        tf('no_replicas', '    ignore_changes = [replica]'),
      ].join('\n'),
    );
    expect(v['aws_dynamodb_table.listed'].blocker).toBe(
      "lifecycle.ignore_changes lists server_side_encryption, so terraform apply would leave the deployed table's encryption as it is: " +
        'a fix would change only the code. Take server_side_encryption out of lifecycle.ignore_changes, then run kmsfix again ' +
        '(or, if the key is managed outside this code on purpose, suppress the finding)',
    );
    expect(v['aws_dynamodb_table.path'].blocker).toContain('lists server_side_encryption[0].kms_key_arn, so terraform apply');
    expect(v['aws_dynamodb_table.everything'].blocker).toContain('List only the attributes to ignore in lifecycle.ignore_changes');
    expect(v['aws_dynamodb_table.replicas'].blocker).toContain('lifecycle.ignore_changes lists replica');
    // Replicas declared elsewhere (the aws_dynamodb_table_replica page's advice): replicasIgnored, tested below.
    expect(v['aws_dynamodb_table.no_replicas'].blocker).toMatch(
      /^lifecycle\.ignore_changes lists replica \(line \d+\): the table is a global table/,
    );
    for (const a of ['listed', 'path', 'everything', 'replicas', 'no_replicas']) expect(v[`aws_dynamodb_table.${a}`].fixed, a).toBe(false);
    expect(v['aws_dynamodb_table.tags']).toEqual({ fixed: true, blocker: undefined });
  });

  it('replicas declared elsewhere (replica / replicas in the ignore list, a path under them too): not fixed, naming the entry and its line', async () => {
    // Deploy review of session 58, F1: the provider's SSE update on replicas fails ("KMSMasterKeyId must be specified for each replica").
    const elsewhere = (where: string, entry: string, line: number) =>
      `${where} lists ${entry} (line ${line}): the table is a global table whose replicas are declared elsewhere (replica resources of ` +
      "other code, or replicas added in the console), which kmsfix does not see. DynamoDB changes a global table's encryption for every " +
      'replica at once, so a fix of this table alone would fail at deploy ("KMSMasterKeyId must be specified for each replica"), after its key ' +
      "was created: give the table and each replica a customer-managed key of its Region together, by hand, setting each replica's key where " +
      'that replica is declared';
    const hcl = await verdicts(
      'main.tf',
      [
        tf('orders', '    # replicas: infra/dr\n    ignore_changes = [tags, replica]'),
        tf('path', '    ignore_changes = [replica[0].propagate_tags]'),
        tf('named', '    ignore_changes = [replica_name]'),
      ].join('\n'),
    );
    expect(hcl['aws_dynamodb_table.orders']).toEqual({ fixed: false, blocker: elsewhere('lifecycle.ignore_changes', 'replica', 7) });
    expect(hcl['aws_dynamodb_table.path'].blocker).toContain('lifecycle.ignore_changes lists replica[0].propagate_tags (line 16):');
    // Only the attribute itself (no such attribute exists: the entry stands for any other name).
    expect(hcl['aws_dynamodb_table.named']).toEqual({ fixed: true, blocker: undefined });

    const json = JSON.stringify(
      { resource: { aws_dynamodb_table: { t: { name: 't', hash_key: 'id', lifecycle: { ignore_changes: ['replica'] } } } } },
      null,
      2,
    );
    const j = await verdicts('main.tf.json', json);
    expect(j['aws_dynamodb_table.t']).toEqual({ fixed: false, blocker: elsewhere('lifecycle.ignore_changes', '"replica"', 9) });

    const cdktf =
      "import { Construct } from 'constructs';\nimport { TerraformStack } from 'cdktf';\nimport { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';\n\n" +
      'export class S extends TerraformStack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n' +
      "    new DynamodbTable(this, 'a', { name: 'a', hashKey: 'id', lifecycle: { ignoreChanges: ['tags', 'replica'] } });\n" +
      "    const b = new DynamodbTable(this, 'b', { name: 'b', hashKey: 'id' });\n" +
      "    b.addOverride('lifecycle.ignore_changes', ['replica']);\n" +
      "    new DynamodbTable(this, 'c', { name: 'c', hashKey: 'id', lifecycle: { ignoreChanges: ['replicas'] } });\n  }\n}\n";
    const c = await verdicts('main.ts', cdktf);
    expect(c.a).toEqual({ fixed: false, blocker: elsewhere('lifecycle.ignoreChanges', "'replica'", 8) });
    expect(c.b).toEqual({
      fixed: false,
      blocker: elsewhere("the escape hatch addOverride('lifecycle.ignore_changes', ...)", "'replica'", 10),
    });
    // CDKTF takes Terraform's attribute names: Pulumi's `replicas` is no attribute of the table.
    expect(c.c).toEqual({ fixed: true, blocker: undefined });

    const pulumi =
      "import * as aws from '@pulumi/aws';\n\n" +
      "const IGNORED = ['replicas'];\n" +
      "export const a = new aws.dynamodb.Table('a', { hashKey: 'id' }, { ignoreChanges: ['replicas'] });\n" +
      "export const b = new aws.dynamodb.Table('b', { hashKey: 'id' }, { ignoreChanges: IGNORED });\n" +
      "export const c = new aws.dynamodb.Table('c', { hashKey: 'id' }, { ignoreChanges: ['replicas[0].kmsKeyArn'] });\n" +
      "export const d = new aws.dynamodb.Table('d', { hashKey: 'id' }, { ignoreChanges: ['replica'] });\n";
    const p = await verdicts('index.ts', pulumi);
    expect(p.a).toEqual({ fixed: false, blocker: elsewhere('the resource option ignoreChanges', "'replicas'", 4) });
    expect(p.b).toEqual({
      fixed: false,
      blocker: elsewhere('the resource option ignoreChanges (through the const IGNORED)', "'replicas'", 3),
    });
    expect(p.c.blocker).toContain("lists 'replicas[0].kmsKeyArn' (line 6):");
    expect(p.d).toEqual({ fixed: true, blocker: undefined });

    const yaml =
      'name: y\nruntime: yaml\nresources:\n' +
      '  orders:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n      attributes:\n        - name: id\n          type: S\n' +
      '    options:\n      ignoreChanges:\n        - tags\n        - replicas\n' +
      '  users:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n      attributes:\n        - name: id\n          type: S\n' +
      "    options:\n      ignoreChanges: ['replica']\n";
    const y = await verdicts('Pulumi.yaml', yaml);
    expect(y.orders).toEqual({ fixed: false, blocker: elsewhere('options.ignoreChanges', 'replicas', 14) });
    expect(y.users).toEqual({ fixed: true, blocker: undefined });
  });

  it('Terraform JSON and a replica resource', async () => {
    const json = JSON.stringify({
      resource: {
        aws_dynamodb_table: { t: { name: 't', hash_key: 'id', lifecycle: { ignore_changes: ['server_side_encryption'] } } },
        aws_dynamodb_table_replica: {
          r: { global_table_arn: 'arn:aws:dynamodb:us-east-1:111122223333:table/t', lifecycle: { ignore_changes: ['kms_key_arn'] } },
        },
      },
    });
    const v = await verdicts('main.tf.json', json);
    expect(v['aws_dynamodb_table.t'].blocker).toMatch(/^lifecycle\.ignore_changes lists "server_side_encryption", so terraform apply/);
    expect(v['aws_dynamodb_table_replica.r'].blocker).toMatch(/^lifecycle\.ignore_changes lists "kms_key_arn", so terraform apply/);
  });

  it('CDKTF lifecycle.ignoreChanges and Pulumi ignoreChanges', async () => {
    const cdktf =
      "import { Construct } from 'constructs';\nimport { TerraformStack } from 'cdktf';\nimport { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';\n\n" +
      'export class S extends TerraformStack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n' +
      "    new DynamodbTable(this, 'all', { name: 'all', hashKey: 'id', lifecycle: { ignoreChanges: 'all' } });\n" +
      "    new DynamodbTable(this, 'sse', { name: 'sse', hashKey: 'id', lifecycle: { ignoreChanges: ['server_side_encryption'] } });\n" +
      "    new DynamodbTable(this, 'tags', { name: 'tags', hashKey: 'id', lifecycle: { ignoreChanges: ['tags'] } });\n  }\n}\n";
    const c = await verdicts('main.ts', cdktf);
    expect(c.all.blocker).toMatch(/^lifecycle\.ignoreChanges lists 'all', so terraform apply \(cdktf deploy\) would leave/);
    expect(c.all.blocker).toContain('List only the attributes to ignore');
    expect(c.sse.blocker).toContain("lifecycle.ignoreChanges lists 'server_side_encryption'");
    expect(c.tags).toEqual({ fixed: true, blocker: undefined });

    const pulumi =
      "import * as aws from '@pulumi/aws';\n\n" +
      "export const a = new aws.dynamodb.Table('a', { hashKey: 'id' }, { ignoreChanges: ['serverSideEncryption.kmsKeyArn'] });\n" +
      "export const b = new aws.dynamodb.Table('b', { hashKey: 'id' }, { ignoreChanges: ['tags'] });\n";
    const p = await verdicts('index.ts', pulumi);
    expect(p.a.blocker).toMatch(/^the resource option ignoreChanges lists 'serverSideEncryption\.kmsKeyArn', so pulumi up would leave/);
    expect(p.b).toEqual({ fixed: true, blocker: undefined });
  });

  it('CDKTF lifecycle set through addOverride is read as the lifecycle prop is; create_before_destroy alone stays fixable', async () => {
    const head =
      "import { Construct } from 'constructs';\nimport { TerraformStack } from 'cdktf';\nimport { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';\n" +
      "import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';\n\n" +
      'export class S extends TerraformStack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n';
    const table = (n: string) => `    const ${n} = new DynamodbTable(this, '${n}', { name: '${n}', hashKey: 'id' });\n`;
    const text =
      head +
      table('b') +
      "    b.addOverride('lifecycle.ignore_changes', 'all');\n" +
      table('c') +
      "    c.addOverride('lifecycle', { ignore_changes: ['server_side_encryption'] });\n" +
      table('prebuilt') +
      "    prebuilt.addOverride('lifecycle', { create_before_destroy: true });\n" +
      table('tags') +
      "    tags.addOverride('lifecycle.ignore_changes', ['tags']);\n" +
      table('opaque') +
      "    opaque.addOverride('lifecycle', lifecycleOf(scope));\n" +
      "    const bucket = new S3Bucket(this, 'bucket', {});\n    bucket.addOverride('lifecycle.ignore_changes', 'all');\n" +
      '  }\n}\nfunction lifecycleOf(_s: Construct): any { return {}; }\n';
    const c = await verdicts('main.ts', text);
    expect(c.b.blocker).toBe(
      "the escape hatch addOverride('lifecycle.ignore_changes', ...) at line 10 lists 'all', so terraform apply (cdktf deploy) would " +
        "leave the deployed table's encryption as it is: a fix would change only the code. List only the attributes to ignore in the " +
        "escape hatch addOverride('lifecycle.ignore_changes', ...) at line 10, then run kmsfix again " +
        '(or, if the key is managed outside this code on purpose, suppress the finding)',
    );
    expect(c.c.blocker).toContain(
      "the escape hatch addOverride('lifecycle', ...) at line 12 lists 'server_side_encryption', so terraform apply",
    );
    for (const a of ['b', 'c', 'opaque']) expect(c[a].fixed, a).toBe(false);
    // hashicorp/terraform-cdk examples/typescript/aws-prebuilt; an ignore list that leaves the encryption; another resource's override.
    for (const a of ['prebuilt', 'tags']) expect(c[a], a).toEqual({ fixed: true, blocker: undefined });
    const r = await processMemory([{ path: 'main.ts', text }], 'scan', {});
    const opaque = r.outcomes[0].tables.find((t) => t.address === 'opaque')!;
    expect(opaque.status).toBe('unknown');
    expect(opaque.reason).toBe(
      "its changes may be ignored by the escape hatch addOverride('lifecycle', ...) at line 18, whose value is lifecycleOf(scope), " +
        'which kmsfix cannot read (it reads strings written in place, or a const of the file holding them): if it sets ' +
        'lifecycle.ignore_changes to "all" or a list naming server_side_encryption, terraform apply (cdktf deploy) would leave ' +
        "the table's encryption as it is",
    );
  });

  it("Pulumi '*' (every property, pulumi/pulumi#13005), in TypeScript and YAML, blocks the fix as serverSideEncryption does", async () => {
    const ts =
      "import * as aws from '@pulumi/aws';\n\n" +
      "export const adopted = new aws.dynamodb.Table('adopted', { hashKey: 'id' }, { import: 'adopted', ignoreChanges: ['*'] });\n" +
      "export const paths = new aws.dynamodb.Table('paths', { hashKey: 'id' }, { ignoreChanges: ['tags', 'attributes[*].name'] });\n";
    const p = await verdicts('index.ts', ts);
    expect(p.adopted.blocker).toBe(
      "the resource option ignoreChanges lists '*', so pulumi up would leave the deployed table's encryption as it is: " +
        'a fix would change only the code. List only the attributes to ignore in the resource option ignoreChanges, then run kmsfix again ' +
        '(or, if the key is managed outside this code on purpose, suppress the finding)',
    );
    expect(p.adopted.fixed).toBe(false);
    // A wildcard inside a path names what it is under, not every property.
    expect(p.paths).toEqual({ fixed: true, blocker: undefined });

    const yaml =
      'name: y\nruntime: yaml\nresources:\n' +
      '  orders:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n      attributes:\n        - name: id\n          type: S\n' +
      '    options:\n      ignoreChanges:\n        - "*"\n' +
      '  users:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n      attributes:\n        - name: id\n          type: S\n' +
      "    options:\n      ignoreChanges: ['tags']\n";
    const y = await verdicts('Pulumi.yaml', yaml);
    expect(y.orders.blocker).toMatch(
      /^options\.ignoreChanges lists "\*", so pulumi up would leave .* List only the attributes to ignore in options\.ignoreChanges/,
    );
    expect(y.orders.fixed).toBe(false);
    expect(y.users).toEqual({ fixed: true, blocker: undefined });
  });

  it('Pulumi ignoreChanges through a const of the file is read; one kmsfix cannot read (a parameter, a call) is not fixed, with why', async () => {
    const text = `import * as aws from '@pulumi/aws';
const IGNORED = ['serverSideEncryption', 'tags'];
const opts = { ignoreChanges: IGNORED };
const TAGS = ['tags'];
export const a = new aws.dynamodb.Table('a', { hashKey: 'id' }, { ignoreChanges: IGNORED });
export const b = new aws.dynamodb.Table('b', { hashKey: 'id' }, opts);
export const c = new aws.dynamodb.Table('c', { hashKey: 'id' }, { ignoreChanges: [...TAGS, '*'] });
export const d = new aws.dynamodb.Table('d', { hashKey: 'id' }, { ignoreChanges: TAGS });
export function make(ignored: string[]) {
  return new aws.dynamodb.Table('e', { hashKey: 'id' }, { ignoreChanges: ignored });
}
export const f = new aws.dynamodb.Table('f', { hashKey: 'id' }, { ignoreChanges: frozen() });
function frozen(): string[] { return ['*']; }
let more: string[] = [];
export const g = new aws.dynamodb.Table('g', { hashKey: 'id' }, { ignoreChanges: [...TAGS, ...more] });
`;
    const v = await verdicts('index.ts', text);
    expect(v.a.blocker).toMatch(
      /^the resource option ignoreChanges \(through the const IGNORED\) lists 'serverSideEncryption', so pulumi up would leave/,
    );
    expect(v.b.blocker).toMatch(/^the resource option ignoreChanges \(through the const IGNORED\) lists 'serverSideEncryption'/);
    expect(v.c.blocker).toContain("the resource option ignoreChanges lists '*'");
    expect(v.d).toEqual({ fixed: true, blocker: undefined });
    expect(v.e.blocker).toBe(
      'the resource option ignoreChanges at line 10 is ignored, which kmsfix cannot read (it reads strings written in place, ' +
        "or a const of the file holding them). If it lists serverSideEncryption or '*', pulumi up would " +
        "leave the deployed table's encryption as it is and a fix would change only the code. Write the list in place (or in a const " +
        'array of the file), then run kmsfix again (or, if the key is managed outside this code on purpose, suppress the finding)',
    );
    expect(v.f.blocker).toContain('the resource option ignoreChanges at line 12 is frozen(), which kmsfix cannot read');
    expect(v.g.blocker).toContain('the resource option ignoreChanges at line 15 is [...TAGS, ...more], and kmsfix cannot read more in it');
    for (const a of ['a', 'b', 'c', 'e', 'f', 'g']) expect(v[a].fixed, a).toBe(false);
  });

  it('a Pulumi transform of the file that sets ignoreChanges (any value) leaves the table unknown, as one naming serverSideEncryption', async () => {
    const text = `import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
// freeze every table after create (adopted tables managed by another team)
pulumi.runtime.registerResourceTransform((args) => {
  if (args.type === 'aws:dynamodb/table:Table') {
    return { props: args.props, opts: pulumi.mergeOptions(args.opts, { ignoreChanges: ['*'] }) };
  }
  return undefined;
});
export const a = new aws.dynamodb.Table('a', { hashKey: 'id' });
`;
    const r = await processMemory([{ path: 'index.ts', text }], 'fix', {});
    const [t] = r.outcomes[0].tables;
    expect([t.address, t.status, t.fixed ?? false]).toEqual(['a', 'unknown', false]);
    expect(t.reason).toBe(
      "its changes may be ignored (ignoreChanges, which may name serverSideEncryption or '*', and pulumi up would then leave the " +
        'encryption as it is) by the stack transform registerResourceTransform(...) at line 4, which kmsfix does not read',
    );
    const own = `import * as aws from '@pulumi/aws';
const freeze = (args: any) => ({ props: args.props, opts: { ...args.opts, ignoreChanges: ['tags'] } });
export const b = new aws.dynamodb.Table('b', { hashKey: 'id' }, { transforms: [freeze] });
export const c = new aws.dynamodb.Table('c', { hashKey: 'id' });
`;
    const o = await processMemory([{ path: 'index.ts', text: own }], 'scan', {});
    expect(o.outcomes[0].tables.map((x) => [x.address, x.status])).toEqual([
      ['b', 'unknown'],
      ['c', 'aws-owned'],
    ]);
  });

  // Adversarial pass s56 F3: the `lifecycle` field of cdktf's TerraformResource set after construction was not read:
  // the table was fixed, and terraform apply would ignore the key. Read as the config's lifecycle is.
  it("CDKTF: the lifecycle field set after construction (table.lifecycle = ..., an Aspect's node) is read as the config's lifecycle", async () => {
    const head =
      "import { Construct, IConstruct } from 'constructs';\nimport { Aspects, IAspect, TerraformStack } from 'cdktf';\n" +
      "import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';\nimport { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';\n\n" +
      'export class S extends TerraformStack {\n  private readonly audit: DynamodbTable;\n  constructor(scope: Construct, id: string, lc: any) {\n    super(scope, id);\n';
    const table = (n: string) => `    const ${n} = new DynamodbTable(this, '${n}', { name: '${n}', hashKey: 'id' });\n`;
    const text =
      head +
      table('orders') +
      "    orders.lifecycle = { ignoreChanges: ['server_side_encryption'] };\n" +
      "    this.audit = new DynamodbTable(this, 'audit', { name: 'audit', hashKey: 'id' });\n" +
      "    this.audit.lifecycle = { ignoreChanges: 'all' };\n" +
      table('tags') +
      "    tags.lifecycle = { ignoreChanges: ['tags'], createBeforeDestroy: true };\n" +
      table('opaque') +
      '    opaque.lifecycle = lc;\n' +
      table('spread') +
      '    spread.lifecycle = { ...lc };\n' +
      "    const bucket = new S3Bucket(this, 'bucket', {});\n    bucket.lifecycle = { ignoreChanges: 'all' };\n" +
      '  }\n}\n';
    const c = await verdicts('main.ts', text);
    expect(c.orders.blocker).toBe(
      "the assignment .lifecycle = ... at line 11 lists 'server_side_encryption', so terraform apply (cdktf deploy) would leave the " +
        "deployed table's encryption as it is: a fix would change only the code. Take 'server_side_encryption' out of the assignment " +
        '.lifecycle = ... at line 11, then run kmsfix again (or, if the key is managed outside this code on purpose, suppress the finding)',
    );
    expect(c.audit.blocker).toContain("the assignment .lifecycle = ... at line 13 lists 'all'");
    for (const a of ['orders', 'audit', 'opaque', 'spread']) expect(c[a].fixed, a).toBe(false);
    // An ignore list that leaves the encryption; another resource's lifecycle.
    expect(c.tags).toEqual({ fixed: true, blocker: undefined });
    const r = await processMemory([{ path: 'main.ts', text }], 'scan', {});
    const status = Object.fromEntries(r.outcomes[0].tables.map((t) => [t.address, [t.status, t.reason]]));
    expect(status.opaque[0]).toBe('unknown');
    expect(status.opaque[1]).toContain('its changes may be ignored by the assignment .lifecycle = ... at line 17, whose value is lc');
    expect(status.spread[0]).toBe('unknown');

    const aspect =
      head.replace('  private readonly audit: DynamodbTable;\n', '') +
      table('orders') +
      '    Aspects.of(this).add(new Freeze());\n  }\n}\n' +
      'class Freeze implements IAspect {\n  visit(node: IConstruct) {\n' +
      "    if (node instanceof DynamodbTable) node.lifecycle = { ...node.lifecycle, ignoreChanges: ['server_side_encryption'] };\n  }\n}\n";
    const a = await verdicts('main.ts', aspect);
    expect(a.orders.blocker).toContain(
      "the assignment .lifecycle = ... at line 15 (the override names no table of the file: it may be this one) lists 'server_side_encryption'",
    );
    expect(a.orders.fixed).toBe(false);
  });

  it('CDKTF: a config lifecycle whose ignoreChanges may come from a spread kmsfix cannot read is not fixed', async () => {
    const text =
      "import { Construct } from 'constructs';\nimport { TerraformResourceLifecycle, TerraformStack } from 'cdktf';\n" +
      "import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';\n\n" +
      'export class S extends TerraformStack {\n  constructor(scope: Construct, id: string, lc: TerraformResourceLifecycle) {\n    super(scope, id);\n' +
      "    new DynamodbTable(this, 'spread', { name: 'spread', hashKey: 'id', lifecycle: { ...lc, createBeforeDestroy: true } });\n" +
      "    new DynamodbTable(this, 'kept', { name: 'kept', hashKey: 'id', lifecycle: { ...lc, ignoreChanges: ['tags'] } });\n  }\n}\n";
    const c = await verdicts('main.ts', text);
    expect(c.spread.blocker).toMatch(
      /^lifecycle\.ignoreChanges at line 8 is not read: ignoreChanges may come from the spread \.\.\.lc\. If it lists server_side_encryption or 'all'/,
    );
    expect(c.spread.fixed).toBe(false);
    // Written after the spread, the list is the one the table gets.
    expect(c.kept).toEqual({ fixed: true, blocker: undefined });
  });

  // Adversarial pass s56 F6: Pulumi's quoted form of a path's root key (`["serverSideEncryption"]`) was not read.
  it('Pulumi: the quoted root of a property path names the encryption, in TypeScript and YAML', async () => {
    const ts =
      "import * as aws from '@pulumi/aws';\n\n" +
      `export const a = new aws.dynamodb.Table('a', { hashKey: 'id' }, { ignoreChanges: ['["serverSideEncryption"]'] });\n` +
      `export const b = new aws.dynamodb.Table('b', { hashKey: 'id' }, { ignoreChanges: ['["serverSideEncryption"].kmsKeyArn', 'tags'] });\n` +
      `export const c = new aws.dynamodb.Table('c', { hashKey: 'id' }, { ignoreChanges: ['["tags"]', 'serverSideEncryptionX'] });\n`;
    const p = await verdicts('index.ts', ts);
    expect(p.a.blocker).toMatch(/^the resource option ignoreChanges lists '\["serverSideEncryption"\]', so pulumi up would leave/);
    expect(p.b.blocker).toContain(`lists '["serverSideEncryption"].kmsKeyArn'`);
    for (const a of ['a', 'b']) expect(p[a].fixed, a).toBe(false);
    expect(p.c).toEqual({ fixed: true, blocker: undefined });

    const table = (name: string, ignore: string) =>
      `  ${name}:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n      attributes:\n        - name: id\n          type: S\n` +
      `    options:\n      ignoreChanges:\n        - '${ignore}'\n`;
    const y = await verdicts(
      'Pulumi.yaml',
      'name: y\nruntime: yaml\nresources:\n' + table('orders', '["serverSideEncryption"]') + table('users', '["tags"]'),
    );
    expect(y.orders.blocker).toMatch(/^options\.ignoreChanges lists '\["serverSideEncryption"\]', so pulumi up would leave/);
    expect(y.orders.fixed).toBe(false);
    expect(y.users).toEqual({ fixed: true, blocker: undefined });
  });
});
