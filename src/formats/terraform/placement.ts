/**
 * Where a generated key must be created to be in its table's Region and account: through the
 * provider configuration the table names (`provider = aws.east`, or a local name that the module's
 * required_providers maps to hashicorp/aws: `provider = awsalternate`) and, with hashicorp/aws 6's
 * resource-level `region` argument (Enhanced Region Support), in the Region that argument names. The
 * key, its alias, its replica keys and the Region its policy names (`kms:ViaService`) all follow it.
 */
import type { Obstacle } from '../../rule/facts.js';
import { isObj, isStr, items, readBody, type Value } from './hclvalue.js';
import type { TopBlock } from './topBlocks.js';

export interface Placement {
  /** The provider reference as written (`aws.east`, `awsalternate`, `awsalternate.west`); '' for the default `aws`. */
  provider: string;
  /** The `region` argument as written (`"eu-west-2"`, `var.region`); undefined: the provider's Region. */
  region?: string;
}

/** A `provider = ...` value as a reference (`aws.east`, `awsalternate`; the quoted legacy form too); '' for the default `aws`. */
export function providerRef(value: string | undefined): string {
  const v = (value ?? '').trim().replace(/^"|"$/g, '').trim();
  return v === 'aws' ? '' : v;
}

/**
 * The reference of a provider configuration (`provider "aws" { alias = "east" }`: `aws.east`; with no alias,
 * its local name: '' for the default `aws`, `awsalternate`); undefined for an alias that is no literal.
 */
export function configRef(t: TopBlock): string | undefined {
  if (t.type !== 'provider' || t.labels.length !== 1) return undefined;
  const alias = t.attr('alias');
  if (alias === undefined) return providerRef(t.labels[0]);
  return alias.lit?.type === 'string' ? providerRef(`${t.labels[0]}.${alias.lit.value}`) : undefined;
}

/** The placement of a resource: its `provider` and `region` arguments as written (`region = null`: the provider's Region). */
export function placeOf(provider: string | undefined, region: { value: string; lit?: { type: string } } | undefined): Placement {
  const ref = providerRef(provider);
  return region && region.lit?.type !== 'null' ? { provider: ref, region: region.value.trim() } : { provider: ref };
}

/**
 * The provider a module call passes as the module's default `aws` (`providers = { aws = aws.eu }`, or
 * `"providers": { "aws": "aws.eu" }`, or another local name: `{ aws = awsalternate }`): its reference
 * ('' for the default provider), which the key beside the call goes through, so that it is in the
 * Region of the module's table.
 */
export function passedProvider(providers: string | undefined): string {
  const m = /(?:^|[{\s,])"?aws"?\s*[=:]\s*"?([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)?)"?/.exec(providers ?? '');
  return providerRef(m?.[1]);
}

/** One string per placement, as a map key. */
export function placeKey(p: Placement): string {
  return p.region === undefined ? p.provider : `${p.provider} ${p.region}`;
}

/** A Region written as a literal (`"eu-west-2"`), else undefined. */
export function literalRegion(expr: string | undefined): string | undefined {
  return /^"([a-z0-9-]+)"$/.exec(expr?.trim() ?? '')?.[1];
}

/**
 * A placement in the names of what a fix declares: `east` for `aws.east`, `awsalternate`, `eu_west_2`
 * for `region = "eu-west-2"`, `region` for `region = var.region` ('' for the default provider).
 */
export function placeLabel(p: Placement): string {
  const provider = p.provider.startsWith('aws.') ? p.provider.slice(4) : p.provider.replace(/\./g, '_');
  const lit = literalRegion(p.region);
  const region = p.region === undefined ? '' : lit ? lit.replace(/-/g, '_') : (/([A-Za-z_]\w*)\W*$/.exec(p.region)?.[1] ?? 'region');
  return [provider, region].filter(Boolean).join('_');
}

/** Where a placement is, in words: `region = "eu-west-2"`, `provider aws.east`, `the default provider`. */
export function placeWords(p: Placement): string {
  if (p.region !== undefined) return `region = ${p.region}${p.provider ? `, provider ${p.provider}` : ''}`;
  return p.provider ? `provider ${p.provider}` : 'the default provider';
}

/** The module's `required_providers` entries: local name, and its requirement (an object, or a legacy version string). */
export function requiredProviders(tops: TopBlock[]): [string, Value][] {
  const out: [string, Value][] = [];
  for (const t of tops) {
    if (t.type !== 'terraform') continue;
    const body = readBody(t.text);
    for (const rp of isObj(body) ? items(body.obj.get('required_providers')) : []) if (isObj(rp)) out.push(...rp.obj);
  }
  return out;
}

/** Is this requirement hashicorp/aws (its `source`; without one, Terraform takes the local name `aws` as hashicorp/aws)? */
export function isAwsRequirement(name: string, req: Value): boolean {
  const source = isObj(req) ? req.obj.get('source') : undefined;
  return isStr(source) ? /^(registry\.terraform\.io\/)?hashicorp\/aws$/i.test(source.str) : name === 'aws';
}

/**
 * Why a key cannot follow this placement, or undefined when it can: a Region that differs per
 * instance (`count.index`, `each.key`: the key policy a fix writes names one Region per placement),
 * a provider that differs per instance (OpenTofu's `aws.by_region[each.key]`),
 * or a provider whose local name the module's required_providers (`tops`, the blocks that hold them)
 * does not map to hashicorp/aws (kmsfix creates a key only through a provider it knows is that one).
 */
export async function placementObstacle(p: Placement, tops: () => Promise<TopBlock[]>): Promise<Obstacle | undefined> {
  if (p.region !== undefined && /\b(count|each)\s*\./.test(p.region))
    return {
      kind: 'code-shape',
      step:
        `its region = ${p.region} differs per instance, and the key policy kmsfix writes names one Region: ` +
        `create a key per instance by hand, in that instance's Region (region = ${p.region}), and point the table at it`,
    };
  // OpenTofu's `provider "aws" { for_each = ... }`: `provider = aws.by_region[each.key]`, one configuration per instance.
  if (p.provider && !/^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)?$/.test(p.provider))
    return {
      kind: 'code-shape',
      step:
        `it is created through provider ${p.provider}, an instance of a provider configuration with for_each, which differs per ` +
        `instance, and the key policy kmsfix writes names one Region: create a key per instance by hand, through provider ${p.provider}, and point the table at it`,
    };
  const local = p.provider.split('.')[0];
  if (!local || local === 'aws' || requiredProviders(await tops()).some(([name, req]) => name === local && isAwsRequirement(name, req)))
    return undefined;
  return {
    kind: 'code-shape',
    step:
      `it is created through provider ${p.provider}, and this module's required_providers does not map ${local} to hashicorp/aws: ` +
      `add ${local} = { source = "hashicorp/aws" } to required_providers and run kmsfix again, or create the key through provider ${p.provider} by hand`,
  };
}
