/**
 * Serverless Framework variables a setting is written as (`${self:custom.tableKey}`, `${param:tableKey}`, `${ssm:/x,
 * 'alias/aws/dynamodb'}`), read in the service file: a serverless.yml's (src/formats/cfn-values/settings.ts
 * keySetting) and a serverless.ts's, its TypeScript handed over as a node tree (src/formats/typescript/cfnTree.ts),
 * where a value computed in code (CNode.code) is not known. The Framework resolves them when it packages the service,
 * before CloudFormation reads the template.
 */
import type { Setting } from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { storedKeyWords } from '../../rule/storedKey.js';
import { type CMap, type CNode, child, pair, resolveAlias, resolvedKeys, scalarString } from '../yaml/tree.js';

/**
 * A key written as one Serverless variable (`${self:custom.tableKey}`, `${param:tableKey}`, `${ssm:/x,
 * 'alias/aws/dynamodb'}`, a map chosen by the stage: `${self:custom.kmsKey.${sls:stage}}`, a chain of sources the
 * Framework tries in order: `${opt:key, self:custom.ddbKey}`), read in the service file: 'managed' when every value it
 * may take is the AWS managed key; the words saying which may be, when some are, or why it is not known (a value held
 * in SSM, computed in code); undefined when none is (a key as written, or passed at deploy).
 */
export function serverlessKey(s: string, service: CMap, read?: KeyReader): 'managed' | string | undefined {
  return keyOf(s, { service, read, memo: new Map(), busy: new Set(), chosen: new Map() }, 0);
}

/**
 * Reads a value the service file holds as the same value written in place of the key is read (the CloudFormation
 * family's key reader, src/formats/cfn-values/settings.ts keySetting, handed over by its caller): one rule for a key
 * written in the table and one a `${self:...}` variable names (the managed alias, a dynamic reference, a Fn::Join...).
 */
export type KeyReader = (node: CNode) => Setting;

/** One reading of a key's variables: the service file, its key reader, and each chain's values, read once (busy: on the way). */
interface Walk {
  service: CMap;
  read: KeyReader | undefined;
  memo: Map<string, Values>;
  busy: Set<string>;
  /** What each map chosen by a variable gives (keyOf), read once; null while it is read (one naming itself). */
  chosen: Map<string, 'managed' | string | undefined | null>;
}

/** What a chain gives: its values (deduplicated), whether it may give none, and whether they were too many to read. */
interface Values {
  outcomes: Outcome[];
  open: boolean;
  tooMany?: true;
}

/** How many chains (and maps chosen by a variable) were evaluated (for tests: a key's variables are read in time linear in the service file). */
export const evaluations = { count: 0 };

/** At most this many values a key's variable may take, read (more: not known). */
export const MAX_VALUES = 256;

/**
 * A map chosen by a variable, with or without a fallback: `${self:custom.kmsKey.${sls:stage}}`,
 * `${self:custom.kmsKey.${opt:stage, ${self:provider.stage}}}` (the chooser may hold one variable of its own: an
 * adversarial pass found that form read as a chain more than 8 deep), `${self:custom.stages.${sls:stage}.kmsKey, 'x'}`.
 */
const CHOOSER = /^\$\{\s*self:[\w.-]+\.\$\{[^{}]*(?:\$\{[^{}]*\}[^{}]*)*\}/;
const CHOSEN =
  /^\$\{\s*self:([\w.-]+)\.\$\{[^{}]*(?:\$\{[^{}]*\}[^{}]*)*\}((?:\.[\w-]+)*)\s*(?:,\s*(?:(['"]?)([^'"{}]*)\3|\$\{[^{}]*\})\s*)?\}$/;

function keyOf(s: string, walk: Walk, depth: number): 'managed' | string | undefined {
  // A map chosen by a variable (`${self:custom.kmsKey.${sls:stage}}`, `${self:custom.stages.${sls:stage}.kmsKey}`, with
  // or without a fallback for a stage the map lacks): each of its entries may be the key, and the fallback.
  const chosen = CHOSEN.exec(s.trim());
  // A fallback that is a variable (`self:custom.ddbKey`, `${self:custom.ddbKey}`), not a literal: the chain reads it.
  // (A comma after the chooser: `${self:custom.k.${opt:stage, ${self:provider.stage}}}` has one only inside it.)
  const chooser = CHOOSER.exec(s.trim());
  const fallback = /,/.test(chooser ? s.trim().slice(chooser[0].length) : s);
  const literalFallback = chosen?.[4] === undefined ? !fallback : chosen[3] !== '' || !SOURCE.test(chosen[4].trim());
  if (chosen && literalFallback) {
    // Read once per reading of the key (a map whose entries choose from maps: each map once); one naming itself: passed.
    if (walk.chosen.has(s)) return walk.chosen.get(s) ?? undefined;
    walk.chosen.set(s, null);
    const found = chosenKey(chosen, walk, depth);
    walk.chosen.set(s, found);
    return found;
  }
  // A key that names an AWS managed key's alias, its service a variable (`alias/aws/${sls:stage}`): alias/aws/dynamodb,
  // or another service's AWS managed key, which DynamoDB cannot use; never a customer-managed key.
  if (AWS_ALIAS_VARIABLE.test(s.trim()))
    return 'whose alias kmsfix does not complete (an AWS managed key, alias/aws/...: never a customer-managed one)';
  const chain = chainOf(s);
  if (!chain) return undefined;
  return judge(evaluate(chain, walk, depth));
}

/**
 * A map chosen by a variable (`${self:custom.kmsKey.${sls:stage}}`): each entry may be the key, and the literal fallback
 * for a stage the map lacks. Each entry is read as a `self:` value is (selfValues: `dev: ${self:custom.awsKey}`, a !Sub
 * ending with the managed alias), named by its path (an adversarial pass found such entries customer-managed, read as
 * their text, where the same value behind `${self:custom.x}` is the AWS managed key).
 */
function chosenKey(chosen: RegExpExecArray, walk: Walk, depth: number): 'managed' | string | undefined {
  evaluations.count++;
  const map = codeAt(walk.service, chosen[1].split('.'));
  if (map?.code) return computedWords([chosen[1]]);
  const rest = chosen[2] ? chosen[2].slice(1).split('.') : [];
  // Its keys as YAML reads them: merge keys' entries too (`keys: { <<: *base, dev: ... }`), each its own entry.
  const pairs = map?.kind === 'map' && !map.code ? resolvedKeys(map).flatMap((key) => pair(map, key) ?? []) : [];
  const outcomes: Outcome[] = [];
  let tooMany = false;
  for (const p of pairs) {
    const from = [chosen[1], p.key, ...rest].join('.');
    const found = selfValues(codeAt(p.value, rest), from, walk, depth);
    if (found.tooMany) tooMany = true;
    for (const o of found.outcomes) outcomes.push('value' in o ? { value: o.value, from } : o);
  }
  if (chosen[4] !== undefined) outcomes.push({ value: chosen[4], from: 'its fallback, for a stage the map lacks' });
  // No entry: the key is the fallback only where a stage is missing; otherwise passed where kmsfix does not look.
  if (pairs.length === 0) outcomes.push({ passed: chosen[1] });
  return judge(tooMany ? { outcomes, open: false, tooMany } : { outcomes, open: false });
}

/** `alias/aws/` (or an ARN's `:alias/aws/`) followed by a Serverless variable. */
const AWS_ALIAS_VARIABLE = /(^|[:/])alias\/aws\/\$\{/;

/**
 * What one source of a variable's chain gives (`${self:custom.a, ssm:/x, 'alias/aws/dynamodb'}`: three): a value read
 * in the service file (`from` names it); a source kmsfix cannot see, passed at deploy (`opt:`, `env:`, a `self:` path the
 * service file does not hold...: a key passed in, as a parameter without a Default is) or held in a store per account
 * (`ssm:`: as a parameter of an SSM parameter type, not known); a value computed in code; or words already said of a
 * variable it names (a map chosen by the stage).
 */
type Outcome = { value: string; from: string } | { passed: string } | { stored: string } | { computed: string } | { said: string };

/** A variable's source as written (`self:`, `opt:`, `ssm(raw):`, `file(./x.yml):`): anything else is a literal. */
const SOURCE = /^[\w-]+(\([^()]*\))?:/;

/** At most this many sources in one chain (a key is one short variable). */
const MAX_SOURCES = 16;

/**
 * The sources of one variable written alone (`${a, b, 'c'}`), split at its top-level commas (a source may hold variables
 * of its own: `${ssm:/shop/${sls:stage}/key, 'alias/aws/dynamodb'}`); undefined for any other string.
 */
export function chainOf(s: string): string[] | undefined {
  const t = s.trim();
  if (!t.startsWith('${') || !t.endsWith('}')) return undefined;
  const inner = t.slice(2, -1);
  const items: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '$' && inner[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '{') return undefined;
    else if (c === '}') {
      if (--depth < 0) return undefined;
    } else if (c === ',' && depth === 0) {
      items.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0 || quote) return undefined;
  items.push(inner.slice(start).trim());
  return items.length > MAX_SOURCES || items.some((i) => i === '') ? undefined : items;
}

/**
 * The values a chain may give, as the Framework resolves it: the first source that resolves, in order. A literal and a
 * value the service file holds always resolve; a source kmsfix cannot see, a stage's param and a `self:` path the file
 * lacks may not, and the next source counts too. `open`: every source may leave the chain without a value.
 */
function evaluate(chain: string[], walk: Walk, depth: number): Values {
  const key = chain.join('\u0000');
  const known = walk.memo.get(key);
  if (known) return known;
  evaluations.count++;
  walk.busy.add(key);
  const found = evaluateOnce(chain, walk, depth);
  walk.busy.delete(key);
  walk.memo.set(key, found);
  return found;
}

/** How many variables deep a key's are followed (`${self:custom.a}`, a: `${self:custom.b}`...). */
export const MAX_DEPTH = 8;

/** The values of a chain a source names (a variable, or a `self:` value that is one), or undefined past the depth or on a cycle. */
function nested(chain: string[], walk: Walk, depth: number): Values | undefined {
  return depth < MAX_DEPTH && !walk.busy.has(chain.join('\u0000')) ? evaluate(chain, walk, depth + 1) : undefined;
}

/**
 * A variable past the depth kmsfix follows (`from` names it): where the chain ends is not known, and it may be the AWS
 * managed key (an adversarial pass found a chain of twelve `self:` values ending with alias/aws/dynamodb customer-managed).
 */
const notRead = (from: string) =>
  `whose value (${from}) is chosen by variables nested too deep for kmsfix to read (it may be ${AWS_MANAGED_ALIAS})`;

const tooDeep = (from: string): { said: string } => ({
  said: `whose value (${from}) is a chain of variables more than ${MAX_DEPTH} deep, too deep for kmsfix to follow (it may end at ${AWS_MANAGED_ALIAS})`,
});

function evaluateOnce(chain: string[], walk: Walk, depth: number): Values {
  const service = walk.service;
  const outcomes: Outcome[] = [];
  const seen = new Set<string>();
  let tooMany = false;
  const add = (o: Outcome) => {
    const k = JSON.stringify(o);
    if (seen.has(k)) return;
    seen.add(k);
    if (outcomes.length >= MAX_VALUES) tooMany = true;
    else outcomes.push(o);
  };
  // A chain's values, each once (never spread into push: a chain may give many).
  const addAll = (inner: Values) => {
    if (inner.tooMany) tooMany = true;
    for (const o of inner.outcomes) add(o);
  };
  const closed = (): Values => (tooMany ? { outcomes, open: false, tooMany: true } : { outcomes, open: false });
  for (const item of chain) {
    if (tooMany) return closed();
    const quoted = /^(['"])(.*)\1$/s.exec(item);
    // A literal (quoted, or a bare word such as a number: no `source:`).
    const variable = quoted ? undefined : chainOf(item);
    const inner = variable && nested(variable, walk, depth);
    if (inner) {
      // A variable as a source (`${opt:key, ${self:custom.ddbKey}}`): what it gives; nothing, the next source.
      addAll(inner);
      if (!inner.open) return closed();
      continue;
    }
    if (variable && depth >= MAX_DEPTH) {
      add(tooDeep(item));
      continue;
    }
    if (quoted || !SOURCE.test(item)) {
      add({ value: quoted ? quoted[2] : item, from: chain.length > 1 ? 'its fallback' : item });
      return closed();
    }
    // A map chosen by the stage (`self:custom.kmsKey.${sls:stage}`): its entries (serverlessKey); a stage it lacks: the next source.
    if (chosenMap(`\${${item}}`)) {
      // One kmsfix does not read as such a map (a chooser nested deeper): not known, never the same chain again.
      const read = CHOSEN.test(`\${${item}}`);
      const said = !read ? notRead(item) : depth < MAX_DEPTH ? keyOf(`\${${item}}`, walk, depth + 1) : tooDeep(item).said;
      add(said === 'managed' ? { value: AWS_MANAGED_ALIAS, from: item } : said ? { said } : { passed: item });
      continue;
    }
    const self = /^self:([\w.-]+)$/.exec(item);
    const param = /^param:([\w-]+)$/.exec(item);
    if (self) {
      const found = selfValues(codeAt(service, self[1].split('.')), self[1], walk, depth);
      addAll(found);
      if (!found.open) return closed();
      continue;
    }
    if (param) {
      // v3's `params.<stage>`, v4's `stages.<stage>.params` (its documented form); a stage without it: the next source.
      const read = (stage: CNode | null, path: string[], from: string) => {
        const node = codeAt(stage, path);
        if (node?.code) add({ computed: from });
        const v = scalarString(node ?? null);
        if (v !== undefined) add({ value: v, from });
      };
      const params = codeAt(service, ['params']);
      if (params?.code) add({ computed: 'params' });
      for (const stage of params?.kind === 'map' ? params.pairs : []) read(stage.value, [param[1]], `params.${stage.key}.${param[1]}`);
      const stages = codeAt(service, ['stages']);
      if (stages?.code) add({ computed: 'stages' });
      for (const stage of stages?.kind === 'map' ? stages.pairs : [])
        read(stage.value, ['params', param[1]], `stages.${stage.key}.params.${param[1]}`);
      continue;
    }
    // SSM Parameter Store (`ssm:/path`, `ssm(raw):`, `ssm(eu-west-1):`, Secrets Manager through `/aws/reference/`):
    // what the store holds in each account. Anything else (`opt:`, `env:`, `cf:`, `s3:`, `file(...)`, a resolver of a
    // plugin): given at deploy, as a parameter without a Default is.
    // (An AWS managed key written as a source, `arn:aws:kms:...:alias/aws/dynamodb` unquoted: that key.)
    if (isAwsManagedKeyRef(item)) add({ value: item, from: 'its fallback' });
    else add(/^ssm(\([^()]*\))?:/.test(item) ? { stored: item } : { passed: item });
  }
  return tooMany ? { outcomes, open: true, tooMany: true } : { outcomes, open: true };
}

/**
 * The values of a value the service file holds at `from` (`self:custom.x`, or an entry of a map chosen by the stage):
 * another variable (`x: ${self:custom.awsKey}`): what that one gives; any other value, what the same value written as
 * the key is (heldValue); none there (or naming itself): passed, and the next source decides.
 */
function selfValues(node: CNode | null | undefined, from: string, walk: Walk, depth: number): Values {
  const one = (o: Outcome, open = false): Values => ({ outcomes: [o], open });
  if (node?.code) return one({ computed: from });
  const v = node?.kind === 'scalar' ? scalarString(node) : undefined;
  const valueChain = v?.includes('${') ? chainOf(v) : undefined;
  if (valueChain && depth >= MAX_DEPTH) return one(tooDeep(from));
  if (valueChain && chosenMap(v!)) {
    // A variable whose value is another (`key: ${self:custom.awsKey}`): what that one gives (an adversarial pass
    // found `${self:custom.key}` customer-managed where custom.awsKey is alias/aws/dynamodb).
    const said = keyOf(v!, walk, depth + 1);
    return one(said === 'managed' ? { value: AWS_MANAGED_ALIAS, from } : said ? { said } : { passed: from });
  }
  if (valueChain) {
    const inner = nested(valueChain, walk, depth);
    if (inner) return inner;
  } else if (node && !(node.kind === 'scalar' && node.value === null)) {
    // Any other value the file holds (a string with variables in it, `arn:aws:kms:${aws:region}:...:alias/aws/dynamodb`;
    // a Fn::Join, a !Sub; a dynamic reference): what the same value written as the key is (an adversarial pass found
    // these customer-managed, "passed at deploy", where the same text in the table is aws-managed or unknown).
    const o = heldValue(node, from, walk.read);
    if (o) return one(o);
  }
  // Not in the service file (or naming itself): it may be set where kmsfix does not look, or the next source decides.
  return one({ passed: from }, true);
}

/** Values the key reader is reading (a value that leads back to itself through a parameter's Default is not read again). */
const reading = new Set<CNode>();

/**
 * A value the service file holds at `from`, read as the key written in place is (KeyReader): its text (the managed
 * alias: that key; a Fn::Join or Fn::Sub known to end with it, too), or the words saying why it is not known. Without
 * a reader (or reading it already), its text when it is a plain string; undefined otherwise.
 */
function heldValue(node: CNode, from: string, read: KeyReader | undefined): Outcome | undefined {
  if (!read || reading.has(node)) {
    const v = node.kind === 'scalar' ? scalarString(node) : undefined;
    return v !== undefined && !v.includes('${') ? { value: v, from } : undefined;
  }
  reading.add(node);
  let setting: Setting;
  try {
    setting = read(node);
  } finally {
    reading.delete(node);
  }
  if (setting.state === 'unreadable') return { said: `whose value (${from}) ${setting.source.replace(/^KMSMasterKeyId /, '')}` };
  if (setting.text !== undefined) return { value: setting.text, from };
  // No key (`{ Ref: AWS::NoValue }`, the key reader's absent): SSE with no KMSMasterKeyId, the AWS managed key, as in place.
  if (setting.state === 'absent') return { value: AWS_MANAGED_ALIAS, from };
  // A reference or an expression whose text is not known (a key of the template: as written in place), a null.
  return setting.state === 'literal' ? undefined : { value: setting.source, from };
}

/** Is `v` a variable choosing from a map by another (`${self:custom.kmsKey.${sls:stage}}`: serverlessKey reads it)? */
const chosenMap = (v: string) => /^\$\{\s*self:[\w.-]+\.\$\{/.test(v.trim());

/**
 * What a chain's values make the key: 'managed' when each is the AWS managed key; the words saying which may be, when
 * some are; not known where a value is computed in code or held in SSM; undefined (a key as written) otherwise.
 */
function judge({ outcomes, tooMany }: Values): 'managed' | string | undefined {
  if (tooMany) return `which may take more than ${MAX_VALUES} values, too many for kmsfix to read`;
  const values = outcomes.flatMap((o) => ('value' in o ? [o] : []));
  const managed = values.filter((v) => isAwsManagedKeyRef(v.value));
  if (managed.length > 0 && managed.length === outcomes.length) return 'managed';
  if (managed.length > 0) return `whose value may be ${AWS_MANAGED_ALIAS} (${managed.map((v) => v.from).join(', ')})`;
  const said = outcomes.find((o) => 'said' in o);
  if (said) return said.said;
  const computed = outcomes.flatMap((o) => ('computed' in o ? [o.computed] : []));
  if (computed.length) return computedWords(computed);
  const stored = outcomes.flatMap((o) => ('stored' in o ? [o.stored] : []));
  if (stored.length) return storedWords(stored);
  return undefined;
}

/** The node at `path` under `node` (aliases followed), or the first node on the way that is computed in code (CNode.code). */
export function codeAt(node: CNode | null | undefined, path: string[]): CNode | null | undefined {
  let cur = resolveAlias(node ?? null);
  for (const k of path) {
    if (cur?.code) return cur;
    cur = resolveAlias(child(cur, k) ?? null);
  }
  return cur;
}

const computedWords = (paths: string[]) => `whose value kmsfix does not read (${paths.join(', ')}: computed in code)`;

/** A value held in SSM Parameter Store (`ssm:/keys/ddb`): not known, as a parameter of an SSM parameter type (src/rule/storedKey.ts). */
const storedWords = (sources: string[]) => storedKeyWords('SSM', sources.join(', '));

/**
 * A switch written as one Serverless variable that picks from a map by another (`${self:custom.isProd.${sls:stage}}`,
 * `${self:custom.stages.${sls:stage}.sse}`, no fallback), each of whose entries is true or false: the map's path and the
 * values it may give, true first. Undefined for any other variable, or a map with another value (or one computed in code).
 */
export function serverlessSwitch(s: string, service: CMap): { path: string; values: boolean[] } | undefined {
  const chosen = /^\$\{\s*self:([\w.-]+)\.\$\{[^{}]*(?:\$\{[^{}]*\}[^{}]*)*\}((?:\.[\w-]+)*)\s*\}$/.exec(s.trim());
  if (!chosen) return undefined;
  const map = codeAt(service, chosen[1].split('.'));
  if (map?.kind !== 'map' || map.code || map.pairs.length === 0) return undefined;
  const rest = chosen[2] ? chosen[2].slice(1).split('.') : [];
  const found = new Set<boolean>();
  for (const p of map.pairs) {
    const node = codeAt(p.value, rest);
    const v = node?.kind === 'scalar' && !node.code && !node.tag ? node.value : undefined;
    const b = v === true || v === false ? v : typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : undefined;
    if (b === undefined) return undefined;
    found.add(b);
  }
  return { path: chosen[1], values: [true, false].filter((b) => found.has(b)) };
}
