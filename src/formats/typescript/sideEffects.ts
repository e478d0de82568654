/**
 * A table's id (CDK, CDKTF) or name (Pulumi) expression that does something when it is evaluated
 * (`Shard${n++}`, `'W' + ids[i++]`, `makeId()`): the fix writes the id's text again in the key's id, its
 * description and the alias, and each copy would run it once more, so the table itself would get
 * another value (its construct id, URN or Terraform address changes: a deploy replaces it with a new,
 * empty table) and a loop over the counter would run fewer times. Such a table is declined, unless
 * --kms-key-arn gives the key (then nothing is added beside it); verify.ts refuses a fix that kept one.
 *
 * Copied as it is: literals, names, `this`, property and element reads, templates, unary `+ - ! ~`,
 * `typeof`, binary operators that assign nothing (`+`, `??`, `===`...), `?:`, of such; anything else
 * (`++`, `--`, an assignment, a call, `new`, `await`, `yield`, `delete`, a tagged template, a comma) is
 * an effect. Kinds are compared, not `ts.isXxx` (the parser-only build may lack some helpers).
 */
import type { Obstacle } from '../../rule/facts.js';
import { snippet } from './lookup.js';
import { ts } from './parse.js';

const K = ts.SyntaxKind;

/** Binary operators that read their operands and assign nothing. */
const READING = new Set<ts.SyntaxKind>([
  K.PlusToken,
  K.MinusToken,
  K.AsteriskToken,
  K.SlashToken,
  K.PercentToken,
  K.AsteriskAsteriskToken,
  K.QuestionQuestionToken,
  K.BarBarToken,
  K.AmpersandAmpersandToken,
  K.EqualsEqualsEqualsToken,
  K.ExclamationEqualsEqualsToken,
  K.EqualsEqualsToken,
  K.ExclamationEqualsToken,
  K.LessThanToken,
  K.LessThanEqualsToken,
  K.GreaterThanToken,
  K.GreaterThanEqualsToken,
]);

const PURE_UNARY = new Set<ts.SyntaxKind>([K.PlusToken, K.MinusToken, K.ExclamationToken, K.TildeToken]);

/** The first part of `e` (in source order) that does something when evaluated, or undefined when `e` only reads. */
export function sideEffectIn(e: ts.Expression): ts.Node | undefined {
  switch (e.kind) {
    case K.StringLiteral:
    case K.NumericLiteral:
    case K.BigIntLiteral:
    case K.NoSubstitutionTemplateLiteral:
    case K.TrueKeyword:
    case K.FalseKeyword:
    case K.NullKeyword:
    case K.ThisKeyword:
    case K.Identifier:
      return undefined;
    case K.ParenthesizedExpression:
    case K.AsExpression:
    case K.SatisfiesExpression:
    case K.NonNullExpression:
    case K.TypeAssertionExpression:
    case K.TypeOfExpression:
    case K.PropertyAccessExpression:
      return sideEffectIn((e as ts.Expression & { expression: ts.Expression }).expression);
    case K.ElementAccessExpression: {
      const a = e as ts.ElementAccessExpression;
      return sideEffectIn(a.expression) ?? sideEffectIn(a.argumentExpression);
    }
    case K.TemplateExpression:
      for (const span of (e as ts.TemplateExpression).templateSpans) {
        const found = sideEffectIn(span.expression);
        if (found) return found;
      }
      return undefined;
    case K.BinaryExpression: {
      const b = e as ts.BinaryExpression;
      if (!READING.has(b.operatorToken.kind)) return e;
      return sideEffectIn(b.left) ?? sideEffectIn(b.right);
    }
    case K.ConditionalExpression: {
      const c = e as ts.ConditionalExpression;
      return sideEffectIn(c.condition) ?? sideEffectIn(c.whenTrue) ?? sideEffectIn(c.whenFalse);
    }
    case K.PrefixUnaryExpression: {
      const u = e as ts.PrefixUnaryExpression;
      return PURE_UNARY.has(u.operator) ? sideEffectIn(u.operand) : e;
    }
    default:
      return e;
  }
}

/** The `generated-key` obstacle of a table whose id (`pulumi`: name) expression has a side effect, else undefined. */
export function sideEffectIdObstacle(sf: ts.SourceFile, idNode: ts.Expression, pulumi: boolean): Obstacle | undefined {
  const effect = sideEffectIn(idNode);
  if (!effect) return undefined;
  const what = pulumi ? 'name' : 'id';
  const name = pulumi ? 'tableName' : 'tableId';
  return {
    kind: 'generated-key',
    step:
      `its ${what} expression has a side effect (${snippet(sf, effect)}): the key's ${what}, its description and the alias a fix ` +
      `writes would each run it again, so the table would get another ${what} and a deploy would replace it. Hold it in a const first ` +
      `(\`const ${name} = ${snippet(sf, idNode)};\` before the table, then the table created with ${name}), then run kmsfix again`,
  };
}
