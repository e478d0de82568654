/**
 * The Region a CloudFormation stack deploys to, where the project says so beside the stack's file (session 64's
 * deploy review, F3): `--kms-key-arn` names a key of one Region, and a table's key must be in the table's Region
 * (CloudFormation rolls the stack back otherwise). Terraform (a provider's `region`) and the AWS CDK (`env`) read
 * theirs in their own families.
 *
 * - A Serverless service: `provider.region` as the Framework resolves it. A literal; the first literal of a chain of
 *   sources (`${opt:region, 'eu-west-1'}`: eu-west-1 where the deploy passes no --region); a `self:` value the file
 *   holds (`${self:custom.region}`); each entry of a map the stage chooses from (`${self:custom.regions.${sls:stage}}`)
 *   and its fallback; each stage's `params.<stage>.<name>` (v4: `stages.<stage>.params.<name>`) of a `${param:name}`. No `provider.region`: the Framework's default, us-east-1 (or --region). A value kmsfix cannot read
 *   (`${env:REGION}`, `${param:region}` with no literal after it): not known.
 * - A SAM project: each environment's `region` in `samconfig.toml` (`.yaml`, `.yml`), the `--region` `sam deploy
 *   --config-env <env>` passes (`[<env>.deploy.parameters]`, else `[<env>.global.parameters]`), in the files
 *   environments.ts finds. An environment that sets none deploys where the deployer's profile says: not known.
 */
import type { DeployRegion, DiskContext, SourceFile } from '../../core/types.js';
import { LineIndex } from '../../core/text.js';
import { REGION } from '../../rule/keyArn.js';
import { chainOf, codeAt } from '../serverless/variables.js';
import { type CNode, pair, resolveAlias, scalarString } from '../yaml/tree.js';
import { environmentSettings } from './deployRoles.js';
import { samConfigurations } from './environments.js';

/** The Serverless Framework's Region where neither provider.region nor --region names one. */
export const FRAMEWORK_DEFAULT_REGION = 'us-east-1';

/** How many `self:` values deep a Region is followed. */
const MAX_DEPTH = 4;

/** A map chosen by a variable (`self:custom.regions.${sls:stage}`, `self:custom.stages.${opt:stage}.region`). */
const CHOSEN = /^self:([\w.-]+)\.\$\{[^{}]*\}((?:\.[\w-]+)*)$/;

/** A map's pairs (none for anything else). */
function pairsOf(node: CNode | null | undefined) {
  const map = resolveAlias(node ?? null);
  return map && !map.code && map.kind === 'map' ? map.pairs : [];
}

/** The Regions one `provider.region` value may be, each with the words saying how (empty: not known). */
function regionsOf(service: CNode, value: string, depth: number): { region: string; how: string; environment?: string }[] | undefined {
  const v = value.trim();
  if (REGION.test(v)) return [{ region: v, how: '' }];
  const chain = v.includes('${') ? chainOf(v) : undefined;
  if (!chain || depth > MAX_DEPTH) return undefined;
  const out: { region: string; how: string; environment?: string }[] = [];
  const passed: string[] = [];
  const unless = () =>
    passed.length ? ` where the deploy gives no ${passed.map((p) => (p === 'opt:region' ? '--region' : p)).join(' nor ')}` : '';
  for (const source of chain) {
    const literal = /^(['"])(.*)\1$/.exec(source)?.[2] ?? (/^[\w-]+(\([^()]*\))?:/.test(source) ? undefined : source);
    if (literal !== undefined) {
      if (!REGION.test(literal.trim())) return out.length ? out : undefined;
      out.push({ region: literal.trim(), how: `its default${unless()}` });
      return out;
    }
    const chosen = CHOSEN.exec(source);
    if (chosen) {
      const map = resolveAlias(codeAt(service, chosen[1].split('.')) ?? null);
      if (!map || map.code || map.kind !== 'map') return undefined;
      const rest = chosen[2] ? chosen[2].slice(1).split('.') : [];
      for (const p of map.pairs) {
        const node = resolveAlias(codeAt(p.value, rest) ?? null);
        const s = node?.kind === 'scalar' && !node.code ? scalarString(node) : undefined;
        const inner = s === undefined ? undefined : regionsOf(service, s, depth + 1);
        if (!inner) continue;
        for (const r of inner)
          out.push({
            region: r.region,
            how: `stage ${String(p.key)}: ${chosen[1]}.${String(p.key)}${r.how ? `, ${r.how}` : ''}`,
            environment: String(p.key),
          });
      }
      // A stage the map lacks: the next source.
      passed.push(`stage in ${chosen[1]}`);
      continue;
    }
    const self = /^self:([\w.-]+)$/.exec(source);
    if (self) {
      const node = resolveAlias(codeAt(service, self[1].split('.')) ?? null);
      if (node === null || node === undefined) {
        passed.push(source);
        continue;
      }
      const s = node.kind === 'scalar' && !node.code ? scalarString(node) : undefined;
      const inner = s === undefined ? undefined : regionsOf(service, s, depth + 1);
      if (!inner) return out.length ? out : undefined;
      out.push(...inner.map((r) => ({ ...r, how: `${self[1]}${r.how ? `, ${r.how}` : ''}${unless()}` })));
      return out;
    }
    const param = /^param:([\w-]+)$/.exec(source);
    if (param) {
      // A stage's value the file holds: v3's `params.<stage>.<name>`, v4's `stages.<stage>.params.<name>` (session 65's
      // adversarial pass: read as passed, the chain's default alone). `default` serves every stage without its own, so
      // that the next source is never reached; else a stage with none (or a Dashboard param): the next source.
      let always = false;
      const held = [
        ...pairsOf(codeAt(service, ['params'])).map((p) => ({ p, path: [param[1]], from: `params.${String(p.key)}.${param[1]}` })),
        ...pairsOf(codeAt(service, ['stages'])).map((p) => ({
          p,
          path: ['params', param[1]],
          from: `stages.${String(p.key)}.params.${param[1]}`,
        })),
      ];
      for (const { p, path, from } of held) {
        const node = resolveAlias(codeAt(p.value, path) ?? null);
        const s = node?.kind === 'scalar' && !node.code ? scalarString(node) : undefined;
        const inner = s === undefined ? undefined : regionsOf(service, s, depth + 1);
        if (!inner) continue;
        if (String(p.key) === 'default') always = true;
        for (const r of inner)
          out.push({ region: r.region, how: `stage ${String(p.key)}: ${from}${r.how ? `, ${r.how}` : ''}`, environment: String(p.key) });
      }
      if (always) return out;
      passed.push(source);
      continue;
    }
    // opt:region, env:X, ssm:/x, a file(...): passed at deploy or held elsewhere; the next source counts too.
    passed.push(source);
  }
  return out.length ? out : undefined;
}

/** A Serverless service's Regions (`root`: its document, parsed from `file`'s text). */
export function serviceDeployRegions(root: CNode | null | undefined, file: SourceFile): DeployRegion[] {
  const provider = resolveAlias(codeAt(root, ['provider']) ?? null);
  if (!root || provider?.code || root.code) return [];
  const p = pair(provider, 'region');
  if (!p) {
    // Only where the file is a service (`provider.name: aws`, or a service with no provider map at all, which the Framework refuses).
    if (provider?.kind !== 'map') return [];
    const line = LineIndex.of(file.text).position(provider.start).line;
    return [
      {
        region: FRAMEWORK_DEFAULT_REGION,
        file: file.path,
        line,
        setting: "no provider.region: the Framework's default, where the deploy gives no --region",
      },
    ];
  }
  const node = resolveAlias(p.value ?? null);
  const value = node?.kind === 'scalar' && !node.code ? scalarString(node) : undefined;
  const regions = value === undefined ? undefined : regionsOf(root, value, 0);
  const line = LineIndex.of(file.text).position(p.keyStart).line;
  return (regions ?? []).map((r) => ({
    region: r.region,
    file: file.path,
    line,
    setting: `provider.region${r.how ? ` (${r.how})` : ''}`,
    ...(r.environment !== undefined ? { environment: r.environment } : {}),
  }));
}

/** The `region` each environment of the SAM configurations that deploy `template` passes (one not a Region's code: left out). */
export async function samDeployRegions(template: SourceFile, context: DiskContext): Promise<DeployRegion[]> {
  const out: DeployRegion[] = [];
  for (const { config, own } of await samConfigurations(template, context))
    for (const s of await environmentSettings(config, template, own, 'region'))
      if (REGION.test(s.value.trim()))
        out.push({ region: s.value.trim(), file: s.file, line: s.line, setting: 'region', environment: s.environment });
  return out;
}

/** Where a table's Region was read, for a reason: `serverless.yml:3, provider.region (its default where ...)`. */
export function regionWhere(r: DeployRegion): string {
  return `${r.file}:${r.line}, ${r.setting}${r.environment !== undefined && r.setting === 'region' ? ` of environment ${r.environment}` : ''}`;
}
