/**
 * A parser-only build of the installed TypeScript compiler, for kmsfix's start-up: `npm run build`
 * writes dist/ts-parser/typescript-<version>-<hash>.cjs (src/formats/typescript/compiler.ts loads it, and
 * falls back to the whole `typescript` package when it is missing or fails).
 *
 * typescript.js is one esbuild bundle of the compiler, the checker, the emitter, the language service
 * and tsserver: 9 MB that every process meeting a `.ts` file compiled (or loaded from V8's code cache)
 * for the parser alone. This keeps the same code minus the top-level declarations that the names
 * kmsfix uses (PARSER_API) cannot reach: a reachability walk over the bundle's top-level statements,
 * by the top-level names each one mentions (the binder's scopes tell a local from a top-level name).
 * The statements kept are the original text, in the original order. Two lists are cut to what is
 * reached: a namespace's export list (`__export(ns, { m: () => m })`, when `ns.m` is all the code
 * reads of it) and the entries of the `Diagnostics` table (152 of its 2,000 messages). One statement
 * is rewritten (REWRITES: the performance hooks), and two places inside statements
 * (INNER_REWRITES: identifiers not interned; a list's length written only when it changes), the
 * binder's, checker's and emitter's fields left out of the nodes (CONSTRUCTOR_REWRITES, UNREAD_FIELDS), and
 * each enum is written as the object literal its function builds (`enumLiteral`); nothing else, but
 * for the written file's whitespace, minified (`minified`). Statements that only
 * fill in something (a namespace's body, `X.y = ...`, the code fixes' and refactors' `register*`
 * calls) go with the declaration they fill in; any other top-level statement is kept.
 * `node scripts/ts-parser.mjs --report [--why name,...] [--dropped]` says what it kept and why.
 *
 * test/formats/typescript/parser-build.test.ts parses every TypeScript fixture and more with both
 * builds and compares the trees node by node, and checks that PARSER_API covers every value of `ts`
 * kmsfix's sources use.
 */
import { transformSync } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** The values of the TypeScript namespace kmsfix uses (src/formats/typescript/*: `ts.<name>`). */
export const PARSER_API = [
  'JSDocParsingMode',
  'NodeFlags',
  'ScriptKind',
  'ScriptTarget',
  'SyntaxKind',
  'createSourceFile',
  'factory',
  'flattenDiagnosticMessageText',
  'forEachChild',
  'getLeadingCommentRanges',
  'isArrayLiteralExpression',
  'isArrowFunction',
  'isAsExpression',
  'isBinaryExpression',
  'isBindingElement',
  'isBlock',
  'isCallExpression',
  'isCaseBlock',
  'isCaseClause',
  'isCatchClause',
  'isClassDeclaration',
  'isClassExpression',
  'isClassLike',
  'isClassStaticBlockDeclaration',
  'isComputedPropertyName',
  'isConditionalExpression',
  'isConstructorDeclaration',
  'isDefaultClause',
  'isEnumDeclaration',
  'isExportDeclaration',
  'isExpression',
  'isExpressionStatement',
  'isExternalModuleReference',
  'isForInStatement',
  'isForOfStatement',
  'isForStatement',
  'isFunctionDeclaration',
  'isFunctionExpression',
  'isFunctionLike',
  'isIdentifier',
  'isIfStatement',
  'isImportDeclaration',
  'isImportEqualsDeclaration',
  'isIterationStatement',
  'isLabeledStatement',
  'isMethodDeclaration',
  'isModuleBlock',
  'isNamedImports',
  'isNamespaceImport',
  'isNewExpression',
  'isNoSubstitutionTemplateLiteral',
  'isNonNullExpression',
  'isNumericLiteral',
  'isObjectBindingPattern',
  'isObjectLiteralExpression',
  'isOmittedExpression',
  'isParenthesizedExpression',
  'isPrivateIdentifier',
  'isPropertyAccessExpression',
  'isPropertyAssignment',
  'isPropertyDeclaration',
  'isPropertySignature',
  'isQualifiedName',
  'isReturnStatement',
  'isSatisfiesExpression',
  'isShorthandPropertyAssignment',
  'isSourceFile',
  'isSpreadAssignment',
  'isSpreadElement',
  'isStatement',
  'isStringLiteral',
  'isTemplateExpression',
  'isTypeQueryNode',
  'isTypeReferenceNode',
  'isVariableDeclaration',
  'isVariableDeclarationList',
  'isVariableStatement',
  'version',
];

const HEAD = 'var ts = {}; ((module) => {\n';
/** Object-literal tables read entry by entry (see deriveParser). */
const TABLES = ['Diagnostics'];

/**
 * The one statement rewritten: the compiler's performance marks (off unless `ts.performance.enable()`
 * is called, which a parse never does) look for Node's performance hooks when the module loads, and
 * `require("perf_hooks")` loads nine of Node's modules (about 1 ms of a one-file CDK scan). Without
 * the hooks, its timestamps come from Date.now; the trees are the same (parser-build.test.ts).
 */
const REWRITES = new Map([['var nativePerformanceHooks = tryGetPerformanceHooks();', '\nvar nativePerformanceHooks = void 0;']]);

/**
 * Text rewritten inside the statements kept, each found exactly once (or the build stops: a new
 * compiler needs a look). The trees stay the same, node by node
 * (test/formats/typescript/parser-build.test.ts).
 *
 * - The parser interns every identifier's text in a Map per file (`sourceFile.identifiers`, for the
 *   checker's and the emitter's unique names); each lookup hashes a fresh substring. kmsfix reads
 *   identifiers by value and never reads that map (the test checks both). Without it the first
 *   parse of the bench's CDK stacks takes about 8% less (297 against 324 ms, medians of 5
 *   alternating processes).
 * - After each speculative parse (`lookAhead`, `tryParse`: many per statement), the parser cuts its
 *   list of syntax errors back to its length before, almost always the length it has: writing an
 *   array's length calls into V8 even then. Written only when it differs: a warm parse of those
 *   stacks 8% less again (143 against 156 ms), the first pass 292 against 299 ms.
 */
export const INNER_REWRITES = [
  {
    from: 'function internIdentifier(text) {\n    let identifier = identifiers.get(text);\n    if (identifier === void 0) {\n      identifiers.set(text, identifier = text);\n    }\n    return identifier;\n  }',
    to: 'function internIdentifier(text) {\n    return text;\n  }',
  },
  {
    from: '      if (speculationKind !== 2 /* Reparse */) {\n        parseDiagnostics.length = saveParseDiagnosticsLength;\n      }',
    to: '      if (speculationKind !== 2 /* Reparse */ && parseDiagnostics.length !== saveParseDiagnosticsLength) {\n        parseDiagnostics.length = saveParseDiagnosticsLength;\n      }',
  },
];

/**
 * Fields that the binder, the checker and the emitter give every node, and a parse never reads: the
 * nodes' constructors (the language service's NodeObject and TokenOrIdentifierObject, which the
 * kept allocator makes every node with) set `id`, `modifierFlagsCache`, `original` and `emitNode` to 0
 * or undefined, and the node factory sets `jsDoc`, `flowNode`, `symbol`... to undefined on each node
 * it makes (UNREAD_FIELDS). Left out, a node is that many fields smaller (an identifier 6 of 13, a
 * property access 8 of 17): the parse of the bench's CDK stacks allocates 23% less (93 -> 72 MB,
 * sampled), and young-generation collections copy less (docs/performance.md, sixtieth session).
 * Whoever reads such a field reads undefined as before (`getNodeId` and the modifier flags' cache
 * test it and set it when needed); the trees are the same, node by node (parser-build.test.ts).
 */
export const CONSTRUCTOR_REWRITES = [
  {
    from: 'var NodeObject = class {\n  constructor(kind, pos, end) {\n    this.pos = pos;\n    this.end = end;\n    this.kind = kind;\n    this.id = 0;\n    this.flags = 0 /* None */;\n    this.modifierFlagsCache = 0 /* None */;\n    this.transformFlags = 0 /* None */;\n    this.parent = void 0;\n    this.original = void 0;\n    this.emitNode = void 0;\n  }',
    to: 'var NodeObject = class {\n  constructor(kind, pos, end) {\n    this.pos = pos;\n    this.end = end;\n    this.kind = kind;\n    this.flags = 0 /* None */;\n    this.transformFlags = 0 /* None */;\n    this.parent = void 0;\n  }',
  },
  {
    from: 'var TokenOrIdentifierObject = class {\n  constructor(kind, pos, end) {\n    this.pos = pos;\n    this.end = end;\n    this.kind = kind;\n    this.id = 0;\n    this.flags = 0 /* None */;\n    this.transformFlags = 0 /* None */;\n    this.parent = void 0;\n    this.emitNode = void 0;\n  }',
    to: 'var TokenOrIdentifierObject = class {\n  constructor(kind, pos, end) {\n    this.pos = pos;\n    this.end = end;\n    this.kind = kind;\n    this.flags = 0 /* None */;\n    this.transformFlags = 0 /* None */;\n    this.parent = void 0;\n  }',
  },
];
/** The fields the node factory (createNodeFactory) sets to undefined and no parse reads: the binder's, checker's and JSDoc's. */
export const UNREAD_FIELDS = ['jsDoc', 'flowNode', 'locals', 'nextContainer', 'endFlowNode', 'returnFlowNode', 'symbol', 'localSymbol'];

/**
 * The transform flags (each node's `transformFlags`: what the emitter's transforms look for) are computed only
 * for a text that holds `await` or a backslash. The node factory ORs each new node's flags from its
 * children's (propagateChildFlags, aggregateChildrenFlags: about 8% of the instructions of a first parse of the
 * bench's CDK stacks); the parser reads one of them, ContainsPossibleTopLevelAwait, to parse a module's
 * statements again in an `await` context (reparseTopLevelAwait), and kmsfix reads none. That flag comes only
 * from an identifier whose name is `await` (createIdentifier), which a text without `await` and without a
 * backslash (`\u0061wait`) cannot hold: in such a text no node has it, so no statement is parsed again, with
 * the flags or without. So each store of the factory's (`node.transformFlags = ...`, `|=`, `&=`, on a line of
 * its own) becomes `transformFlagsOff || (node.transformFlags ...)`, aggregateChildrenFlags sets a list's to
 * 0 when they are off, and createSourceFile turns them off for its parse of such a text (on again after).
 * Off, every node's transformFlags stays 0, its constructor's value (the same fields, in the same order).
 * parser-build.test.ts compares the trees node by node (kind, range, flags, parent, text) with the compiler's,
 * and the flags too when they are on, and checks that the top-level `await` reparse still happens.
 */
export const FLAGS_GATE = {
  entry: 'function createSourceFile(fileName, sourceText, languageVersionOrOptions, setParentNodes = false, scriptKind) {\n  var _a, _b;',
  aggregate: 'function aggregateChildrenFlags(children) {\n  let subtreeFlags = 0 /* None */;',
};
const FLAG_STORE = /^( *)node\.transformFlags (\|=|&=|=) ([^;]*);$/gm;

/** `text` with the transform flags computed only when a text may hold `await` (FLAGS_GATE); throws when a piece is not there. */
function gateTransformFlags(text) {
  for (const key of ['entry', 'aggregate']) {
    const at = text.indexOf(FLAGS_GATE[key]);
    if (at < 0 || text.indexOf(FLAGS_GATE[key], at + 1) >= 0)
      throw new Error(
        `typescript.js is not the expected bundle: ${JSON.stringify(FLAGS_GATE[key].slice(0, 40))} is not there exactly once`,
      );
  }
  const start = text.indexOf('\nfunction createNodeFactory(');
  const end = text.indexOf('\n}\n', start);
  if (start < 0 || end < 0) throw new Error('typescript.js is not the expected bundle: no createNodeFactory');
  let stores = 0;
  const factory = text.slice(start, end).replace(FLAG_STORE, (_, indent, op, value) => {
    stores++;
    return `${indent}transformFlagsOff || (node.transformFlags ${op} ${value});`;
  });
  if (stores < 100) throw new Error(`typescript.js is not the expected bundle: ${stores} stores of transformFlags in createNodeFactory`);
  text = text.slice(0, start) + factory + text.slice(end);
  text = text.replace(
    FLAGS_GATE.aggregate,
    `function aggregateChildrenFlags(children) {\n  if (transformFlagsOff) {\n    children.transformFlags = 0;\n    return;\n  }\n  let subtreeFlags = 0 /* None */;`,
  );
  const entry = FLAGS_GATE.entry;
  const wrapped =
    'var transformFlagsOff;\n' +
    'function createSourceFile(fileName, sourceText, languageVersionOrOptions, setParentNodes = false, scriptKind) {\n' +
    '  transformFlagsOff = !sourceText.includes("await") && !sourceText.includes("\\\\");\n' +
    '  try {\n    return createSourceFileFlagged(fileName, sourceText, languageVersionOrOptions, setParentNodes, scriptKind);\n  } finally {\n    transformFlagsOff = false;\n  }\n}\n' +
    entry.replace('function createSourceFile(', 'function createSourceFileFlagged(');
  return text.replace(entry, wrapped);
}

/** `text` with CONSTRUCTOR_REWRITES applied and UNREAD_FIELDS' stores left out of createNodeFactory; throws when one is not there. */
function dropUnreadFields(text) {
  for (const { from, to } of CONSTRUCTOR_REWRITES) {
    const at = text.indexOf(from);
    if (at < 0 || text.indexOf(from, at + 1) >= 0)
      throw new Error(`typescript.js is not the expected bundle: ${JSON.stringify(from.slice(0, 40))} is not there exactly once`);
    text = text.slice(0, at) + to + text.slice(at + from.length);
  }
  const start = text.indexOf('\nfunction createNodeFactory(');
  const end = text.indexOf('\n}\n', start);
  if (start < 0 || end < 0) throw new Error('typescript.js is not the expected bundle: no createNodeFactory');
  let factory = text.slice(start, end);
  for (const field of UNREAD_FIELDS) {
    const store = new RegExp(`\\n *node\\.${field} = void 0;`, 'g');
    if (!store.test(factory)) throw new Error(`typescript.js is not the expected bundle: createNodeFactory sets no ${field}`);
    factory = factory.replace(store, '');
  }
  return text.slice(0, start) + factory + text.slice(end);
}

/** `text` with each INNER_REWRITES entry applied once; throws when one is not found exactly once. */
function rewriteInner(text) {
  for (const { from, to } of INNER_REWRITES) {
    const at = text.indexOf(from);
    if (at < 0 || text.indexOf(from, at + 1) >= 0)
      throw new Error(`typescript.js is not the expected bundle: ${JSON.stringify(from.slice(0, 40))} is not there exactly once`);
    text = text.slice(0, at) + to + text.slice(at + from.length);
  }
  return text;
}
const TAIL = '\n})({ get exports()';

/**
 * An enum's statement as an object literal, or undefined when `st` is not one. esbuild writes each
 * TypeScript enum as `var E = /* @__PURE__ *\/ ((E2) => { E2[E2["A"] = 0] = "A"; ... return E2; })(E || {});`,
 * whose hundreds of keyed stores run, interpreted, on every load: the module's enums were about a
 * third of its top level (SyntaxKind alone, 756 keys, 1.4 ms against 0.25 as a literal, in a new
 * process). The function is run here, at build time, when its body is nothing but those stores (no
 * name but its parameter, every value a number or a string) and `E` is declared once; the literal
 * lists the same keys in the same order (integer keys ascending, then the others as first assigned),
 * so the object is the same to every reader (parser-build.test.ts compares the exported enums).
 */
function enumLiteral(ts, st, declares) {
  if (!ts.isVariableStatement(st) || st.declarationList.declarations.length !== 1) return undefined;
  const d = st.declarationList.declarations[0];
  const call = d.initializer;
  if (!ts.isIdentifier(d.name) || (declares.get(d.name.text) ?? []).length !== 1 || !call || !ts.isCallExpression(call)) return undefined;
  const name = d.name.text;
  const fn = ts.isParenthesizedExpression(call.expression) ? call.expression.expression : undefined;
  const arg = call.arguments.length === 1 ? call.arguments[0] : undefined;
  if (!fn || !ts.isArrowFunction(fn) || fn.parameters.length !== 1 || !ts.isIdentifier(fn.parameters[0].name) || !ts.isBlock(fn.body))
    return undefined;
  if (
    !arg ||
    !ts.isBinaryExpression(arg) ||
    arg.operatorToken.kind !== ts.SyntaxKind.BarBarToken ||
    !ts.isIdentifier(arg.left) ||
    arg.left.text !== name ||
    !ts.isObjectLiteralExpression(arg.right) ||
    arg.right.properties.length !== 0
  )
    return undefined;
  const param = fn.parameters[0].name.text;
  const stmts = fn.body.statements;
  const last = stmts[stmts.length - 1];
  if (!last || !ts.isReturnStatement(last) || !last.expression || !ts.isIdentifier(last.expression) || last.expression.text !== param)
    return undefined;
  // Only stores into the parameter: `P[P["A"] = v] = "A"` or `P["A"] = v`, v made of literals,
  // operators and the parameter's own keys; no call, no other name.
  let pure = true;
  const check = (n) => {
    if (!pure) return;
    if (ts.isIdentifier(n)) pure = n.text === param;
    else if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isFunctionLike(n) || ts.isPropertyAccessExpression(n)) pure = false;
    else ts.forEachChild(n, check);
  };
  for (const s of stmts.slice(0, -1)) {
    if (
      !ts.isExpressionStatement(s) ||
      !ts.isBinaryExpression(s.expression) ||
      s.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken
    )
      return undefined;
    check(s.expression);
  }
  if (!pure) return undefined;
  const value = vm.runInNewContext(`(${call.getText()})`, { [name]: undefined });
  const entries = Object.entries(value);
  if (!entries.every(([, v]) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0))))
    return undefined;
  return `\nvar ${name} = {${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}};`;
}

/**
 * The parser-only module's source, from typescript.js's text and the compiler itself (to read the
 * bundle's syntax). Throws when the bundle is not shaped as expected.
 */
export function deriveParser(source, ts, api = PARSER_API) {
  const start = source.indexOf(HEAD);
  const end = source.lastIndexOf(TAIL);
  if (start < 0 || end < start) throw new Error('typescript.js is not the expected bundle (no module function)');
  const body = source.slice(start + HEAD.length, end);
  const sf = ts.createSourceFile('typescript.js', body, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const statements = sf.statements;

  // Top-level names -> the statements that declare them.
  const declares = new Map();
  const declare = (name, i) => {
    if (!declares.has(name)) declares.set(name, []);
    declares.get(name).push(i);
  };
  statements.forEach((st, i) => {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bindingNames(ts, d.name, (n) => declare(n, i));
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) declare(st.name.text, i);
  });

  // Statements that are not declarations: which name each one fills in ('root': kept; 'drop': dropped).
  const ownerOf = (st) => {
    if (ts.isExpressionStatement(st)) {
      const e = st.expression;
      if (ts.isStringLiteral(e)) return 'root'; // "use strict"
      // module.exports = __toCommonJS(typescript_exports); and the `0 && (module.exports = {...})` annotation.
      if (/^(0 && \()?module\.exports = /.test(e.getText(sf))) return 'drop';
      if (ts.isCallExpression(e)) {
        const callee = e.expression;
        // __export(ns_exports, { ... })
        if (ts.isIdentifier(callee) && callee.text === '__export' && ts.isIdentifier(e.arguments[0])) return e.arguments[0].text;
        // ((Ns2) => { ... })(Ns || (Ns = {}))
        const arg = e.arguments[0];
        if (e.arguments.length === 1 && arg && ts.isBinaryExpression(arg) && ts.isIdentifier(arg.left)) {
          if (ts.isParenthesizedExpression(callee) && (ts.isArrowFunction(callee.expression) || ts.isFunctionExpression(callee.expression)))
            return arg.left.text;
        }
        // The language service's code fixes and refactors register themselves.
        if (ts.isIdentifier(callee) && (callee.text === 'registerCodeFix' || callee.text === 'registerRefactor')) return callee.text;
      }
      // _Version.zero = new _Version(...), Ns.y = ...
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(e.left)) {
        const target = e.left.expression;
        if (ts.isIdentifier(target) && declares.has(target.text)) return target.text;
      }
    }
    if (ts.isIfStatement(st)) {
      // if (sys && ...) { ... } and if (typeof console !== "undefined") { Debug.loggingHost = ... }
      const t = st.expression.getText(sf);
      if (/^sys && /.test(t)) return 'sys';
      const block = st.thenStatement;
      if (/^typeof console !== "undefined"$/.test(t) && ts.isBlock(block) && block.statements.length === 1) {
        const inner = block.statements[0];
        if (ts.isExpressionStatement(inner) && ts.isBinaryExpression(inner.expression)) {
          const left = inner.expression.left;
          if (ts.isPropertyAccessExpression(left) && ts.isIdentifier(left.expression)) return left.expression.text;
        }
      }
    }
    return 'root';
  };

  const fills = new Map(); // name -> statements that fill it in
  const roots = [];
  const dropped = [];
  statements.forEach((st, i) => {
    if (ts.isVariableStatement(st) || ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) return;
    const owner = ownerOf(st);
    if (owner === 'root') roots.push(i);
    else if (owner === 'drop') dropped.push(i);
    else {
      if (!fills.has(owner)) fills.set(owner, []);
      fills.get(owner).push(i);
    }
  });

  // Namespaces built by `__export(ns, { member: () => target, ... })`: `ns.member` reaches that member only.
  const members = new Map(); // ns -> Map(member -> target name; undefined for a table's entry)
  const tables = new Map(); // table -> { index of its statement, its object literal }
  for (const [ns, list] of fills) {
    for (const i of list) {
      const e = statements[i].expression;
      if (!e || !ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== '__export') continue;
      const map = new Map();
      for (const p of e.arguments[1].properties) {
        const body = p.initializer?.body;
        if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name) || !body || !ts.isIdentifier(body))
          throw new Error(`unexpected export of ${ns}`);
        map.set(p.name.text, body.text);
      }
      members.set(ns, map);
    }
  }

  // Tables built as one object literal (`var Diagnostics = { name: diag(...), ... }`, 500 KB of
  // messages): `Diagnostics.name` reaches that entry only.
  for (const table of TABLES) {
    const [i] = declares.get(table) ?? [];
    const d = i === undefined ? undefined : statements[i].declarationList?.declarations;
    const literal = d?.length === 1 ? d[0].initializer : undefined;
    if (!literal || !ts.isObjectLiteralExpression(literal)) throw new Error(`typescript.js has no object literal ${table}`);
    const map = new Map();
    for (const p of literal.properties) {
      if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name) || !ts.isCallExpression(p.initializer))
        throw new Error(`unexpected entry of ${table}`);
      map.set(p.name.text, undefined);
    }
    members.set(table, map);
    tables.set(table, { index: i, literal });
  }

  // The binder's scopes: an identifier is a top-level name unless a function or block around it declares it.
  ts.bindSourceFile(sf, { target: ts.ScriptTarget.Latest, allowJs: true });
  const isLocal = (id) => {
    for (let n = id.parent; n && n !== sf; n = n.parent) if (n.locals?.has(id.escapedText)) return true;
    return false;
  };

  // The top-level names (or namespace members, `ns.member`) a statement mentions, not as a property name.
  const mentions = (st) => {
    const out = new Set();
    const walk = (n) => {
      if (ts.isIdentifier(n)) {
        if (declares.has(n.text) && !isPropertyName(ts, n) && !isDeclarationName(ts, n) && !isLocal(n)) {
          const p = n.parent;
          out.add(members.has(n.text) && ts.isPropertyAccessExpression(p) && p.expression === n ? `${n.text}.${p.name.text}` : n.text);
        }
        return;
      }
      ts.forEachChild(n, walk);
    };
    walk(st);
    return out;
  };

  const kept = new Set();
  const reached = new Set();
  const queue = [];
  const via = new Map(); // name -> the name whose statements first mentioned it (for --why)
  const keep = (i, from) => {
    if (kept.has(i)) return;
    kept.add(i);
    for (const n of mentions(statements[i])) reach(n, from);
  };
  const reach = (name, from) => {
    if (reached.has(name)) return;
    reached.add(name);
    via.set(name, from);
    queue.push(name);
  };
  for (const name of api) {
    if (!declares.has(name)) throw new Error(`typescript.js declares no ${name}`);
    reach(name);
  }
  // The namespaces' export lists below call it.
  if (members.size > 0) reach('__export', '(namespaces)');
  for (const i of roots) keep(i, `(${statements[i].getText(sf).slice(0, 40)})`);
  while (queue.length > 0) {
    const name = queue.shift();
    const dot = name.indexOf('.');
    if (dot > 0) {
      // One member of a namespace: the namespace object (declared, not filled in) and the member's target.
      const ns = name.slice(0, dot);
      const member = name.slice(dot + 1);
      if (!members.get(ns).has(member)) throw new Error(`${ns} has no ${member}`);
      for (const i of declares.get(ns)) keep(i, name);
      const target = members.get(ns).get(member);
      if (target !== undefined) reach(target, name);
      continue;
    }
    for (const i of declares.get(name) ?? []) keep(i, name);
    if (!members.has(name)) for (const i of fills.get(name) ?? []) keep(i, name);
  }
  // A namespace's `__export` with the members reached (all of them when the namespace itself is).
  const exportsOf = (ns, i) => {
    const all = reached.has(ns);
    const e = statements[i].expression;
    const props = e.arguments[1].properties.filter((p) => all || reached.has(`${ns}.${p.name.text}`));
    return props.length === 0 ? undefined : `\n__export(${ns}, {\n${props.map((p) => `  ${p.getText(sf)}`).join(',\n')}\n});`;
  };
  for (const [ns, list] of fills) {
    if (members.has(ns)) for (const i of list) if (exportsOf(ns, i)) kept.add(i);
  }
  const why = (name) => {
    const chain = [];
    for (let n = name; n !== undefined && chain.length < 50; n = via.get(n)) chain.push(n);
    return chain.join(' <- ');
  };

  // A table with the entries reached (all of them when the table itself is).
  const tableOf = (table) => {
    const { literal } = tables.get(table);
    const all = reached.has(table);
    const props = literal.properties.filter((p) => all || reached.has(`${table}.${p.name.text}`));
    return `\nvar ${table} = {\n${props.map((p) => `  ${p.getText(sf)}`).join(',\n')}\n};`;
  };

  const parts = [];
  statements.forEach((st, i) => {
    if (!kept.has(i)) return;
    const table = [...tables].find(([, t]) => t.index === i)?.[0];
    const ns = members.has(ownerOf(st)) && !ts.isVariableStatement(st) ? ownerOf(st) : undefined;
    const text = body.slice(st.getFullStart(), st.getEnd());
    parts.push(table ? tableOf(table) : ns ? exportsOf(ns, i) : (REWRITES.get(text.trim()) ?? enumLiteral(ts, st, declares) ?? text));
  });
  const license = source.slice(0, start).trim();
  const text =
    `${license}\n// The parser of TypeScript ${ts.version}, derived from typescript.js by kmsfix's scripts/ts-parser.mjs: ` +
    `its top-level statements that the names exported below reach, unchanged but for their whitespace (minified), enums written as object literals, not looking for Node's performance hooks, identifiers not interned, a list's length written only when it changes, no fields of the binder, checker and emitter in its nodes, and no transform flags for a text without "await".\n` +
    `${gateTransformFlags(dropUnreadFields(rewriteInner(parts.join(''))))}\nmodule.exports = { ${api.join(', ')} };\n`;
  const droppedNames = [...declares.keys()].filter((n) => !reached.has(n));
  return {
    text,
    kept: kept.size,
    total: statements.length,
    droppedNames,
    why,
    roots: roots.map((i) => statements[i].getText(sf).slice(0, 80)),
  };
}

function bindingNames(ts, name, add) {
  if (ts.isIdentifier(name)) add(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(ts, el.name, add);
}

/** Is this identifier the name a declaration gives (`var x`, `function x`), not a use of it? */
function isDeclarationName(ts, id) {
  const p = id.parent;
  return !!p && (ts.isVariableDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p)) && p.name === id;
}

/** Is this identifier a property's name (`a.name`, `{ name: v }`, `name() {}`), not a reference? */
function isPropertyName(ts, id) {
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p)) return p.name === id;
  if (ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) return p.name === id;
  if (ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) return p.name === id;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return true;
  return false;
}

/**
 * Write dist/ts-parser/typescript-<version>-<hash>.cjs for the installed TypeScript (`hash`: of its
 * text, so that V8's code cache, named after the file, never meets another text of the same length).
 * Skipped when the stamp says the same typescript.js and the same version of this script made it.
 */
export function writeParser(root, { force = false, log = () => {} } = {}) {
  const require = createRequire(path.join(root, 'package.json'));
  const file = require.resolve('typescript');
  const source = readFileSync(file, 'latin1');
  const outdir = path.join(root, 'dist', 'ts-parser');
  const stampFile = path.join(outdir, 'stamp.json');
  const stamp = JSON.stringify({ typescript: sha(source), script: sha(readFileSync(fileURLToPath(import.meta.url), 'latin1')) });
  const previous = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : undefined;
  if (
    !force &&
    previous &&
    JSON.stringify({ typescript: previous.typescript, script: previous.script }) === stamp &&
    existsSync(path.join(outdir, previous.file ?? '-'))
  ) {
    return path.join(outdir, previous.file);
  }
  rmSync(outdir, { recursive: true, force: true });
  const ts = require(file);
  const derived = deriveParser(source, ts);
  log(derived);
  const text = minified(derived.text);
  const name = `typescript-${ts.version}-${sha(text).slice(0, 12)}.cjs`;
  mkdirSync(outdir, { recursive: true });
  writeFileSync(path.join(outdir, name), text, 'latin1');
  writeFileSync(stampFile, JSON.stringify({ ...JSON.parse(stamp), file: name }, null, 2));
  return path.join(outdir, name);
}

const sha = (text) => createHash('sha256').update(text, 'latin1').digest('hex');

/**
 * The derived parser with its whitespace minified (esbuild; its license and header comment first,
 * as they are): 1,028 -> 725 KB for TypeScript 6.0.3. Every run that parses TypeScript reads the
 * file and makes it a string, and a first touch of memory is what costs most in a short run on the
 * bench's machine (docs/performance.md, eighteenth session): a one-file CDK scan 233 -> 221 ms and
 * 5,389 -> 5,015 minor page faults (medians of 41 alternating runs). The parser-build test compares
 * both builds' trees, and finds the inner rewrites in the written file whatever its whitespace.
 */
function minified(text) {
  const header = /^(?:\/\*![\s\S]*?\*\/\s*)?(?:\/\/.*\n)/.exec(text);
  if (!header) throw new Error('ts-parser: the derived text has no header comment');
  const body = transformSync(text.slice(header[0].length), { minifyWhitespace: true, charset: 'ascii', legalComments: 'inline' });
  return `${header[0].trimEnd()}\n${body.code}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const report = process.argv.includes('--report');
  const w = process.argv.indexOf('--why');
  try {
    const out = writeParser(root, {
      force: report || w > 0,
      log: (d) => {
        console.log(
          `ts-parser: kept ${d.kept} of ${d.total} top-level statements of typescript.js, ${d.text.length} bytes before minifying`,
        );
        if (report) console.log(`kept whatever reaches them:\n  ${d.roots.join('\n  ')}`);
        if (w > 0) for (const n of process.argv[w + 1].split(',')) console.log(d.why(n));
        if (process.argv.includes('--dropped')) console.log(`dropped: ${d.droppedNames.join(' ')}`);
      },
    });
    if (report) console.log(`wrote ${out}`);
  } catch (e) {
    // kmsfix then loads the whole compiler (src/formats/typescript/compiler.ts): slower, same results.
    rmSync(path.join(root, 'dist', 'ts-parser'), { recursive: true, force: true });
    console.warn(
      `ts-parser: no parser-only build of TypeScript (${e instanceof Error ? e.message : e}); kmsfix will load the whole compiler`,
    );
  }
}
