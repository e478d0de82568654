/**
 * A table whose id (Pulumi: name) expression has a side effect (`Shard${n++}`, `'W' + ids[i++]`,
 * `makeId()`): the fix would copy it into the key's id, its description and the alias, each copy running
 * it again, so the table would get another id and a deploy would replace it. Declined with the step
 * (src/formats/typescript/sideEffects.ts), fixed with --kms-key-arn (nothing copied), and refused by the
 * verification if a fix kept one (verify.ts). The fixtures cdk-side-effect-ids, pulumi-side-effect-names
 * and cdktf-side-effect-ids hold the whole fixes.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIX_OPTIONS } from '../../../src/engine/pipeline.js';
import { processMemory } from '../../../src/engine/memory.js';
import { detectTypeScript } from '../../../src/formats/typescript/detect.js';
import { parseTypeScript } from '../../../src/formats/typescript/parse.js';
import { sideEffectIn } from '../../../src/formats/typescript/sideEffects.js';
import { verifyTypeScript } from '../../../src/formats/typescript/verify.js';

/** The text of the part of `expr` that has a side effect, or undefined. */
function effectOf(expr: string): string | undefined {
  const sf = parseTypeScript('a.ts', `(${expr});\n`);
  const st = sf.statements[0] as unknown as { expression: Parameters<typeof sideEffectIn>[0] };
  return sideEffectIn(st.expression)?.getText(sf);
}

const cdk = (id: string) => `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

export class S extends cdk.Stack {
  constructor(scope: cdk.App, sid: string, props: { name: string }) {
    super(scope, sid);
    const ids = ['x', 'y'];
    let n = 0;
    for (let i = 0; i < 2; i++) {
      new dynamodb.Table(this, ${id}, {
        partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      });
    }
  }
}
`;

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

async function run(text: string, mode: 'scan' | 'fix', kmsKeyArn?: string) {
  const r = await processMemory([{ path: 'stack.ts', text }], mode, kmsKeyArn ? { kmsKeyArn } : {});
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error.message] : []))).toEqual([]);
  return { table: r.outcomes[0].tables[0], output: r.output.get('stack.ts') };
}

describe('sideEffectIn: what in an id expression would run again if copied', () => {
  it('reads only: literals, names, this, property and element reads, templates, +, ?:, unary and typeof', () => {
    for (const e of [
      "'Orders'",
      '`Shard${i}`',
      'props.name',
      'this.node.id',
      'props?.name',
      "ids[i] + '-' + ids[0]",
      '`${stage}-${props.names[i]}`',
      "prod ? 'P' : `D${i}`",
      '(name as string)!',
      "name ?? 'x'",
      '-i',
      'typeof x',
      '42',
    ])
      expect(effectOf(e), e).toBeUndefined();
  });
  it('an effect: ++, --, assignments, calls, new, await, tagged templates, delete, comma, a function', () => {
    const cases: [string, string][] = [
      ['`Shard${n++}`', 'n++'],
      ["'W' + ids[i++]", 'i++'],
      ['`S${--n}`', '--n'],
      ['makeId()', 'makeId()'],
      ['`T${next()}`', 'next()'],
      ['name.toLowerCase()', 'name.toLowerCase()'],
      ['`T${(n += 1)}`', 'n += 1'],
      ['`T${(x = 2)}`', 'x = 2'],
      ['String(new Date())', 'String(new Date())'],
      ['`T${await id}`', 'await id'],
      ['tag`x`', 'tag`x`'],
      ['`T${delete o.x}`', 'delete o.x'],
      ['(n, m)', 'n, m'],
      ['p ? ids[i++] : "x"', 'i++'],
    ];
    for (const [e, effect] of cases) expect(effectOf(e), e).toBe(effect);
  });
});

describe('a table whose id has a side effect', () => {
  it('is not fixable: the step names the effect and says to hold the id in a const; fix leaves the file as it is', async () => {
    for (const [id, effect] of [
      ['`Shard${n++}`', 'n++'],
      ["'W' + ids[i++]", 'i++'],
      ['String(Date.now())', 'String(Date.now())'],
    ]) {
      const { table } = await run(cdk(id), 'scan');
      expect(table.fixable, id).toBe(false);
      expect(table.blocker, id).toContain(`its id expression has a side effect (${effect})`);
      expect(table.blocker, id).toContain('Hold it in a const first');
      expect(table.blocker, id).toContain('or run fix with --kms-key-arn and an existing key');
      expect((await run(cdk(id), 'fix')).output, id).toBe(cdk(id));
    }
  });

  it('an ordinary id (a loop variable in a template, a prop) is fixed as before', async () => {
    for (const id of ['`Shard${i}`', 'props.name', "'W' + ids[i]"]) {
      expect((await run(cdk(id), 'scan')).table.fixable, id).toBe(true);
      expect((await run(cdk(id), 'fix')).output, id).toContain(
        `new kms.Key(this, \`${id.startsWith('`') ? id.slice(1, -1) : `\${${id}}`}Key\``,
      );
    }
  });

  it('with --kms-key-arn nothing is copied: fixed, the table keeps its id and no key is declared per table', async () => {
    const { table } = await run(cdk('`Shard${n++}`'), 'scan', ARN);
    expect([table.fixable, table.blocker]).toEqual([true, undefined]);
    const out = (await run(cdk('`Shard${n++}`'), 'fix', ARN)).output!;
    expect(out.match(/n\+\+/g)).toHaveLength(1);
    expect(out).toContain('encryptionKey: dynamoDbKey');
  });

  it("verification refuses a fix that copied such an id (the key's id, description and alias would run n++ again)", () => {
    const text = `import * as kms from 'aws-cdk-lib/aws-kms';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
let n = 0;
for (const r of ['eu', 'us']) {
  const shardKey = new kms.Key(this, \`Shard\${n++}Key\`, { description: \`Shard\${n++}\`, enableKeyRotation: true });
  const shardTable = new dynamodb.Table(this, \`Shard\${n++}\`, {
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: shardKey,
  } as any);
}
`;
    const f = { path: 'stack.ts', absPath: '/stack.ts', text };
    expect(verifyTypeScript(f, detectTypeScript(f), ['`Shard${n++}`'], DEFAULT_FIX_OPTIONS)).toEqual([
      'the id of table `Shard${n++}` has a side effect (n++), which each copy of it the fix writes runs again',
    ]);
  });
});
