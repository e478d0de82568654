/**
 * An AWS CDK table made conditional past its props: `(orders.node.defaultChild as CfnResource)
 * .cfnOptions.condition = create`. The table's resource gets a CloudFormation `Condition`; a key and
 * an alias added without it would stay when the condition is false, the alias referring to a table
 * that does not exist (CloudFormation rejects the template). The condition is a construct the key's
 * statement may not see (it is often created after the table, or in another method), so the table is
 * not fixed: the step says how to give the key and its alias the same condition.
 *
 * The table is found as metadata.ts finds it (defaultChild.ts), and also through a method of the file
 * that creates and returns it (`const t = this.createTable(); (t.node.defaultChild as
 * CfnResource).cfnOptions.condition = c`). A receiver cast to another resource class (`as
 * iam.CfnPolicy`), or holding what `new` creates that is not a table, or a NestedStack's
 * `nestedStackResource` (its AWS::CloudFormation::Stack), is not a table; a receiver the file does not
 * resolve may be any of its tables.
 */
import type { LineIndex } from '../../core/text.js';
import { declarationOf } from './consts.js';
import { named, resourceOf } from './defaultChild.js';
import type { TsTable } from './tableTypes.js';
import { ts, unwrap } from './parse.js';

/** The classes a table's resource may be cast to (`any` and the like say nothing). */
const TABLE_TYPES = /^(?:CfnTable|CfnGlobalTable|CfnResource|any|unknown|IConstruct|Construct)$/;

/** The tables created inside the function or method `name` of the file. */
function madeBy(sf: ts.SourceFile, name: string, tables: TsTable[]): TsTable[] | undefined {
  const fns: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isMethodDeclaration(n) || ts.isFunctionDeclaration(n)) && n.name && ts.isIdentifier(n.name) && n.name.text === name)
      fns.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (fns.length === 0) return undefined;
  return tables.filter((t) => fns.some((f) => t.node.pos >= f.pos && t.node.end <= f.end));
}

/** Does the file assign `this.<field>` only from `new` expressions (none a table, as `named` found none)? */
function fieldOfOther(sf: ts.SourceFile, field: string): boolean {
  let news = 0;
  let others = 0;
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && unwrap(n.left).getText(sf) === field)
      ts.isNewExpression(unwrap(n.right)) ? news++ : others++;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return news > 0 && others === 0;
}

/** The tables a construct expression may be: a list (empty: not a table), or undefined when the file does not say. */
function constructTables(sf: ts.SourceFile, e: ts.Expression, tables: TsTable[]): TsTable[] | undefined {
  const u = unwrap(e);
  const t = named(u, tables);
  if (t) return [t];
  if (ts.isPropertyAccessExpression(u) && u.expression.kind === ts.SyntaxKind.ThisKeyword)
    return fieldOfOther(sf, u.getText(sf)) ? [] : undefined;
  if (!ts.isIdentifier(u)) return undefined;
  const d = declarationOf(u);
  const init = d && d !== 'other' && d.initializer ? unwrap(d.initializer) : undefined;
  if (!init) return undefined;
  if (ts.isNewExpression(init)) return tables.filter((x) => x.node === init);
  if (ts.isCallExpression(init)) {
    const callee = unwrap(init.expression);
    const method = ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword
        ? callee.name.text
        : undefined;
    return method === undefined ? undefined : madeBy(sf, method, tables);
  }
  return resolve(sf, init, tables);
}

/** The tables whose resource `receiver` (what `.cfnOptions` is read on) may be. */
function resolve(sf: ts.SourceFile, receiver: ts.Expression, tables: TsTable[]): TsTable[] | undefined {
  for (let e: ts.Expression = receiver; ; ) {
    if (ts.isAsExpression(e)) {
      const type = e.type.getText(sf).split('.').pop() ?? '';
      if (!TABLE_TYPES.test(type)) return [];
      e = e.expression;
    } else if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    else break;
  }
  const own = resourceOf(receiver, tables);
  if (own) return [own];
  const u = unwrap(receiver);
  // A NestedStack's own resource, an AWS::CloudFormation::Stack.
  if (ts.isPropertyAccessExpression(u) && u.name.text === 'nestedStackResource') return [];
  if (ts.isPropertyAccessExpression(u) && u.name.text === 'defaultChild') {
    const node = unwrap(u.expression);
    return ts.isPropertyAccessExpression(node) && node.name.text === 'node' ? constructTables(sf, node.expression, tables) : undefined;
  }
  return constructTables(sf, u, tables);
}

/** The step for a table that `what` (where and how) may make conditional. */
function conditionalStep(what: string): string {
  return (
    `${what}: a key and alias added without it would stay when the condition is false, the alias naming a table that does not ` +
    'exist, and CloudFormation would reject the template. Add the key by hand where the condition is in scope, give it ' +
    'and its alias the same condition ((key.node.defaultChild as kms.CfnKey).cfnOptions.condition and ' +
    "(alias.node.defaultChild as kms.CfnAlias).cfnOptions.condition), and pass it as the table's key"
  );
}

/** Does the expression name a `CfnCondition` the file creates (`const c = new cdk.CfnCondition(...)`)? */
function isCondition(e: ts.Expression): boolean {
  const u = unwrap(e);
  const d = ts.isIdentifier(u) ? declarationOf(u) : undefined;
  const init = d && d !== 'other' && d.initializer ? unwrap(d.initializer) : undefined;
  const callee = init && ts.isNewExpression(init) ? unwrap(init.expression) : undefined;
  return !!callee && /(^|\.)CfnCondition$/.test(callee.getText());
}

/**
 * A condition set on a table past what the file shows: a function given the table that is named for
 * conditions or also given a `CfnCondition` (`setCondition(table, cond)`, a helper of another file), or
 * an Aspect named for conditions added to the table (`Aspects.of(table).add(new ConditionAspect(c))`).
 */
function helperConditions(sf: ts.SourceFile, lines: LineIndex, cdk: TsTable[]): void {
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = unwrap(n.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      const aspect =
        name === 'add' && ts.isPropertyAccessExpression(callee) && /(^|\.)Aspects\.of\(/.test(callee.expression.getText(sf))
          ? (unwrap(callee.expression) as ts.CallExpression).arguments[0]
          : undefined;
      const given = aspect ? [aspect] : n.arguments.filter((a) => !ts.isSpreadElement(a));
      const named = aspect
        ? /Condition/i.test(n.arguments.map((a) => a.getText(sf)).join(','))
        : /condition/i.test(name) || n.arguments.some(isCondition);
      if (named) {
        const targets = new Set(given.flatMap((a) => resolve(sf, a, cdk) ?? []));
        const line = lines.position(n.getStart(sf)).line;
        const call = n.getText(sf).replace(/\s+/g, ' ');
        for (const t of targets)
          t.encryption.obstacles.push({
            kind: 'code-shape',
            step: conditionalStep(
              `its CloudFormation resource may get a Condition from ${call.length > 60 ? call.slice(0, 57) + '...' : call} at line ${line}`,
            ),
          });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

export function conditionalTables(sf: ts.SourceFile, lines: LineIndex, tables: TsTable[]): void {
  const cdk = tables.filter((t) => t.framework === 'cdk' && t.kind !== 'CfnResource');
  if (cdk.length === 0) return;
  if (/condition/i.test(sf.text.replace(/cfnOptions\s*\.\s*condition\b/g, ''))) helperConditions(sf, lines, cdk);
  if (!/cfnOptions\s*\.\s*condition\b/.test(sf.text)) return;
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = unwrap(n.left);
      const options = ts.isPropertyAccessExpression(left) && left.name.text === 'condition' ? unwrap(left.expression) : undefined;
      if (options && ts.isPropertyAccessExpression(options) && options.name.text === 'cfnOptions') {
        const found = resolve(sf, options.expression, cdk);
        const targets = found ?? cdk;
        const line = lines.position(n.getStart(sf)).line;
        const condition = n.right.getText(sf).replace(/\s+/g, ' ');
        for (const t of targets)
          t.encryption.obstacles.push({
            kind: 'code-shape',
            step: conditionalStep(
              `${found ? 'its CloudFormation resource' : 'a resource the file does not name (it may be this table)'} gets a Condition ` +
                `at line ${line} (cfnOptions.condition = ${condition.length > 60 ? condition.slice(0, 57) + '...' : condition})`,
            ),
          });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}
