/**
 * Serverless Framework variables a setting is written as (`${self:custom.tableKey}`, `${param:tableKey}`, `${ssm:/x,
 * 'alias/aws/dynamodb'}`), read in the service file: a serverless.yml's (src/formats/cloudformation/detect.ts
 * keySetting) and a serverless.ts's, its TypeScript handed over as a node tree (src/formats/typescript/cfnTree.ts),
 * where a value computed in code (CNode.code) is not known. The Framework resolves them when it packages the service,
 * before CloudFormation reads the template.
 */
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { storedKeyWords } from '../../rule/storedKey.js';
import { type CMap, type CNode, child, resolveAlias, scalarString } from '../yaml/tree.js';

/**
 * A key written as one Serverless variable (`${self:custom.tableKey}`, `${param:tableKey}`, `${ssm:/x,
 * 'alias/aws/dynamodb'}`, a map chosen by the stage: `${self:custom.kmsKey.${sls:stage}}`, a chain of sources the
 * Framework tries in order: `${opt:key, self:custom.ddbKey}`), read in the service file: 'managed' when every value it
 * may take is the AWS managed key; the words saying which may be, when some are, or why it is not known (a value held
 * in SSM, computed in code); undefined when none is (a key as written, or passed at deploy).
 */
export function serverlessKey(s: string, service: CMap, depth = 0): 'managed' | string | undefined {
  // A map chosen by a variable (`${self:custom.kmsKey.${sls:stage}}`, `${self:custom.stages.${sls:stage}.kmsKey}`, with
  // or without a fallback for a stage the map lacks): each of its entries may be the key, and the fallback.
  const chosen = /^\$\{\s*self:([\w.-]+)\.\$\{[^{}]*\}((?:\.[\w-]+)*)\s*(?:,\s*(?:(['"]?)([^'"{}]*)\3|\$\{[^{}]*\})\s*)?\}$/.exec(s.trim());
  // Values on the way that a serverless.ts computes in code (CNode.code): what they hold is not known.
  const computed: string[] = [];
  // A fallback that is a variable (`self:custom.ddbKey`, `${self:custom.ddbKey}`), not a literal: the chain reads it.
  const literalFallback = chosen?.[4] === undefined ? !/,/.test(s) : chosen[3] !== '' || !SOURCE.test(chosen[4].trim());
  if (chosen && literalFallback) {
    const map = codeAt(service, chosen[1].split('.'));
    if (map?.code) return computedWords([chosen[1]]);
    const rest = chosen[2] ? chosen[2].slice(1).split('.') : [];
    const managed = (map?.kind === 'map' ? map.pairs : [])
      .filter((p) => {
        const node = codeAt(p.value, rest);
        if (node?.code) computed.push([chosen[1], p.key, ...rest].join('.'));
        const v = scalarString(node ?? null);
        return v !== undefined && isAwsManagedKeyRef(v);
      })
      .map((p) => [chosen[1], p.key, ...rest].join('.'));
    if (chosen[4] !== undefined && isAwsManagedKeyRef(chosen[4])) managed.push('its fallback, for a stage the map lacks');
    // Every entry (and the fallback, if any) the AWS managed key: that key, whichever stage (a variable fallback: not known).
    const entries = map?.kind === 'map' ? map.pairs.length : 0;
    const fallback = /,/.test(s) ? (chosen[4] !== undefined ? 1 : -1) : 0;
    if (entries > 0 && fallback >= 0 && managed.length === entries + fallback) return 'managed';
    if (managed.length) return `whose value may be ${AWS_MANAGED_ALIAS} (${managed.join(', ')})`;
    return computed.length ? computedWords(computed) : undefined;
  }
  // A key that names an AWS managed key's alias, its service a variable (`alias/aws/${sls:stage}`): alias/aws/dynamodb,
  // or another service's AWS managed key, which DynamoDB cannot use; never a customer-managed key.
  if (AWS_ALIAS_VARIABLE.test(s.trim()))
    return 'whose alias kmsfix does not complete (an AWS managed key, alias/aws/...: never a customer-managed one)';
  const chain = chainOf(s);
  if (!chain) return undefined;
  const { outcomes } = evaluate(chain, service, depth);
  return judge(outcomes);
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
function chainOf(s: string): string[] | undefined {
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
function evaluate(chain: string[], service: CMap, depth: number): { outcomes: Outcome[]; open: boolean } {
  const outcomes: Outcome[] = [];
  for (const item of chain) {
    const quoted = /^(['"])(.*)\1$/s.exec(item);
    // A literal (quoted, or a bare word such as a number: no `source:`).
    if (!quoted && depth < 8 && chainOf(item)) {
      // A variable as a source (`${opt:key, ${self:custom.ddbKey}}`): what it gives; nothing, the next source.
      const inner = evaluate(chainOf(item)!, service, depth + 1);
      outcomes.push(...inner.outcomes);
      if (!inner.open) return { outcomes, open: false };
      continue;
    }
    if (quoted || !SOURCE.test(item)) {
      outcomes.push({ value: quoted ? quoted[2] : item, from: chain.length > 1 ? 'its fallback' : item });
      return { outcomes, open: false };
    }
    // A map chosen by the stage (`self:custom.kmsKey.${sls:stage}`): its entries (serverlessKey); a stage it lacks: the next source.
    if (depth < 8 && chosenMap(`\${${item}}`)) {
      const said = serverlessKey(`\${${item}}`, service, depth + 1);
      outcomes.push(said === 'managed' ? { value: AWS_MANAGED_ALIAS, from: item } : said ? { said } : { passed: item });
      continue;
    }
    const self = /^self:([\w.-]+)$/.exec(item);
    const param = /^param:([\w-]+)$/.exec(item);
    if (self) {
      const node = codeAt(service, self[1].split('.'));
      if (node?.code) {
        outcomes.push({ computed: self[1] });
        return { outcomes, open: false };
      }
      const v = node?.kind === 'scalar' ? scalarString(node) : undefined;
      if (v !== undefined && !v.includes('${')) {
        outcomes.push({ value: v, from: self[1] });
        return { outcomes, open: false };
      }
      if (v !== undefined && depth < 8 && chainOf(v)) {
        // A variable whose value is another (`key: ${self:custom.awsKey}`): what that one gives (an adversarial pass
        // found `${self:custom.key}` customer-managed where custom.awsKey is alias/aws/dynamodb).
        if (chosenMap(v)) {
          const said = serverlessKey(v, service, depth + 1);
          outcomes.push(said === 'managed' ? { value: AWS_MANAGED_ALIAS, from: self[1] } : said ? { said } : { passed: self[1] });
          return { outcomes, open: false };
        }
        const inner = evaluate(chainOf(v)!, service, depth + 1);
        outcomes.push(...inner.outcomes);
        if (!inner.open) return { outcomes, open: false };
        continue;
      }
      // Not in the service file (or a value kmsfix does not read: a map, a string with variables): it may be set where
      // kmsfix does not look, or the next source decides.
      outcomes.push({ passed: self[1] });
      continue;
    }
    if (param) {
      // v3's `params.<stage>`, v4's `stages.<stage>.params` (its documented form); a stage without it: the next source.
      const read = (stage: CNode | null, path: string[], from: string) => {
        const node = codeAt(stage, path);
        if (node?.code) outcomes.push({ computed: from });
        const v = scalarString(node ?? null);
        if (v !== undefined) outcomes.push({ value: v, from });
      };
      const params = codeAt(service, ['params']);
      if (params?.code) outcomes.push({ computed: 'params' });
      for (const stage of params?.kind === 'map' ? params.pairs : []) read(stage.value, [param[1]], `params.${stage.key}.${param[1]}`);
      const stages = codeAt(service, ['stages']);
      if (stages?.code) outcomes.push({ computed: 'stages' });
      for (const stage of stages?.kind === 'map' ? stages.pairs : [])
        read(stage.value, ['params', param[1]], `stages.${stage.key}.params.${param[1]}`);
      continue;
    }
    // SSM Parameter Store (`ssm:/path`, `ssm(raw):`, `ssm(eu-west-1):`, Secrets Manager through `/aws/reference/`):
    // what the store holds in each account. Anything else (`opt:`, `env:`, `cf:`, `s3:`, `file(...)`, a resolver of a
    // plugin): given at deploy, as a parameter without a Default is.
    // (An AWS managed key written as a source, `arn:aws:kms:...:alias/aws/dynamodb` unquoted: that key.)
    if (isAwsManagedKeyRef(item)) outcomes.push({ value: item, from: 'its fallback' });
    else outcomes.push(/^ssm(\([^()]*\))?:/.test(item) ? { stored: item } : { passed: item });
  }
  return { outcomes, open: true };
}

/** Is `v` a variable choosing from a map by another (`${self:custom.kmsKey.${sls:stage}}`: serverlessKey reads it)? */
const chosenMap = (v: string) => /^\$\{\s*self:[\w.-]+\.\$\{/.test(v.trim());

/**
 * What a chain's values make the key: 'managed' when each is the AWS managed key; the words saying which may be, when
 * some are; not known where a value is computed in code or held in SSM; undefined (a key as written) otherwise.
 */
function judge(outcomes: Outcome[]): 'managed' | string | undefined {
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
function codeAt(node: CNode | null | undefined, path: string[]): CNode | null | undefined {
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
  const chosen = /^\$\{\s*self:([\w.-]+)\.\$\{[^{}]*\}((?:\.[\w-]+)*)\s*\}$/.exec(s.trim());
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
