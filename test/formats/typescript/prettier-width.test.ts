/**
 * Import lists a fix extends past the project's Prettier print width are written one name a line, as
 * Prettier would (laazyj/composureCDK runs `prettier --check` with printWidth 100: an extended
 * one-line import reached 122 columns). Without a Prettier configuration, nothing changes.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/engine/run.js';

const STACK = `import { App, Stack } from "aws-cdk-lib";
import { AttributeType, Table } from "aws-cdk-lib/aws-dynamodb";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";

const app = new App();
const stack = new Stack(app, "S");
const table = new Table(stack, "Table", {
  partitionKey: { name: "id", type: AttributeType.STRING },
});
const role = new Role(stack, "Role", { assumedBy: new ServicePrincipal("lambda.amazonaws.com") });
table.grantReadData(role);
`;

async function fixed(config: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-prettier-'));
  for (const [name, text] of Object.entries(config)) writeFileSync(path.join(dir, name), text);
  writeFileSync(path.join(dir, 'stack.ts'), STACK);
  const r = await run(['stack.ts'], { cwd: dir, mode: 'fix', workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table' });
  expect(r.outcomes.map((o) => o.error)).toEqual([undefined]);
  return (r.outcomes[0].newText ?? readFileSync(path.join(dir, 'stack.ts'), 'utf8')).split('\n').slice(0, 11);
}

const WRAPPED = [
  'import { App, Aws, Stack } from "aws-cdk-lib";',
  'import { AttributeType, Table, TableEncryption } from "aws-cdk-lib/aws-dynamodb";',
  'import {',
  '  AccountRootPrincipal,',
  '  AnyPrincipal,',
  '  PolicyDocument,',
  '  PolicyStatement,',
  '  Role,',
  '  ServicePrincipal,',
  '} from "aws-cdk-lib/aws-iam";',
  'import { Key } from "aws-cdk-lib/aws-kms";',
];

describe("a fix's imports and the project's Prettier print width", () => {
  it('.prettierrc (JSON or YAML) or package.json "prettier": a list past the width is wrapped, the others stay on their line', async () => {
    expect(await fixed({ '.prettierrc': '{ "printWidth": 100, "trailingComma": "all" }\n' })).toEqual(WRAPPED);
    expect(await fixed({ '.prettierrc': 'printWidth: 100\n' })).toEqual(WRAPPED);
    expect(await fixed({ 'package.json': '{ "name": "x", "prettier": { "printWidth": 100 } }\n' })).toEqual(WRAPPED);
    // trailingComma none: no comma after the last name.
    const none = await fixed({ '.prettierrc': '{ "printWidth": 100, "trailingComma": "none" }\n' });
    expect(none[8]).toBe('  ServicePrincipal');
  });

  it('every configuration file Prettier reads (lakitu: prettier.config.mjs), and Prettier installed without one (its defaults)', async () => {
    const configs: Record<string, string>[] = [
      { '.prettierrc.yaml': 'printWidth: 100\ntrailingComma: all\n' },
      { '.prettierrc.yml': "printWidth: 100\ntrailingComma: 'all'\n" },
      { '.prettierrc.toml': 'printWidth = 100\ntrailingComma = "all"\n' },
      { '.prettierrc.json5': "{ printWidth: 100, trailingComma: 'all' }\n" },
      { 'prettier.config.mjs': "export default {\n  printWidth: 100,\n  trailingComma: 'all',\n};\n" },
      { '.prettierrc.cjs': "module.exports = { printWidth: 100, trailingComma: 'all' };\n" },
    ];
    for (const config of configs) expect(await fixed(config), Object.keys(config)[0]).toEqual(WRAPPED);
    // A script configuration whose settings are not written as literals, or Prettier among the packages alone: its defaults.
    const defaults = await fixed({ '.prettierrc': '{}\n' });
    expect(await fixed({ 'prettier.config.mjs': 'import base from "@org/prettier";\nexport default base;\n' })).toEqual(defaults);
    expect(await fixed({ 'package.json': '{ "name": "x", "devDependencies": { "prettier": "^3.3.0" } }\n' })).toEqual(defaults);
    // A YAML configuration of other settings only is one too (Prettier's width).
    expect(await fixed({ '.prettierrc': 'singleQuote: true\n' })).toEqual(defaults);
  });

  it('a shared configuration\'s name (guardian/transcription-service: "@guardian/prettier") counts, with Prettier\'s defaults', async () => {
    const defaults = await fixed({ '.prettierrc': '{}\n' });
    // Prettier's 80 columns: the extended dynamodb list (81) is wrapped too.
    expect(defaults[1]).toBe('import {');
    expect(await fixed({ '.prettierrc.json': '"@guardian/prettier"\n' })).toEqual(defaults);
    expect(await fixed({ 'package.json': '{ "name": "x", "prettier": "@guardian/prettier" }\n' })).toEqual(defaults);
  });

  it("trailingComma set: a multi-line call's last argument takes a comma with all, none with es5 or none; unset, the file's own calls decide", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-prettier-args-'));
    // A long table id makes the alias call's argument go on a line of its own.
    const stack = STACK.replace('"Table", {', '"TheOrdersTableOfTheCheckoutServiceWithAVeryLongName", {');
    const fixedWith = async (rc: string | undefined) => {
      const d = mkdtempSync(path.join(dir, 'p-'));
      if (rc) writeFileSync(path.join(d, '.prettierrc'), rc);
      writeFileSync(path.join(d, 'stack.ts'), stack);
      const r = await run(['stack.ts'], { cwd: d, mode: 'fix', workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table' });
      const call = /\.addAlias\(\n[^\n]*\n\s*\)/.exec(r.outcomes[0].newText!)?.[0];
      expect(call, rc).toBeDefined();
      return call!.split('\n')[1].endsWith(',');
    };
    expect(await fixedWith('{ "trailingComma": "all" }\n')).toBe(true);
    expect(await fixedWith('{ "trailingComma": "es5" }\n')).toBe(false);
    expect(await fixedWith('trailingComma: none\n')).toBe(false);
    expect(await fixedWith('{ "printWidth": 80 }\n')).toBe(await fixedWith(undefined));
  });

  it('printWidth is the width new code fits in: a call that fits in 120 columns stays on one line, as Prettier keeps it', async () => {
    const fixedAt = async (rc: string | undefined) => {
      const d = mkdtempSync(path.join(tmpdir(), 'kmsfix-prettier-width-'));
      if (rc) writeFileSync(path.join(d, '.prettierrc'), rc);
      writeFileSync(path.join(d, 'stack.ts'), STACK.replace('"Table", {', '"TheOrdersTableOfTheCheckoutService", {'));
      const r = await run(['stack.ts'], { cwd: d, mode: 'fix', workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table' });
      return r.outcomes[0].newText!;
    };
    expect(await fixedAt(undefined)).toMatch(/\.addAlias\(\n/);
    const wide = await fixedAt('{ "printWidth": 120 }\n');
    expect(wide).toMatch(/\.addAlias\(`alias\/dynamodb\/[^\n]*\);?\n/);
    expect(Math.max(...wide.split('\n').map((l) => l.length))).toBeLessThanOrEqual(120);
  });

  it('the nearest configuration wins: a package.json beside the file over a .prettierrc above it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-prettier-near-'));
    writeFileSync(path.join(dir, '.prettierrc'), '{ "printWidth": 100 }\n');
    const app = path.join(dir, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), '{ "name": "app", "prettier": { "printWidth": 200 } }\n');
    writeFileSync(path.join(app, 'stack.ts'), STACK);
    const r = await run(['stack.ts'], { cwd: app, mode: 'fix', workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table' });
    expect(r.outcomes[0].newText!.split('\n')[2]).toBe(
      'import { AccountRootPrincipal, AnyPrincipal, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";',
    );
  });

  it('oxfmt (.oxfmtrc.json/.jsonc: printWidth 100 by default) and Biome (biome.json: formatter.lineWidth, trailingCommas) count as Prettier (CMS macpro-mdct)', async () => {
    // The aws-iam list is 127 columns on one line, the aws-dynamodb one 81: at 100 the first wraps, at 80 both.
    expect(await fixed({ '.oxfmtrc.json': '{ "printWidth": 100, "trailingComma": "es5" }\n' })).toEqual(WRAPPED);
    expect(await fixed({ '.oxfmtrc.jsonc': '{\n  // oxfmt\n  "semi": true,\n}\n' })).toEqual(WRAPPED);
    expect(await fixed({ 'biome.json': '{ "formatter": { "lineWidth": 100 } }\n' })).toEqual(WRAPPED);
    const at80 = await fixed({ 'biome.jsonc': '{ /* defaults */ "javascript": { "formatter": { "quoteStyle": "double" } } }\n' });
    expect(at80.slice(0, 3)).toEqual(['import { App, Aws, Stack } from "aws-cdk-lib";', 'import {', '  AttributeType,']);
    // A Biome that formats no JavaScript, or a width past the list: one line, as before.
    const oneLine =
      'import { AccountRootPrincipal, AnyPrincipal, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";';
    expect((await fixed({ 'biome.json': '{ "formatter": { "enabled": false } }\n' }))[2]).toBe(oneLine);
    expect((await fixed({ 'biome.json': '{ "javascript": { "formatter": { "lineWidth": 140 } } }\n' }))[2]).toBe(oneLine);
  });

  it("dprint (dprint.json with its TypeScript plugin: lineWidth 120 by default) counts as Prettier's width (session 45 left it out)", async () => {
    const plugin = '"plugins": ["https://plugins.dprint.dev/typescript-0.93.0.wasm"]';
    // 127 columns on one line: past dprint's default 120.
    const wrapped = await fixed({ 'dprint.json': `{ ${plugin} }\n` });
    expect(wrapped.slice(2, 4)).toEqual(['import {', '  AccountRootPrincipal,']);
    expect(await fixed({ '.dprint.jsonc': `{\n  // dprint\n  "lineWidth": 100,\n  ${plugin},\n}\n` })).toEqual(WRAPPED);
    expect((await fixed({ 'dprint.json': `{ "typescript": { "lineWidth": 100, "trailingCommas": "never" }, ${plugin} }\n` }))[8]).toBe(
      '  ServicePrincipal',
    );
    // Without its TypeScript plugin dprint formats no TypeScript: one line, as before.
    const oneLine =
      'import { AccountRootPrincipal, AnyPrincipal, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";';
    expect((await fixed({ 'dprint.json': '{ "lineWidth": 80, "plugins": ["https://plugins.dprint.dev/json-0.19.4.wasm"] }\n' }))[2]).toBe(
      oneLine,
    );
  });

  it('no Prettier configuration: the list stays on one line, as before', async () => {
    const lines = await fixed({});
    expect(lines[2]).toBe(
      'import { AccountRootPrincipal, AnyPrincipal, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";',
    );
  });
});
