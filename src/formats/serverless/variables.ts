/**
 * Serverless Framework variables a setting is written as (`${self:custom.tableKey}`, `${param:tableKey}`, `${ssm:/x,
 * 'alias/aws/dynamodb'}`), read in the service file: a serverless.yml's (src/formats/cloudformation/detect.ts
 * keySetting) and a serverless.ts's, its TypeScript handed over as a node tree (src/formats/typescript/cfnTree.ts),
 * where a value computed in code (CNode.code) is not known. The Framework resolves them when it packages the service,
 * before CloudFormation reads the template.
 */
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { type CMap, type CNode, child, resolveAlias, scalarString } from '../yaml/tree.js';

/**
 * A key written as one Serverless variable (`${self:custom.tableKey}`, `${param:tableKey}`, `${ssm:/x,
 * 'alias/aws/dynamodb'}`, a map chosen by the stage: `${self:custom.kmsKey.${sls:stage}}`), read in the service file: 'managed' when every value it may take is the AWS
 * managed key; the words saying which may be, when some are; undefined when none is (or none is known).
 */
export function serverlessKey(s: string, service: CMap, depth = 0): 'managed' | string | undefined {
  // A map chosen by a variable (`${self:custom.kmsKey.${sls:stage}}`, `${self:custom.stages.${sls:stage}.kmsKey}`, with
  // or without a fallback for a stage the map lacks): each of its entries may be the key, and the fallback.
  const chosen = /^\$\{\s*self:([\w.-]+)\.\$\{[^{}]*\}((?:\.[\w-]+)*)\s*(?:,\s*(?:(['"]?)([^'"{}]*)\3|\$\{[^{}]*\})\s*)?\}$/.exec(s.trim());
  // Values on the way that a serverless.ts computes in code (CNode.code): what they hold is not known.
  const computed: string[] = [];
  if (chosen) {
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
  // The source may hold variables of its own (`${ssm:/shop/${sls:stage}/tableKey, 'alias/aws/dynamodb'}`).
  const m = /^\$\{\s*((?:[^,{}$]|\$(?!\{)|\$\{[^{}]*\})+?)\s*(?:,\s*(['"]?)([^'"{}]*)\2\s*)?\}$/.exec(s.trim());
  if (!m) return undefined;
  const [, source, , fallback] = m;
  const values: { value: string; from: string }[] = [];
  let open = true;
  const self = /^self:([\w.-]+)$/.exec(source);
  const param = /^param:([\w-]+)$/.exec(source);
  if (self) {
    const node = codeAt(service, self[1].split('.'));
    if (node?.code) computed.push(self[1]);
    const v = node?.kind === 'scalar' ? scalarString(node) : undefined;
    if (v !== undefined && !v.includes('${')) {
      values.push({ value: v, from: self[1] });
      open = false;
    } else if (v !== undefined && depth < 8 && /^\$\{[^{}]*(\$\{[^{}]*\}[^{}]*)*\}$/.test(v.trim())) {
      // A variable whose value is another (`key: ${self:custom.awsKey}`): what that one gives (an adversarial pass
      // found `${self:custom.key}` customer-managed where custom.awsKey is alias/aws/dynamodb).
      return serverlessKey(v, service, depth + 1);
    }
  } else if (param) {
    // v3's `params.<stage>`, v4's `stages.<stage>.params` (its documented form).
    const read = (stage: CNode | null, path: string[], from: string) => {
      const node = codeAt(stage, path);
      if (node?.code) computed.push(from);
      const v = scalarString(node ?? null);
      if (v !== undefined) values.push({ value: v, from });
    };
    const params = codeAt(service, ['params']);
    if (params?.code) computed.push('params');
    for (const stage of params?.kind === 'map' ? params.pairs : []) read(stage.value, [param[1]], `params.${stage.key}.${param[1]}`);
    const stages = codeAt(service, ['stages']);
    if (stages?.code) computed.push('stages');
    for (const stage of stages?.kind === 'map' ? stages.pairs : [])
      read(stage.value, ['params', param[1]], `stages.${stage.key}.params.${param[1]}`);
  }
  if (fallback !== undefined && open) values.push({ value: fallback, from: 'its fallback' });
  const managed = values.filter((v) => isAwsManagedKeyRef(v.value));
  if (managed.length === 0) return computed.length ? computedWords(computed) : undefined;
  // `${param:x}`: each stage's value and the fallback (a stage without either fails to package).
  if (managed.length === values.length && computed.length === 0 && (!open || param)) return 'managed';
  return `whose value may be ${AWS_MANAGED_ALIAS} (${managed.map((v) => v.from).join(', ')})`;
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
