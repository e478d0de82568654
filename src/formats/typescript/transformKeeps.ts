/**
 * Pulumi transforms of a file that keep tables past `pulumi destroy` (session 63's deploy review, F1): a stack
 * transform (`pulumi.runtime.registerStackTransformation(fn)`, `registerResourceTransform(fn)`) or a `transforms` /
 * `transformations` option whose code names `retainOnDelete` (anything but `retainOnDelete: false`), the way SST's
 * `removal: "retain"` keeps its tables. Such a table is kept as one with its own `retainOnDelete` is
 * (retention.ts destroyKeeps): the fix gives its key `retainOnDelete: true`, and the `Key not kept` caution names
 * a key of the file without it. kmsfix does not run the transform: one that names resource types and none of a
 * DynamoDB table's is read as leaving tables alone; any other may touch them, and the key is kept (a kept key costs
 * $1 a month, a deleted one the table's data).
 */
import type { PulumiKeep } from '../pulumi/retention.js';
import { STACK_TRANSFORMS, TRANSFORM_OPTIONS, transformsText, transformText } from './overrides.js';
import { ts } from './parse.js';

/** A Pulumi type token (`aws:dynamodb/table:Table`, `aws-native:dynamodb:Table`) as a transform compares it. */
const TYPE_TOKEN = /['"`]([\w-]+:[\w-]+(?:\/[\w-]+)?:\w+)['"`]/g;
const TABLE_TYPE = /^(?:aws:dynamodb(?:\/table)?:Table|aws-native:dynamodb:(?:Global)?Table)$/;

/** Does a transform's code keep what it touches, and may it touch a table? */
function keepsTables(code: string): boolean {
  // Any mention but a `false` set (`retainOnDelete: false`, `opts.retainOnDelete = false`) may keep: a transform setting
  // false for one type and true for tables keeps them (adv2 s64: one `false` anywhere read as keeping none).
  if (![...code.matchAll(/\bretainOnDelete\b(\s*(?::|=(?!=))\s*false\b)?/g)].some((m) => !m[1])) return false;
  const types = [...code.matchAll(TYPE_TOKEN)].map((m) => m[1]);
  return types.length === 0 || types.some((t) => TABLE_TYPE.test(t));
}

const memo = new WeakMap<ts.SourceFile, PulumiKeep[]>();

/** The transforms of the file that keep its Pulumi tables, as the caution names each (empty: none). */
export function transformKeeps(sf: ts.SourceFile): PulumiKeep[] {
  let out = memo.get(sf);
  if (out) return out;
  out = [];
  const found = out;
  if (/\bretainOnDelete\b/.test(sf.text) && /ransform/.test(sf.text)) {
    const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && STACK_TRANSFORMS.has(n.expression.name.text)) {
        if (n.arguments.some((a) => keepsTables(transformText(sf, a))))
          found.push({
            why: `retainOnDelete of the stack transform ${n.expression.name.text}(...) at line ${line(n)}`,
            by: 'retainOnDelete',
          });
      } else if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && TRANSFORM_OPTIONS.has(n.name.text)) {
        if (keepsTables(transformsText(sf, n.initializer)))
          found.push({ why: `retainOnDelete of the ${n.name.text} option at line ${line(n)}`, by: 'retainOnDelete' });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  memo.set(sf, out);
  return out;
}
