/**
 * A key read from an input the program declares with a default, as the other families read the same input in
 * their own files (real-world round 32):
 * - AWS CDK's `new CfnParameter(this, 'TableKeyArn', { default: ... })`, read as `keyArn.valueAsString`,
 *   `Token.asString(keyArn.value)` or `Fn.ref('TableKeyArn')`: the synthesized template's `!Ref TableKeyArn`, which
 *   kmsfix (src/formats/cfn-values/settings.ts), Checkov and cfn-nag read by its Default. The status it gives is
 *   the parameter's (Setting.via): left to the parameter unless --fix-parameterised, as in a template.
 * - CDK for Terraform's `new TerraformVariable(this, 'tableKey', { default: ... })`, read as `tableKey.stringValue` or
 *   `tableKey.value`: the synthesized root module's `var.tableKey`, which the Terraform family reads by its default
 *   ("tableKey defaults to ...", src/formats/terraform/evaluate.ts), fixed as a root module's table is.
 * An input without a default is left as the other families leave it (a key, decided at deploy time). Inputs are
 * matched by their class's last name as written, through the file's consts and fields (as awsManagedKey.ts does).
 */
import path from 'node:path';
import { declarationOf } from './consts.js';
import { newExpressions, propertyName, stringValue, ts, unwrap } from './parse.js';
import { fieldValue, memberValue, onlyValueOf } from './singleValue.js';

/** An input read, with its name and its default as written (undefined: none). */
export interface InputRead {
  kind: 'cfn-parameter' | 'terraform-variable';
  name: string;
  /** The `new CfnParameter(...)` or `new TerraformVariable(...)`. */
  declared: ts.NewExpression;
  default: ts.Expression | undefined;
}

/** The attributes of each input class that are its value as a string. */
const VALUE_READS: Record<InputRead['kind'], Set<string>> = {
  'cfn-parameter': new Set(['valueAsString', 'value']),
  'terraform-variable': new Set(['stringValue', 'value']),
};

const CLASSES: Record<string, InputRead['kind']> = { CfnParameter: 'cfn-parameter', TerraformVariable: 'terraform-variable' };

/** The input `e` reads (see above), if it reads one. */
export function inputRead(e: ts.Expression): InputRead | undefined {
  const u = unwrap(e);
  if (ts.isPropertyAccessExpression(u)) {
    const declared = heldNew(u.expression, 0);
    const kind = declared && classOf(declared);
    return kind && VALUE_READS[kind].has(u.name.text) ? readOf(declared, kind) : undefined;
  }
  if (!ts.isCallExpression(u) || !ts.isPropertyAccessExpression(u.expression)) return undefined;
  const callee = u.expression;
  // `Token.asString(keyArn.value)`.
  if (callee.name.text === 'asString' && /(^|\.)Token$/.test(callee.expression.getText()) && u.arguments.length >= 1)
    return inputRead(u.arguments[0]);
  // `Fn.ref('TableKeyArn')`: the file's CfnParameter of that id.
  if (callee.name.text === 'ref' && /(^|\.)Fn$/.test(callee.expression.getText()) && u.arguments.length === 1) {
    const id = stringValue(unwrap(u.arguments[0]));
    const declared =
      id === undefined
        ? undefined
        : newExpressions(u.getSourceFile()).find((n) => classOf(n) === 'cfn-parameter' && stringValue(n.arguments?.[1]) === id);
    return declared && readOf(declared, 'cfn-parameter');
  }
  return undefined;
}

/** Where an input is declared, for messages: `main.ts:10`. */
export function declaredAt(r: InputRead): string {
  const sf = r.declared.getSourceFile();
  const line = sf.getLineAndCharacterOfPosition(r.declared.getStart(sf)).line + 1;
  return `${path.posix.basename(sf.fileName.replace(/\\/g, '/'))}:${line}`;
}

function readOf(declared: ts.NewExpression, kind: InputRead['kind']): InputRead | undefined {
  const name = stringValue(declared.arguments?.[1] && unwrap(declared.arguments[1]));
  if (name === undefined) return undefined;
  const props = declared.arguments?.[2] && unwrap(declared.arguments[2]);
  if (props && !ts.isObjectLiteralExpression(props)) return undefined;
  // A spread may set the default: not read.
  if (props?.properties.some((p) => ts.isSpreadAssignment(p))) return undefined;
  const d = props?.properties.find((p) => ts.isPropertyAssignment(p) && propertyName(p.name) === 'default');
  return { kind, name, declared, default: d && ts.isPropertyAssignment(d) ? d.initializer : undefined };
}

function classOf(n: ts.NewExpression): InputRead['kind'] | undefined {
  const callee = unwrap(n.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  return name === undefined ? undefined : CLASSES[name];
}

/** The `new X(...)` an expression holds: itself, or a const's, a field's, a const object's member's one value. */
function heldNew(e: ts.Expression, depth: number): ts.NewExpression | undefined {
  if (depth > 4) return undefined;
  const u = unwrap(e);
  if (ts.isNewExpression(u)) return u;
  const held = ts.isIdentifier(u)
    ? onlyValueOf(declarationOf(u))
    : ts.isPropertyAccessExpression(u)
      ? (fieldValue(u) ?? memberValue(u, declarationOf))
      : undefined;
  return held && heldNew(held, depth + 1);
}
