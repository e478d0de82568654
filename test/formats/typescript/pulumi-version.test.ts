/**
 * The versions a Pulumi project declares (package.json) and the key a fix generates (real-world round 9,
 * pulumi/pulumi-cloud, `"@pulumi/aws": "^5.42.0"`): `aws.getCallerIdentityOutput` and `aws.getPartitionOutput`
 * came in @pulumi/aws 6.0.0, `pulumi.jsonStringify` in @pulumi/pulumi 3.50.0 (read in the packages'
 * typings, npm pack). Below either, the table is not fixed unless --kms-key-arn gives the key (the fix then
 * writes serverSideEncryption alone, which 5.x compiles).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import typescript from '../../../src/formats/typescript/index.js';
import type { DiskContext, SourceFile } from '../../../src/core/types.js';

const program = `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export class Table extends pulumi.ComponentResource {
    public readonly dynamodbTable: aws.dynamodb.Table;

    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("cloud:table:Table", name, {}, opts);
        this.dynamodbTable = new aws.dynamodb.Table(name, {
            attributes: [{ name: "id", type: "S" }],
            hashKey: "id",
        }, { parent: this });
    }
}
`;
const PROGRAM = 'infra/index.ts';
const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const pkg = (deps: Record<string, string>) => ({ dependencies: deps });
const filesOf = (packages: Record<string, object | string>, text = program) => [
  { path: PROGRAM, text },
  ...Object.entries(packages).map(([p, v]) => ({ path: p, text: typeof v === 'string' ? v : JSON.stringify(v) })),
];

async function scanWith(packages: Record<string, object | string>, text = program) {
  const r = await processMemory(filesOf(packages, text), 'scan');
  const [t] = r.outcomes.find((o) => o.file.path === PROGRAM)!.tables;
  return t.fixable ? 'fixable' : t.blocker;
}

describe('Pulumi: the @pulumi/aws and @pulumi/pulumi a project declares, and the key a fix generates', () => {
  it('@pulumi/aws ^5.42.0 (pulumi/pulumi-cloud): not fixable, the step names the range, 6.0.0 and what 5.x can write', async () => {
    const blocker = await scanWith({ 'infra/package.json': pkg({ '@pulumi/aws': '^5.42.0', '@pulumi/pulumi': '^3.76.0' }) });
    expect(blocker).toMatch(
      /@pulumi\/aws \^5\.42\.0, which has no aws\.getCallerIdentityOutput nor aws\.getPartitionOutput \(added in 6\.0\.0\).*upgrade @pulumi\/aws to 6\.0\.0 or later.*pulumi\.output\(aws\.getCallerIdentity\(opts\)\).*--kms-key-arn/,
    );
    expect(blocker).not.toMatch(/jsonStringify/);
  });

  it('@pulumi/pulumi ~3.40.0: not fixable, the step names 3.50.0 and JSON.stringify through pulumi.output', async () => {
    const blocker = await scanWith({ 'package.json': pkg({ '@pulumi/aws': '^6.0.0', '@pulumi/pulumi': '~3.40.0' }) });
    expect(blocker).toMatch(
      /@pulumi\/pulumi ~3\.40\.0, which has no pulumi\.jsonStringify \(added in 3\.50\.0\).*upgrade @pulumi\/pulumi to 3\.50\.0 or later.*\.apply\(JSON\.stringify\)/,
    );
    expect(blocker).not.toMatch(/getCallerIdentityOutput/);
  });

  it('both below: one step naming both upgrades', async () => {
    const blocker = await scanWith({ 'package.json': pkg({ '@pulumi/aws': '5.43.0', '@pulumi/pulumi': '3.49.0' }) });
    expect(blocker).toMatch(/upgrade @pulumi\/aws to 6\.0\.0 or later and @pulumi\/pulumi to 3\.50\.0 or later/);
  });

  it('the first versions that have them, a range by its lowest version; none, or no floor: fixed as before', async () => {
    expect(await scanWith({ 'package.json': pkg({ '@pulumi/aws': '6.0.0', '@pulumi/pulumi': '3.50.0' }) })).toBe('fixable');
    expect(await scanWith({ 'package.json': pkg({ '@pulumi/aws': '>=5.0.0 <7' }) })).toMatch(/>=5\.0\.0 <7.*6\.0\.0 or later/);
    expect(await scanWith({ 'package.json': pkg({ '@pulumi/aws': '^6.66.0', '@pulumi/pulumi': '^3.100.0' }) })).toBe('fixable');
    // The nearest package.json that lists each package, from the file's folder up.
    const nested = { 'package.json': pkg({ '@pulumi/aws': '^5.0.0' }), 'infra/package.json': pkg({ '@pulumi/aws': '^6.1.0' }) };
    expect(await scanWith(nested)).toBe('fixable');
    const unlisted = { 'package.json': pkg({ '@pulumi/aws': '^5.0.0' }), 'infra/package.json': { name: 'infra' } };
    expect(await scanWith(unlisted)).toMatch(/\^5\.0\.0/);
    const nones: Record<string, object | string>[] = [
      {},
      { 'package.json': { name: 'app' } },
      { 'package.json': pkg({ '@pulumi/aws': 'latest' }) },
      { 'package.json': 'not json' },
    ];
    for (const none of nones) expect(await scanWith(none)).toBe('fixable');
  });

  it('a range below the floor that the lock file installs past it (lakindu2002/cold-start-mitigator): fixed; a lock below it: not', async () => {
    const declared = pkg({ '@pulumi/aws': '^6.0.0', '@pulumi/pulumi': '^3.0.0' });
    const npmLock = (v: string) => ({ lockfileVersion: 3, packages: { '': {}, 'node_modules/@pulumi/pulumi': { version: v } } });
    expect(await scanWith({ 'package.json': declared, 'package-lock.json': npmLock('3.109.0') })).toBe('fixable');
    // A workspace's lock file above its package.json names its folder; one that does not is another project's.
    const workspace = { lockfileVersion: 3, packages: { '': {}, infra: {}, 'node_modules/@pulumi/pulumi': { version: '3.109.0' } } };
    expect(await scanWith({ 'infra/package.json': declared, 'package-lock.json': workspace })).toBe('fixable');
    expect(await scanWith({ 'infra/package.json': declared, 'package-lock.json': npmLock('3.109.0') })).not.toBe('fixable');
    expect(await scanWith({ 'package.json': declared, 'package-lock.json': npmLock('3.40.0') })).toMatch(
      /@pulumi\/pulumi \^3\.0\.0, which has no pulumi\.jsonStringify/,
    );
    // Lock file v1, yarn v1 and Berry.
    expect(
      await scanWith({ 'package.json': declared, 'package-lock.json': { dependencies: { '@pulumi/pulumi': { version: '3.109.0' } } } }),
    ).toBe('fixable');
    const yarn = (line: string) =>
      `"@pulumi/aws@^6.0.0":\n  version "6.25.0"\n\n"@pulumi/pulumi@^3.0.0", "@pulumi/pulumi@^3.40.0":\n  resolution: "@pulumi/pulumi@npm:3.109.0"\n  ${line}\n`;
    expect(await scanWith({ 'package.json': declared, 'yarn.lock': yarn('version "3.109.0"') })).toBe('fixable');
    expect(await scanWith({ 'package.json': declared, 'yarn.lock': yarn('version: 3.109.0') })).toBe('fixable');
    expect(await scanWith({ 'package.json': declared, 'yarn.lock': yarn('version "3.49.0"') })).not.toBe('fixable');
  });

  it('not declared (through @pulumi/cloud-aws), or `latest`: the version the lock file installs (Poivey/pwa-hub, lock file v1)', async () => {
    const v1 = (aws: string, pulumi: string) => ({
      lockfileVersion: 1,
      dependencies: { '@pulumi/aws': { version: aws }, '@pulumi/cloud-aws': { version: '0.18.0' }, '@pulumi/pulumi': { version: pulumi } },
    });
    const undeclared = pkg({ '@pulumi/pulumi': 'latest', '@pulumi/cloud-aws': '^0.18.0' });
    const blocker = await scanWith({ 'package.json': undeclared, 'package-lock.json': v1('0.18.3', '0.17.10') });
    expect(blocker).toMatch(
      /^the project installs @pulumi\/aws 0\.18\.3 \(its lock file\), which has no aws\.getCallerIdentityOutput.*, and installs @pulumi\/pulumi 0\.17\.10 \(its lock file, for latest\), which has no pulumi\.jsonStringify/,
    );
    expect(await scanWith({ 'package.json': undeclared, 'package-lock.json': v1('6.66.0', '3.140.0') })).toBe('fixable');
    // No lock file: fixed as before.
    expect(await scanWith({ 'package.json': undeclared })).toBe('fixable');
  });

  it('pnpm-lock.yaml: lock files 9, 6 and 5, a workspace importer; the lowest version any importer installs counts', async () => {
    const declared = pkg({ '@pulumi/aws': '^6.0.0', '@pulumi/pulumi': '^3.0.0' });
    const v9 = (v: string, importer = '.') =>
      `lockfileVersion: '9.0'\n\nimporters:\n\n  ${importer}:\n    dependencies:\n      '@pulumi/aws':\n        specifier: ^6.0.0\n` +
      `        version: 6.25.0(typescript@5.4.5)\n      '@pulumi/pulumi':\n        specifier: ^3.0.0\n        version: ${v}(typescript@5.4.5)\n`;
    expect(await scanWith({ 'package.json': declared, 'pnpm-lock.yaml': v9('3.109.0') })).toBe('fixable');
    expect(await scanWith({ 'package.json': declared, 'pnpm-lock.yaml': v9('3.49.0') })).not.toBe('fixable');
    const v5 = `lockfileVersion: 5.4\n\nspecifiers:\n  '@pulumi/pulumi': ^3.0.0\n\ndependencies:\n  '@pulumi/pulumi': 3.109.0\n`;
    expect(await scanWith({ 'package.json': declared, 'pnpm-lock.yaml': v5 })).toBe('fixable');
    // A workspace's lock file above names the project's folder as an importer; one that does not is another project's.
    expect(await scanWith({ 'infra/package.json': declared, 'pnpm-lock.yaml': v9('3.109.0', 'infra') })).toBe('fixable');
    expect(await scanWith({ 'infra/package.json': declared, 'pnpm-lock.yaml': v9('3.109.0', 'web') })).not.toBe('fixable');
    // Two importers: the older install keeps the table unfixed.
    const two = v9('3.109.0', 'infra') + v9('3.40.0', 'web').replace(/^[\s\S]*?importers:\n/, '');
    expect(await scanWith({ 'infra/package.json': declared, 'pnpm-lock.yaml': two })).not.toBe('fixable');
  });

  it('bun.lock (Bun 1.2): the packages it installs, nested installs too (the lowest counts), a workspace by its folder', async () => {
    const declared = pkg({ '@pulumi/aws': '^6.0.0', '@pulumi/pulumi': '^3.0.0' });
    const bun = (v: string, workspace = '', nested = '') =>
      `{\n  "lockfileVersion": 1,\n  "workspaces": {\n    "${workspace}": {\n      "name": "app",\n      "dependencies": {\n` +
      `        "@pulumi/aws": "^6.0.0",\n        "@pulumi/pulumi": "^3.0.0",\n      },\n    },\n  },\n  "packages": {\n` +
      `    "@pulumi/aws": ["@pulumi/aws@6.52.0", "", { "dependencies": { "@pulumi/pulumi": "^3.0.0" } }, "sha512-a=="],\n` +
      `    "@pulumi/pulumi": ["@pulumi/pulumi@${v}", "", {}, "sha512-b=="],\n${nested}  }\n}\n`;
    expect(await scanWith({ 'package.json': declared, 'bun.lock': bun('3.109.0') })).toBe('fixable');
    expect(await scanWith({ 'package.json': declared, 'bun.lock': bun('3.49.0') })).toMatch(
      /@pulumi\/pulumi \^3\.0\.0, which has no pulumi\.jsonStringify/,
    );
    const older = `    "@pulumi/awsx/@pulumi/pulumi": ["@pulumi/pulumi@3.40.0", "", {}, "sha512-c=="],\n`;
    expect(await scanWith({ 'package.json': declared, 'bun.lock': bun('3.109.0', '', older) })).not.toBe('fixable');
    expect(await scanWith({ 'infra/package.json': declared, 'bun.lock': bun('3.109.0', 'infra') })).toBe('fixable');
    expect(await scanWith({ 'infra/package.json': declared, 'bun.lock': bun('3.109.0', 'web') })).not.toBe('fixable');
    // Not declared: the version bun.lock installs decides alone.
    const undeclared = pkg({ '@pulumi/pulumi': 'latest', '@pulumi/aws': 'latest' });
    expect(await scanWith({ 'package.json': undeclared, 'bun.lock': bun('3.40.0') })).toMatch(
      /installs @pulumi\/pulumi 3\.40\.0 \(its lock file, for latest\)/,
    );
  });

  it('fix: nothing written below the floor; with --kms-key-arn the table is fixed (no lookups, no jsonStringify)', async () => {
    const files = filesOf({ 'package.json': pkg({ '@pulumi/aws': '^5.42.0', '@pulumi/pulumi': '~3.40.0' }) });
    expect((await processMemory(files, 'fix')).output.get(PROGRAM)).toBe(program);
    const given = (await processMemory(files, 'fix', { kmsKeyArn: ARN })).output.get(PROGRAM)!;
    expect(given).toContain(`kmsKeyArn: "${ARN}"`);
    expect(given).not.toMatch(/getCallerIdentityOutput|getPartitionOutput|jsonStringify|kms\.Key/);
  });

  it('package.json is read only for a file with a Pulumi table a fix would change', async () => {
    const asked: string[] = [];
    const context = {
      projectFile: async (_from: SourceFile, name: string) => {
        asked.push(name);
        return { path: 'package.json', text: JSON.stringify(pkg({ '@pulumi/aws': '^5.0.0' })) } as SourceFile;
      },
    } as unknown as DiskContext;
    const detect = (text: string) => typescript.detect({ path: PROGRAM, text } as SourceFile, context);
    const encrypted = program.replace('hashKey: "id",', `hashKey: "id", serverSideEncryption: { enabled: true, kmsKeyArn: "${ARN}" },`);
    const cdk = `import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Stack } from 'aws-cdk-lib';
export class S extends Stack { constructor(s: any, id: string) { super(s, id); new dynamodb.Table(this, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } }); } }
`;
    await detect(encrypted);
    await detect(cdk);
    expect(asked.filter((n) => n === 'package.json')).toEqual([]);
    await detect(program);
    expect(asked.filter((n) => n === 'package.json')).toHaveLength(2);
  });
});
