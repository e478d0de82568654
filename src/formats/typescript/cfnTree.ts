/**
 * A serverless.ts's values handed to the readers a serverless.yml's go through (src/formats/cfn-values/settings.ts
 * keySetting and parameter Defaults; the Serverless Framework's in src/formats/serverless/: serverlessKey, fileRefOf,
 * composedParam): a
 * TypeScript expression made the node tree a YAML or JSON file parses to (src/formats/yaml/tree.ts), its offsets
 * those of the file's text, so that a setting's source is the TypeScript as written. What is a literal converts: a
 * string (a template literal without substitutions), a number, a boolean, `null`, an object literal of named
 * properties, an array literal; a `const` the file declares is followed to its value (unless the file changes it after
 * its declaration). Anything else is computed in
 * code (a call, `process.env.X`, a template literal with substitutions, an object with a spread or a computed name):
 * a node marked `code`, which the readers take as a value they do not know (a key that may be the AWS managed one),
 * never as a string naming a key (real-world round 35: every `'${...}'` KMSMasterKeyId of a serverless.ts was
 * taken for a customer-managed key).
 */
import type { CMap, CNode, CPair } from '../yaml/tree.js';
import { mutationOf } from './mutatedConsts.js';
import { holderOf, propertyName, stringValue, ts, unwrap } from './parse.js';
import { initializerOf } from './stackRegion.js';

/** The node tree of an expression (see above). */
export function cfnNode(sf: ts.SourceFile, e: ts.Expression, following: ReadonlySet<ts.Expression> = new Set()): CNode {
  const u = unwrap(e);
  const at = { start: u.getStart(sf), end: u.getEnd(), flow: true };
  const scalar = (value: unknown): CNode => ({ kind: 'scalar', ...at, value, quote: 'single' });
  const code = (): CNode => ({ kind: 'scalar', ...at, value: undefined, quote: 'plain', code: true });
  const s = stringValue(u);
  if (s !== undefined) return scalar(s);
  if (ts.isNumericLiteral(u)) return scalar(Number(u.text));
  if (u.kind === ts.SyntaxKind.TrueKeyword) return scalar(true);
  if (u.kind === ts.SyntaxKind.FalseKeyword) return scalar(false);
  if (u.kind === ts.SyntaxKind.NullKeyword) return scalar(null);
  if (ts.isIdentifier(u)) {
    // `undefined`: the property is left out of the JSON the Framework reads, as a YAML null is.
    if (u.text === 'undefined') return scalar(null);
    const value = initializerOf(u, u.text);
    // A const the file changes after its declaration (`sse.SSEEnabled = false`, mutatedConsts.ts): its initializer is
    // not what the Framework reads, it is not known.
    const holder = value && holderOf(value);
    if (holder && ts.isVariableDeclaration(holder) && mutationOf(holder)) return code();
    // The const's value, where the name is written (its source is the name); one that names itself on the way: not known.
    return value && !following.has(value) && following.size < 16
      ? { ...cfnNode(sf, value, new Set([...following, value])), start: at.start, end: at.end }
      : code();
  }
  if (ts.isObjectLiteralExpression(u)) {
    const pairs: CPair[] = [];
    for (const p of u.properties) {
      const named = ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? p : undefined;
      const key = named && propertyName(named.name);
      // A spread, a computed name, a method: which keys the object has is not known.
      if (!named || key === undefined) return code();
      const value = ts.isPropertyAssignment(named) ? named.initializer : named.name;
      pairs.push({ key, keyStart: named.name.getStart(sf), keyEnd: named.name.getEnd(), value: cfnNode(sf, value, following) });
    }
    return { kind: 'map', ...at, pairs } satisfies CMap;
  }
  if (ts.isArrayLiteralExpression(u)) {
    if (u.elements.some((x) => ts.isSpreadElement(x) || ts.isOmittedExpression(x))) return code();
    return { kind: 'seq', ...at, items: u.elements.map((x) => cfnNode(sf, x, following)) };
  }
  return code();
}

/** Each file's service configuration as a node tree (serviceRoot), made once for all its tables. */
const ROOTS = new WeakMap<ts.SourceFile, { root: CMap | undefined }>();

/**
 * The service configuration a serverless.ts declares, as a node tree: the object literal with `resources` and a
 * service's other keys (`service`, `provider`, `custom`, `params`, `stages`), or else the first with `resources`;
 * undefined in a file without one (a file of resources the service loads).
 */
export function serviceRoot(sf: ts.SourceFile): CMap | undefined {
  let known = ROOTS.get(sf);
  if (!known) ROOTS.set(sf, (known = { root: readServiceRoot(sf) }));
  return known.root;
}

const SERVICE_KEYS = new Set(['service', 'provider', 'custom', 'params', 'stages', 'plugins', 'functions']);

function readServiceRoot(sf: ts.SourceFile): CMap | undefined {
  let first: ts.ObjectLiteralExpression | undefined;
  let service: ts.ObjectLiteralExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (service) return;
    if (ts.isObjectLiteralExpression(n)) {
      const names = n.properties.map((p) => (p.name ? propertyName(p.name) : undefined));
      if (names.includes('resources')) {
        first ??= n;
        if (names.some((name) => name !== undefined && SERVICE_KEYS.has(name))) service = n;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const found = service ?? first;
  const node = found && cfnNode(sf, found);
  // A configuration with a spread (`{ ...base, resources }`): which keys it has is not known; its `code` node stands for it.
  return node?.kind === 'map' ? node : node && { kind: 'map', start: node.start, end: node.end, flow: true, pairs: [], code: true };
}
