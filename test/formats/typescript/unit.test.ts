/** Unit checks of the TypeScript family's parts: verification, style detection, symbol resolution. */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { DEFAULT_FIX_OPTIONS } from '../../../src/engine/pipeline.js';
import { detectTypeScript } from '../../../src/formats/typescript/detect.js';
import { detectTsStyle } from '../../../src/formats/typescript/style.js';
import { isJavaScript, parseTypeScript, scriptKindOf, ts } from '../../../src/formats/typescript/parse.js';
import { verifyTypeScript } from '../../../src/formats/typescript/verify.js';
import { statusOf } from '../../../src/rule/evaluate.js';

const file = (text: string) => ({ path: 'stack.ts', absPath: '/stack.ts', text });

describe('parseTypeScript: the syntax a file name gives (scriptKindOf)', () => {
  const element = 'export const page = (name: string) => <main>{name}</main>;\n';
  const assertion = 'export const n = <number>JSON.parse("1");\n';
  const parses = (path: string, text: string) => {
    try {
      parseTypeScript(path, text);
      return true;
    } catch {
      return false;
    }
  };
  it('.tsx and .jsx parse JSX; .ts, .mts and .cts do not, and take a `<T>x` assertion that .tsx reads as JSX', () => {
    expect(['a.tsx', 'a.TSX', 'a.ts', 'a.mts', 'a.cts'].map((p) => parses(p, element))).toEqual([true, true, false, false, false]);
    expect(['a.ts', 'a.mts', 'a.cts', 'a.tsx'].map((p) => parses(p, assertion))).toEqual([true, true, true, false]);
    expect(parses('a.jsx', 'export const page = (name) => <main>{name}</main>;\n')).toBe(true);
  });
  it('kinds: TypeScript for .ts, .mts, .cts; TSX; JSX; JavaScript for .js, .mjs, .cjs (a .jsx is JavaScript: read, never fixed)', () => {
    const kinds = ['a.ts', 'a.mts', 'a.cts', 'a.tsx', 'a.jsx', 'a.js', 'a.mjs', 'a.cjs'].map((p) => ts.ScriptKind[scriptKindOf(p)]);
    expect(kinds).toEqual(['TS', 'TS', 'TS', 'TSX', 'JSX', 'JS', 'JS', 'JS']);
    expect(['a.jsx', 'a.js', 'a.tsx', 'a.mts'].map(isJavaScript)).toEqual([true, true, false, false]);
  });
});

describe('verify', () => {
  const stack = (keyProps: string) => `import * as kms from 'aws-cdk-lib/aws-kms';
import { Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
const key = new kms.Key(this, 'K', ${keyProps});
new Table(this, 'T', { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: key } as any);
new Table(this, 'U', { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: somewhere() } as any);
`;
  it('accepts a rotating key created in the file', () => {
    const f = file(stack('{ enableKeyRotation: true }'));
    expect(verifyTypeScript(f, detectTypeScript(f), ['T'], DEFAULT_FIX_OPTIONS)).toEqual([]);
  });
  it('rejects a key without rotation, and a key from elsewhere', () => {
    const f = file(stack('{}'));
    expect(verifyTypeScript(f, detectTypeScript(f), ['T', 'U'], DEFAULT_FIX_OPTIONS)).toEqual([
      'the key of table T does not enable rotation',
      'table U does not reference a KMS key created in the file',
    ]);
  });
});

describe('style', () => {
  it('reads indentation, quotes, semicolons and trailing commas from the file', () => {
    const sf = parseTypeScript('a.ts', 'import x from "y"\nconst o = {\n    a: 1,\n    b: [\n        2\n    ]\n}\n');
    expect(detectTsStyle(sf)).toEqual({
      eol: '\n',
      indent: '    ',
      quote: '"',
      importQuote: '"',
      semi: false,
      importSemi: false,
      importBraceSpace: true,
      trailingComma: false,
      trailingCommaArgs: false,
      width: 80,
    });
    const tabs = parseTypeScript('b.ts', "import x from 'y';\r\nfunction f() {\r\n\treturn {\r\n\t\ta: 1,\r\n\t};\r\n}\r\n");
    expect(detectTsStyle(tabs)).toEqual({
      eol: '\r\n',
      indent: '\t',
      quote: "'",
      importQuote: "'",
      semi: true,
      importSemi: true,
      importBraceSpace: true,
      trailingComma: true,
      trailingCommaArgs: true,
      width: 80,
    });
  });
  it("reads the spaces inside the imports' braces (Prettier's bracketSpacing: false writes {A}; real-world round 27)", () => {
    const tight = parseTypeScript(
      't.ts',
      "import {App, Stack} from 'aws-cdk-lib';\nimport {Table} from 'aws-cdk-lib/aws-dynamodb';\nconst o = { a: 1 };\n",
    );
    expect(detectTsStyle(tight).importBraceSpace).toBe(false);
    expect(detectTsStyle(parseTypeScript('s.ts', "import { App } from 'aws-cdk-lib';\n")).importBraceSpace).toBe(true);
    // No named import: spaces, as Prettier's default.
    expect(detectTsStyle(parseTypeScript('n.ts', "import * as cdk from 'aws-cdk-lib';\n")).importBraceSpace).toBe(true);
  });

  it("a fix writes new imports and names in the file's braces", async () => {
    const text = `import {App, Stack} from 'aws-cdk-lib';\nimport {AttributeType, Table} from 'aws-cdk-lib/aws-dynamodb';\n\nconst stack = new Stack(new App(), 'S');\nnew Table(stack, 'T', {partitionKey: {name: 'id', type: AttributeType.STRING}});\n`;
    const out = (await processMemory([{ path: 'stack.ts', text }], 'fix')).output.get('stack.ts')!;
    expect(out).toContain("import {Key} from 'aws-cdk-lib/aws-kms';\n");
    expect(out).toContain("import {App, Aws, Stack} from 'aws-cdk-lib';\n");
    expect(out).not.toMatch(/import \{ /);
  });

  it('reads the semicolons of imports apart (imports with `;`, statements without: WtfJoke/dynamodb-pipes-cdk-demo)', () => {
    const sf = parseTypeScript('m.ts', 'import { A } from "a";\nimport { B } from "b";\nconst x = 1\nconst y = 2\nf(x, y)\n');
    expect([detectTsStyle(sf).semi, detectTsStyle(sf).importSemi]).toEqual([false, true]);
    // No import: the file's statements decide.
    expect(detectTsStyle(parseTypeScript('n.ts', 'const x = 1;\n')).importSemi).toBe(true);
  });

  it("reads the trailing commas of calls apart from objects' (Prettier's es5: bebco-infra-cdk-v2)", () => {
    const es5 = parseTypeScript(
      'e.ts',
      "const a = f(\n  'x',\n  'y'\n);\nconst b = g(\n  1,\n  2\n);\nconst o = {\n  a: [\n    1,\n  ],\n};\n",
    );
    expect(detectTsStyle(es5)).toMatchObject({ trailingComma: true, trailingCommaArgs: false });
    // A kind the file shows none of follows the other.
    expect(detectTsStyle(parseTypeScript('f.ts', 'const o = {\n  a: 1,\n};\n'))).toMatchObject({
      trailingComma: true,
      trailingCommaArgs: true,
    });
    expect(detectTsStyle(parseTypeScript('g.ts', 'f(\n  1\n);\n'))).toMatchObject({ trailingComma: false, trailingCommaArgs: false });
  });
  it("new imports follow the imports' quotes, new code the code's strings (each falls back on the other)", () => {
    const mixed = parseTypeScript('c.ts', "import * as a from \"a\";\nimport * as b from \"b\";\nconst x = ['1', '2', '3', '4', '5'];\n");
    expect(detectTsStyle(mixed)).toMatchObject({ quote: "'", importQuote: '"' });
    expect(detectTsStyle(parseTypeScript('d.ts', 'import * as a from "a";\nconst x = 1;\n'))).toMatchObject({
      quote: '"',
      importQuote: '"',
    });
  });
});

describe('import styles', () => {
  const cases: [string, string][] = [
    ["import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';", 'new dynamodb.Table'],
    ["import { Table } from 'aws-cdk-lib/aws-dynamodb';", 'new Table'],
    ["import { Table as DdbTable } from 'aws-cdk-lib/aws-dynamodb';", 'new DdbTable'],
    ["import { aws_dynamodb as dynamodb } from 'aws-cdk-lib';", 'new dynamodb.Table'],
    ["import { aws_dynamodb } from 'aws-cdk-lib';", 'new aws_dynamodb.Table'],
    ["import * as cdk from 'aws-cdk-lib';", 'new cdk.aws_dynamodb.Table'],
  ];
  for (const [imp, ctor] of cases) {
    it(`${imp} ${ctor}(...)`, () => {
      const d = detectTypeScript(file(`${imp}\n${ctor}(this, 'T', { partitionKey: pk });\n`));
      expect(d.tables.map((t) => [t.type, t.address, statusOf(t)])).toEqual([['aws-cdk-lib.aws_dynamodb.Table', 'T', 'aws-owned']]);
    });
  }
  it('a local class named Table is not a DynamoDB table; nor is a type-only import', () => {
    const d = detectTypeScript(
      file("import type { Table } from 'aws-cdk-lib/aws-dynamodb';\nclass X {}\nnew Table(this, 'T', {});\nnew X();\n"),
    );
    expect(d.tables).toEqual([]);
  });
  it('CDKTF through the provider root namespace, Pulumi through a named import', () => {
    const cdktf = detectTypeScript(
      file("import * as aws from '@cdktf/provider-aws';\nnew aws.dynamodbTable.DynamodbTable(this, 't', { name: 't' });\n"),
    );
    expect(cdktf.tables.map((t) => t.type)).toEqual(['@cdktf/provider-aws.dynamodbTable.DynamodbTable']);
    const pulumi = detectTypeScript(file("import { dynamodb } from '@pulumi/aws';\nnew dynamodb.Table('t', {});\n"));
    expect(pulumi.tables.map((t) => t.type)).toEqual(['aws.dynamodb.Table']);
  });
  it('JSDoc comments (not parsed into nodes) still carry suppressions, and a broken tag is no parse error', () => {
    const text =
      "import { Table } from 'aws-cdk-lib/aws-dynamodb';\n" +
      '/**\n * Orders.\n * @deprecated {{ broken tag\n * checkov:skip=CKV_AWS_119:legacy\n */\n' +
      "const t = new Table(this, 'T', {});\n";
    const d = detectTypeScript(file(text));
    expect(d.tables.map((t) => [t.address, statusOf(t), t.suppressions.map((s) => s.tool)])).toEqual([['T', 'aws-owned', ['checkov']]]);
  });
});
