/**
 * A table made by a helper function that spreads the props its callers pass over its own
 * (src/formats/typescript/lookup.ts `parameterLiterals`): AWS Solutions' media insights writes
 * `function createTable(scope, name, customProps?) { const props = customProps || {...}; new Table(scope,
 * id, { encryptionKey: keyAlias, ..., ...props }) }` and calls it with object literals that set no
 * encryption. The spread could only be read as "encryption may come from ...props" (unknown); now the
 * calls of a helper of the file are read, when they are all there is.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const stack = (helper: string, calls: string, exported = '') => `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class S extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', { enableKeyRotation: true });
    ${exported}${helper}
${calls}
  }
}
`;

const HELPER = `function createTable(scope: Construct, name: string, customProps?: dynamodb.TableProps): dynamodb.Table {
      const props: dynamodb.TableProps = customProps || { partitionKey: { name: 'Name', type: dynamodb.AttributeType.STRING } };
      return new dynamodb.Table(scope, \`\${name}Table\`, { encryptionKey: key, ...props });
    }`;

async function status(text: string, mode: 'scan' | 'fix' = 'scan') {
  const r = await processMemory([{ path: 'stack.ts', text }], mode);
  const t = r.outcomes[0].tables[0];
  return { status: t.status, message: t.message, fixable: t.fixable, out: r.output.get('stack.ts') };
}

describe("a helper's parameter spread over the table's props", () => {
  it('every call gives a literal without encryption (or nothing): the key the helper sets, customer-managed', async () => {
    const calls = `    createTable(this, 'System');\n    createTable(this, 'History', { partitionKey: { name: 'Id', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'V', type: dynamodb.AttributeType.STRING } });`;
    expect((await status(stack(HELPER, calls))).status).toBe('customer-managed');
    // An arrow function held in a const, the parameter spread directly.
    const arrow = `const createTable = (scope: Construct, name: string, p?: Partial<dynamodb.TableProps>) =>
      new dynamodb.Table(scope, name, { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, encryptionKey: key, ...p });`;
    expect((await status(stack(arrow, `    createTable(this, 'A', { stream: dynamodb.StreamViewType.NEW_IMAGE });`))).status).toBe(
      'customer-managed',
    );
  });

  it('a call that sets encryption, passes a value kmsfix cannot read, or a helper that escapes: unknown, as before', async () => {
    const cases = [
      `    createTable(this, 'A', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryption.DEFAULT });`,
      `    createTable(this, 'A', someProps);`,
      `    createTable(this, 'A', { ...someProps });`,
      `    createTable(this, 'A');\n    const f = createTable;`,
    ];
    for (const calls of cases) {
      const s = await status(stack(HELPER, `    const someProps = makeProps();\n${calls}`));
      expect(s.status, calls).toBe('unknown');
      expect(s.message, calls).toMatch(/may come from the spread \.\.\.props/);
    }
    // A helper of the module: exported, other files may call it (unknown); not exported, its calls are all here.
    const top = (exp: string) =>
      `import { Construct } from 'constructs';\nimport * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nimport * as kms from 'aws-cdk-lib/aws-kms';\n\n` +
      `${exp}function createTable(scope: Construct, name: string, key: kms.IKey, customProps?: dynamodb.TableProps) {\n` +
      `  return new dynamodb.Table(scope, name, { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, encryptionKey: key, ...customProps });\n}\n\n` +
      `export function build(scope: Construct, key: kms.IKey) {\n  createTable(scope, 'A', key);\n  createTable(scope, 'B', key, { stream: dynamodb.StreamViewType.NEW_IMAGE });\n}\n`;
    expect((await status(top(''))).status).toBe('customer-managed');
    expect((await status(top('export '))).status).toBe('unknown');
  });

  it('no encryption in the helper or its calls: the AWS owned key, fixed in the helper, and fixed again changes nothing', async () => {
    const helper = HELPER.replace('{ encryptionKey: key, ...props }', '{ ...props }');
    const calls = `    createTable(this, 'System');\n    createTable(this, 'Jobs', { partitionKey: { name: 'Id', type: dynamodb.AttributeType.STRING } });`;
    const before = await status(stack(helper, calls), 'fix');
    expect(before.status).toBe('aws-owned');
    expect(before.fixable).toBe(true);
    expect(before.out).toContain('encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED');
    const again = await status(before.out!, 'fix');
    expect(again.status).toBe('customer-managed');
    expect(again.out ?? before.out).toBe(before.out);
  });

  it('a private method of the stack called as this.createTable(...): read through its calls as a function is', async () => {
    const cls = (method: string, calls: string, after = '') => `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class S extends Stack {
  private readonly key: kms.IKey;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true });
${calls}
  }

  ${method}(name: string, extra?: Partial<dynamodb.TableProps>): dynamodb.Table {
    return new dynamodb.Table(this, name, { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, encryptionKey: this.key, ...extra });
  }
${after}}
`;
    const calls = (m: string) => `    this.${m}('A');\n    this.${m}('B', { stream: dynamodb.StreamViewType.NEW_IMAGE });`;
    expect((await status(cls('private createTable', calls('createTable')))).status).toBe('customer-managed');
    expect((await status(cls('#createTable', calls('#createTable')))).status).toBe('customer-managed');
    // A call that sets encryption, a method others may call (not private), or one passed on: unknown.
    const unknown = [
      cls('private createTable', `${calls('createTable')}\n    this.createTable('C', { encryption: dynamodb.TableEncryption.DEFAULT });`),
      cls('createTable', calls('createTable')),
      cls('protected createTable', calls('createTable')),
      cls('private createTable', `${calls('createTable')}\n    const f = this.createTable;`),
      cls(
        'private createTable',
        calls('createTable'),
        `\n  other(s: S) {\n    s.createTable('D', { encryption: dynamodb.TableEncryption.DEFAULT });\n  }\n`,
      ),
    ];
    for (const text of unknown) {
      const s = await status(text);
      expect(s.status, text).toBe('unknown');
      expect(s.message, text).toMatch(/may come from the spread \.\.\.extra/);
    }
  });

  it('the parameter passed as the props themselves (`new Table(scope, id, props)`): read as `{ ...props }`, fixed so', async () => {
    const passed = `function createTable(scope: Construct, name: string, props: dynamodb.TableProps): dynamodb.Table {
      return new dynamodb.Table(scope, name, props);
    }`;
    const plain = `    createTable(this, 'A', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });`;
    const fixed = await status(stack(passed, plain), 'fix');
    expect([fixed.status, fixed.fixable]).toEqual(['aws-owned', true]);
    expect(fixed.out).toContain(
      'new dynamodb.Table(scope, name, {\n        ...props,\n        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,',
    );
    expect((await status(fixed.out!, 'fix')).status).toBe('customer-managed');
    // A call choosing a key, beside one that does not: unknown, saying why (read only when no call sets the encryption).
    const keyed = `    createTable(this, 'B', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, encryptionKey: key });`;
    const mixed = await status(stack(passed, `${plain}\n${keyed}`));
    expect(mixed.status).toBe('unknown');
    expect(mixed.message).toContain('props are the variable props, whose values (object literals) do not all leave the encryption unset');
    // The helper passed on (others may call it): unknown, as before.
    const escaped = await status(stack(passed, `${plain}\n    const f = createTable;`));
    expect(escaped.status).toBe('unknown');
    expect(escaped.message).toContain('(nor a parameter of a helper of this file, not exported, that every call gives one)');
  });
});
