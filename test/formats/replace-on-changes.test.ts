/**
 * Pulumi's `replaceOnChanges` resource option naming what a fix edits (`serverSideEncryption`, a path under it,
 * its quoted form, or `'*'`): `pulumi up` would replace the table (a new, empty one, the old one deleted) instead
 * of changing its key in place, so the table is not fixed, the step naming the entry (deploy review of session 57,
 * F1). Read as `ignoreChanges` is (test/formats/ignored-changes.test.ts); a list or options kmsfix cannot read are
 * never taken as harmless. Fixture pairs: fixtures/typescript/pulumi-replace-on-changes, fixtures/pulumi-yaml/replace-on-changes.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

async function verdicts(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'fix', {});
  expect(r.outcomes[0].error).toBeUndefined();
  return Object.fromEntries(
    r.outcomes[0].tables.map((t) => [t.address, { fixed: t.fixed === true, blocker: t.blocker, status: t.status, reason: t.reason }]),
  );
}

const REPLACES = 'so pulumi up would replace the table (a new, empty table, the old one deleted) instead of changing its key in place.';
const table = (name: string, opts: string) => `export const ${name} = new aws.dynamodb.Table('${name}', { hashKey: 'id' }, ${opts});\n`;

describe("Pulumi replaceOnChanges naming the table's encryption", () => {
  it('TypeScript: serverSideEncryption, a path under it (quoted too), * and a const are declined with the step; another property is fixed', async () => {
    const v = await verdicts(
      'index.ts',
      "import * as aws from '@pulumi/aws';\nconst REPLACED = ['hashKey', 'serverSideEncryption'];\nconst opts = { replaceOnChanges: REPLACED };\n" +
        table('a', "{ replaceOnChanges: ['serverSideEncryption'] }") +
        table('b', "{ replaceOnChanges: ['*'], deleteBeforeReplace: true }") +
        table('c', `{ replaceOnChanges: ['["serverSideEncryption"]'] }`) +
        table('d', "{ replaceOnChanges: ['serverSideEncryption.kmsKeyArn'] }") +
        table('e', 'opts') +
        table('f', "{ replaceOnChanges: ['hashKey', 'rangeKey'] }") +
        table('g', "{ replaceOnChanges: ['*'], ignoreChanges: ['*'] }"),
    );
    expect(v.a.blocker).toBe(
      `the resource option replaceOnChanges lists 'serverSideEncryption', ${REPLACES} ` +
        "Take 'serverSideEncryption' out of the resource option replaceOnChanges, deploy, then run kmsfix again",
    );
    expect(v.b.blocker).toBe(
      `the resource option replaceOnChanges lists '*', ${REPLACES} ` +
        'List in the resource option replaceOnChanges only the properties that must replace the table (not serverSideEncryption), ' +
        'deploy, then run kmsfix again',
    );
    expect(v.c.blocker).toMatch(/^the resource option replaceOnChanges lists '\["serverSideEncryption"\]', so pulumi up would replace/);
    expect(v.d.blocker).toMatch(
      /^the resource option replaceOnChanges lists 'serverSideEncryption\.kmsKeyArn', so pulumi up would replace/,
    );
    expect(v.e.blocker).toMatch(
      /^the resource option replaceOnChanges \(through the const REPLACED\) lists 'serverSideEncryption', so pulumi up would replace/,
    );
    // Both options: the replacement is said first.
    expect(v.g.blocker).toMatch(/^the resource option replaceOnChanges lists '\*', so pulumi up would replace/);
    for (const a of ['a', 'b', 'c', 'd', 'e', 'g']) expect([a, v[a].fixed, v[a].status]).toEqual([a, false, 'aws-owned']);
    expect(v.f).toMatchObject({ fixed: true, blocker: undefined });
  });

  it('TypeScript: a list, a spread or options kmsfix cannot read are not fixed, and the step says why', async () => {
    const text = `import * as aws from '@pulumi/aws';
export function make(replaced: string[], opts: any) {
  new aws.dynamodb.Table('a', { hashKey: 'id' }, { replaceOnChanges: replaced });
  new aws.dynamodb.Table('b', { hashKey: 'id' }, opts);
}
const everything = process.env.FRAGILE === '1';
export const c = new aws.dynamodb.Table('c', { hashKey: 'id' }, { ...(everything && { replaceOnChanges: ['*'] }) });
export const d = new aws.dynamodb.Table('d', { hashKey: 'id' }, { ...(everything && { ignoreChanges: ['*'] }) });
export const e = new aws.dynamodb.Table('e', { hashKey: 'id' }, { ...(everything && { protect: true }) });
`;
    const v = await verdicts('index.ts', text);
    expect(v.a.blocker).toBe(
      'the resource option replaceOnChanges at line 3 is replaced, which kmsfix cannot read (it reads strings written in place, ' +
        "or a const of the file holding them). If it lists serverSideEncryption or '*', pulumi up would replace the table " +
        '(a new, empty table, the old one deleted) instead of changing its key in place. Write the list in place (or in a const array ' +
        'of the file), then run kmsfix again',
    );
    // Options kmsfix cannot read are declined already (they may name a provider): the step warns before a key is set by hand.
    expect(v.b.blocker).toMatch(/^the resource options are opts, not an object literal/);
    expect(v.b.blocker).toContain(
      ". If they set replaceOnChanges naming serverSideEncryption or '*', take it out and deploy first: pulumi up would replace " +
        'the table (a new, empty table, the old one deleted) instead of changing its key in place',
    );
    // A spread that can add only a literal of the file: the options are read (no provider), and the option it may set is not taken as absent.
    expect(v.c.blocker).toMatch(
      /^the resource option replaceOnChanges at line 7 is not read: replaceOnChanges may come from the spread \.\.\.\(everything && \{ replaceOnChanges: \['\*'\] \}\)\. If it lists serverSideEncryption or '\*', pulumi up would replace/,
    );
    expect(v.d.blocker).toMatch(
      /^the resource option ignoreChanges at line 8 is not read: ignoreChanges may come from the spread .*pulumi up would leave the deployed table's encryption as it is/,
    );
    for (const a of ['a', 'b', 'c', 'd']) expect([a, v[a].fixed]).toEqual([a, false]);
    expect(v.e).toMatchObject({ fixed: true, blocker: undefined });
  });

  it('TypeScript: a transform setting replaceOnChanges (any value) leaves the table unknown', async () => {
    const text = `import * as aws from '@pulumi/aws';
const fragile = (args: any) => ({ props: args.props, opts: { ...args.opts, replaceOnChanges: ['*'] } });
export const a = new aws.dynamodb.Table('a', { hashKey: 'id' }, { transforms: [fragile] });
export const b = new aws.dynamodb.Table('b', { hashKey: 'id' });
`;
    const v = await verdicts('index.ts', text);
    expect([v.a.status, v.a.fixed]).toEqual(['unknown', false]);
    expect(v.a.reason).toBe(
      "it may be replaced on changes (replaceOnChanges, which may name serverSideEncryption or '*', and pulumi up would then replace " +
        'the table with a new, empty one) by its transforms option at line 3, which kmsfix does not read',
    );
    expect(v.b).toMatchObject({ fixed: true, status: 'aws-owned' });
  });

  it("TypeScript: a component's transformations adding replaceOnChanges reach its child tables: unknown (adversarial pass 2 of session 57, H1)", async () => {
    const text = `import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
class Store extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('x:Store', name, {}, opts);
    new aws.dynamodb.Table(\`\${name}-t\`, { hashKey: 'id' }, { parent: this });
  }
}
new Store('s', { transformations: [(a) => ({ props: a.props, opts: pulumi.mergeOptions(a.opts, { replaceOnChanges: ['*'] }) })] });
`;
    const v = Object.values(await verdicts('index.ts', text));
    expect(v).toHaveLength(1);
    expect([v[0].status, v[0].fixed]).toEqual(['unknown', false]);
    expect(v[0].reason).toMatch(/by the transformations option at line 9 \(a resource's, which Pulumi applies to its children too\)/);
  });

  it('Pulumi YAML: options.replaceOnChanges naming the encryption (a list or one entry) is declined; another property is fixed', async () => {
    const resource = (name: string, options: string) =>
      `  ${name}:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n      attributes:\n        - name: id\n          type: S\n` +
      `    options:\n${options}`;
    const v = await verdicts(
      'Pulumi.yaml',
      'name: y\nruntime: yaml\nresources:\n' +
        resource('orders', '      replaceOnChanges:\n        - serverSideEncryption\n') +
        resource('events', '      replaceOnChanges: "*"\n      deleteBeforeReplace: true\n') +
        resource('audit', `      replaceOnChanges: ['["serverSideEncryption"].kmsKeyArn']\n`) +
        resource('both', "      ignoreChanges: ['*']\n      replaceOnChanges: ['*']\n") +
        resource('carts', '      replaceOnChanges: [hashKey, rangeKey]\n'),
    );
    expect(v.orders.blocker).toBe(
      `options.replaceOnChanges lists serverSideEncryption, ${REPLACES} ` +
        'Take serverSideEncryption out of options.replaceOnChanges, deploy, then run kmsfix again',
    );
    expect(v.events.blocker).toBe(
      `options.replaceOnChanges lists "*", ${REPLACES} ` +
        'List in options.replaceOnChanges only the properties that must replace the table (not serverSideEncryption), deploy, then run kmsfix again',
    );
    expect(v.audit.blocker).toMatch(/^options\.replaceOnChanges lists '\["serverSideEncryption"\]\.kmsKeyArn', so pulumi up would replace/);
    expect(v.both.blocker).toMatch(/^options\.replaceOnChanges lists '\*', so pulumi up would replace/);
    for (const a of ['orders', 'events', 'audit', 'both']) expect([a, v[a].fixed]).toEqual([a, false]);
    expect(v.carts).toMatchObject({ fixed: true, blocker: undefined });
  });

  // Adversarial pass 2 of session 57, L1: pulumi-yaml matches a resource's fields and option names case-insensitively
  // (pkg/pulumiyaml/ast/template.go parseRecord, strings.EqualFold, a miscapitalization warning): read them so.
  it('Pulumi YAML: option names and resource fields in another case are read as pulumi-yaml reads them, and declined', async () => {
    const table = (name: string, rest: string, fields = ['type', 'properties']) =>
      `  ${name}:\n    ${fields[0]}: aws:dynamodb:Table\n    ${fields[1]}:\n      hashKey: id\n      attributes:\n        - name: id\n          type: S\n${rest}`;
    const v = await verdicts(
      'Pulumi.yaml',
      'name: y\nruntime: yaml\nresources:\n' +
        table('replaced', '    options:\n      ReplaceOnChanges: ["*"]\n') +
        table('ignored', '    Options:\n      ignoreChanges: [serverSideEncryption]\n') +
        table('upper', '', ['Type', 'Properties']) +
        table('kept', '    options:\n      Protect: true\n      IGNORECHANGES: [tags]\n') +
        table('plain', '    options:\n      ignoreChanges: [tags]\n'),
    );
    expect(v.replaced.blocker).toBe(
      `options.ReplaceOnChanges lists "*", ${REPLACES} ` +
        'List in options.ReplaceOnChanges only the properties that must replace the table (not serverSideEncryption), deploy, then run kmsfix again',
    );
    expect(v.ignored.blocker).toMatch(/^options\.ignoreChanges lists serverSideEncryption, so pulumi up would leave/);
    expect(v.upper.blocker).toBe(
      "the table writes Type, Properties in another case than pulumi-yaml's fields, which pulumi-yaml reads as type, properties " +
        '(with a miscapitalization warning) and kmsfix reads only in camelCase: rename them type, properties, then run kmsfix again',
    );
    expect(v.kept.blocker).toMatch(/^the table writes options\.Protect, options\.IGNORECHANGES in another case than pulumi-yaml's fields/);
    for (const a of ['replaced', 'ignored', 'upper', 'kept']) expect([a, v[a].fixed]).toEqual([a, false]);
    expect(v.plain).toMatchObject({ fixed: true, blocker: undefined });
  });
});
