/**
 * The key policies a fixed file declares, as plain IAM policy documents with the account, partition
 * and Region resolved, one per generated key, read back from the file the way each tool would:
 * CloudFormation intrinsics resolved with pseudo parameters, Terraform through HashiCorp's parser
 * (hcl2json) and its data sources, Pulumi YAML through its variables, and CDKTF / Pulumi TypeScript
 * by running the program against stand-ins of the provider packages that record each key's
 * arguments. Every value a placeholder can take is the evaluator's (kms-policy-eval.ts).
 */
import ts from 'typescript';
import { parse as parseYaml, parseAllDocuments, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';
import { joinUnderIndented } from '../../src/formats/yaml/underIndented.js';
import { ACCOUNT, PARTITION, REGION, type PolicyDocument } from './kms-policy-eval.js';

export interface KeyPolicyFound {
  /** The key's name in the file (logical ID, Terraform address, variable...). */
  key: string;
  /** The Region the key lives in. */
  region: string;
  /** The policy, or why it could not be read (a key the user wrote with a policy of another shape). */
  policy?: PolicyDocument;
  problem?: string;
}

/** Read one key's policy, turning a failure into a `problem`. */
function attempt(key: string, region: string, read: () => PolicyDocument): KeyPolicyFound {
  try {
    return { key, region, policy: read() };
  } catch (err) {
    return { key, region, problem: (err as Error).message };
  }
}

// ---------------------------------------------------------------- CloudFormation (and CDK's synthesized templates)

const FN = [
  'Ref',
  'Condition',
  'Sub',
  'GetAtt',
  'Join',
  'If',
  'Select',
  'Split',
  'FindInMap',
  'ImportValue',
  'Base64',
  'GetAZs',
  'Equals',
  'Not',
  'And',
  'Or',
  'Cidr',
];
const fnName = (n: string) => (n === 'Ref' || n === 'Condition' ? n : `Fn::${n}`);
const CFN_TAGS: (ScalarTag | CollectionTag)[] = FN.flatMap((n): (ScalarTag | CollectionTag)[] => [
  { tag: `!${n}`, resolve: (v: string) => ({ [fnName(n)]: n === 'GetAtt' ? v.split('.') : v }) } as ScalarTag,
  { tag: `!${n}`, collection: 'seq', resolve: (s: YAMLSeq) => ({ [fnName(n)]: s.toJSON() }) } as unknown as CollectionTag,
  { tag: `!${n}`, collection: 'map', resolve: (m: YAMLMap) => ({ [fnName(n)]: m.toJSON() }) } as unknown as CollectionTag,
]);

const PSEUDO: Record<string, string> = {
  'AWS::AccountId': ACCOUNT,
  'AWS::Partition': PARTITION,
  'AWS::Region': REGION,
  'AWS::StackName': 'stack',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** A CloudFormation value with its intrinsics resolved (pseudo parameters only; anything else throws). */
export function resolveCfn(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(resolveCfn);
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 1) {
    const [k, arg] = entries[0];
    if (k === 'Ref') {
      if (typeof arg === 'string' && arg in PSEUDO) return PSEUDO[arg];
      throw new Error(`Ref ${String(arg)} is not a pseudo parameter`);
    }
    if (k === 'Fn::Sub') {
      const tpl = Array.isArray(arg) ? (arg[0] as string) : (arg as string);
      return tpl.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
        if (name in PSEUDO) return PSEUDO[name];
        throw new Error(`Sub \${${name}} is not a pseudo parameter`);
      });
    }
    if (k === 'Fn::Join') {
      const [sep, parts] = arg as [string, unknown[]];
      return (parts.map(resolveCfn) as string[]).join(sep);
    }
    if (k.startsWith('Fn::')) throw new Error(`${k} in a key policy`);
  }
  return Object.fromEntries(entries.map(([k, x]) => [k, resolveCfn(x)]));
}

export interface CfnResource {
  Type?: string;
  Metadata?: Record<string, unknown>;
  Properties?: Record<string, unknown>;
}

/**
 * The resources of a template (YAML or JSON, CloudFormation, SAM or serverless.yml, or a file of
 * Resources that serverless.yml includes), merge keys applied, with those of Fn::ForEach bodies.
 */
export function cfnResources(text: string): Record<string, CfnResource> {
  // Values continued no deeper than their key (as AWS Solutions write them) read as kmsfix reads them.
  const doc = parseYaml(joinUnderIndented(text)?.text ?? text, { customTags: CFN_TAGS, uniqueKeys: false, merge: true }) as {
    Resources?: Record<string, CfnResource>;
    resources?: { Resources?: Record<string, CfnResource> } | { Resources?: Record<string, CfnResource> }[];
  } & Record<string, unknown>;
  // serverless.yml's Resources taken from its own custom section: `${self:custom.x}`, or each map of
  // custom.x when a variable chooses one (`${self:custom.x.${opt:stage}}`), named `<stage>.<id>` here.
  const chosen: unknown = doc.resources && !Array.isArray(doc.resources) ? doc.resources.Resources : undefined;
  const custom = typeof chosen === 'string' ? /^\$\{self:(custom(?:\.[\w-]+)+?)(\.\$\{[^{}]*\})?\}$/.exec(chosen.trim()) : null;
  if (custom) {
    let node: unknown = doc;
    for (const k of custom[1].split('.')) node = (node as Record<string, unknown> | undefined)?.[k];
    const maps = custom[2] ? Object.entries((node ?? {}) as Record<string, unknown>) : [['', node] as const];
    return Object.fromEntries(
      maps.flatMap(([stage, m]) => withLoopBodies((m ?? {}) as Record<string, unknown>).map(([k, r]) => [stage ? `${stage}.${k}` : k, r])),
    );
  }
  // serverless.yml's `resources` may be a list, whose items the Framework merges.
  const items = Array.isArray(doc.resources) ? doc.resources.filter((r) => typeof r === 'object' && r !== null) : [];
  const merged = items.length > 0 ? Object.assign({}, ...items.map((r) => r.Resources ?? {})) : undefined;
  const own = doc.Resources ?? (Array.isArray(doc.resources) ? merged : doc.resources?.Resources);
  // A file of Resources: its top-level values are resources (or `${file(...)}` includes, strings).
  const included = !own && Object.values(doc).some((r) => typeof (r as CfnResource | null)?.Type === 'string');
  return Object.fromEntries(withLoopBodies(own ?? (included ? (doc as Record<string, CfnResource>) : {})));
}

/** The resources with those of Fn::ForEach loop bodies (any depth), under their output keys (`${Name}TableKey`). */
function withLoopBodies(resources: Record<string, unknown>): [string, CfnResource][] {
  return Object.entries(resources).flatMap(([key, r]) => {
    const body = key.startsWith('Fn::ForEach::') && Array.isArray(r) ? r[2] : undefined;
    if (body && typeof body === 'object') return withLoopBodies(body as Record<string, unknown>);
    return [[key, r as CfnResource]];
  });
}

/** Every AWS::KMS::Key of a template (YAML or JSON, CloudFormation, SAM or serverless.yml), in Fn::ForEach bodies too. */
export function cfnKeyPolicies(text: string): KeyPolicyFound[] {
  return Object.entries(cfnResources(text))
    .filter(([, r]) => r?.Type === 'AWS::KMS::Key')
    .map(([key, r]) =>
      attempt(key, REGION, () => {
        if (!r.Properties?.KeyPolicy) throw new Error('no KeyPolicy');
        return resolveCfn(r.Properties.KeyPolicy) as PolicyDocument;
      }),
    );
}

/**
 * Every AWS::KMS::Key of a Serverless Framework serverless.ts: the module is transpiled and run (its
 * imports as empty stand-ins), and the configuration it exports read as a serverless.yml's. A file of
 * resources a service imports and spreads into its Resources (src/formats/typescript/serviceImports.ts:
 * `export default { OrdersTable: {...}, OrdersTableKey: {...} }`, `export const tables = {...}`): each map
 * of resources it exports, read as a template's Resources.
 */
export function serverlessTsKeyPolicies(source: string): KeyPolicyFound[] {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', 'require', js)(module, module.exports, () => ({}));
  const maps = new Set([module.exports.default, ...Object.values(module.exports)].filter(isResourceMap));
  if (maps.size > 0) return [...maps].flatMap((m) => cfnKeyPolicies(JSON.stringify({ Resources: m })));
  return cfnKeyPolicies(JSON.stringify(module.exports.default ?? module.exports));
}

/** A map of CloudFormation resources (each value an object with a string `Type` naming an AWS:: type). */
function isResourceMap(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== 'object') return false;
  const values = Object.values(v);
  return (
    values.length > 0 &&
    values.every((r) => typeof (r as { Type?: unknown })?.Type === 'string' && /^AWS::/.test((r as { Type: string }).Type))
  );
}

/**
 * Is this TypeScript a serverless.ts or .js, or a file of resources one imports (CloudFormation resources in
 * object literals), not a CDKTF or Pulumi program?
 */
export const isServerlessTs = (source: string) =>
  (/\bResources\s*:/.test(source) || /['"]AWS::[A-Za-z0-9]+::/.test(source) || /['"]@serverless\/typescript['"]/.test(source)) &&
  !/from\s+['"](?:@pulumi\/|cdktf|@cdktf\/|cdktn|constructs|aws-cdk-lib)/.test(source);

// ---------------------------------------------------------------- Pulumi YAML

/** Every aws:kms:Key of a Pulumi YAML file, document by document. */
export function pulumiYamlKeyPolicies(text: string): KeyPolicyFound[] {
  return parseAllDocuments(text, { merge: true }).flatMap((d) => pulumiProgramKeyPolicies(d.toJS({ maxAliasCount: -1 })));
}

function pulumiProgramKeyPolicies(program: unknown): KeyPolicyFound[] {
  // Top-level sections in any case (`Resources:`, `Variables:`), as pulumi-yaml reads them.
  const folded = Object.fromEntries(Object.entries((program ?? {}) as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
  const doc = folded as {
    variables?: Record<string, { 'fn::invoke'?: { function: string; return?: string }; 'fn::toJSON'?: unknown }>;
    resources?: Record<string, { type: string; properties?: Record<string, unknown> }>;
  };
  const values: Record<string, string> = {};
  const invoked: Record<string, string> = {
    'aws:getCallerIdentity.accountId': ACCOUNT,
    'aws:getPartition.partition': PARTITION,
    'aws:getRegion.name': REGION,
    'aws:getRegion.region': REGION,
  };
  for (const [name, v] of Object.entries(doc.variables ?? {})) {
    const inv = v?.['fn::invoke'];
    if (inv && `${inv.function}.${inv.return}` in invoked) values[name] = invoked[`${inv.function}.${inv.return}`];
  }
  const interpolate = (x: unknown): unknown => {
    if (typeof x === 'string') {
      return x.replace(/\$\{([^}]+)\}/g, (_, n: string) => {
        if (n in values) return values[n];
        throw new Error(`\${${n}} is not a variable the policy may use`);
      });
    }
    if (Array.isArray(x)) return x.map(interpolate);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, interpolate(y)]));
    return x;
  };
  return Object.entries(doc.resources ?? {})
    .filter(([, r]) => r.type === 'aws:kms:Key')
    .map(([key, r]) =>
      attempt(key, REGION, () => {
        // The policy, or a variable that holds it (`policy: ${dynamodbKeyPolicy}`).
        const named = /^\$\{([^}.]+)\}$/.exec(String(r.properties?.policy))?.[1];
        const p = (named ? doc.variables?.[named] : r.properties?.policy) as { 'fn::toJSON'?: unknown };
        if (!p?.['fn::toJSON']) throw new Error('policy is not fn::toJSON');
        return interpolate(p['fn::toJSON']) as PolicyDocument;
      }),
    );
}

// ---------------------------------------------------------------- Terraform

type Hcl = Record<string, Record<string, Record<string, unknown>>>;

interface TfStatement {
  sid?: string;
  effect?: string;
  actions?: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
}

/** hcl2json gives each block as a list of bodies; Terraform's JSON syntax may give one object. */
const bodies = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v : [v]) as Record<string, unknown>[];

/** Merge the hcl2json output (or the JSON) of every file of a module: kind -> type -> name -> bodies. */
function mergeModule(files: Hcl[]): {
  blocks: Record<string, Record<string, Record<string, Record<string, unknown>[]>>>;
  providers: Record<string, unknown>[];
} {
  const blocks: Record<string, Record<string, Record<string, Record<string, unknown>[]>>> = {};
  const providers: Record<string, unknown>[] = [];
  for (const f of files) {
    for (const [kind, types] of Object.entries(f)) {
      if (kind === 'provider') {
        providers.push(...bodies((types as Record<string, unknown>).aws ?? []));
        continue;
      }
      if (kind !== 'data' && kind !== 'resource') continue;
      blocks[kind] ??= {};
      // Terraform JSON: each level an object or an array of objects (`"resource": [{ "aws_kms_key": [{ ... }] }]`).
      for (const byType of bodies(types) as Record<string, unknown>[]) {
        for (const [type, byNames] of Object.entries(byType)) {
          blocks[kind][type] ??= {};
          for (const byName of bodies(byNames) as Record<string, unknown>[])
            for (const [name, body] of Object.entries(byName)) blocks[kind][type][name] = bodies(body);
        }
      }
    }
  }
  return { blocks, providers };
}

/**
 * Every aws_kms_key and aws_kms_replica_key of a Terraform module, with the policy document of the
 * module it names. `files`: hcl2json's output per file (.tf) or the parsed JSON (.tf.json).
 */
export function terraformKeyPolicies(files: Hcl[]): KeyPolicyFound[] {
  const { blocks, providers } = mergeModule(files);
  const regionOfProvider = (ref: unknown): string => {
    const alias = typeof ref === 'string' ? /aws\.([\w-]+)/.exec(ref)?.[1] : undefined;
    const p = providers.find((x) => (alias ? x.alias === alias : !x.alias)) as { region?: string } | undefined;
    return p?.region && !p.region.includes('${') ? p.region : REGION;
  };
  const data = blocks.data ?? {};
  const regionData = (name: string) => regionOfProvider(data.aws_region?.[name]?.[0]?.provider);
  // A variable or local (a key's `region = var.x`, hashicorp/aws 6) stands for one Region, named by the expression.
  const symbolic = (expr: string) => (/^(var|local)\.[\w.-]+$/.test(expr) ? `<${expr}>` : undefined);
  const resolve = (s: string): string =>
    s.replace(/\$\{([^}]+)\}/g, (_, expr: string) => {
      if (/^data\.aws_caller_identity\.[\w-]+\.account_id$/.test(expr)) return ACCOUNT;
      if (/^data\.aws_partition\.[\w-]+\.partition$/.test(expr)) return PARTITION;
      const m = /^data\.aws_region\.([\w-]+)\.(name|region)$/.exec(expr);
      if (m) return regionData(m[1]);
      const v = symbolic(expr);
      if (v) return v;
      // `coalesce(var.x, data.aws_region.y.region)`: the key's region argument when set (as its key names it), else the provider's.
      const c = /^coalesce\(\s*([^,\s]+)\s*,\s*data\.aws_region\.[\w-]+\.(?:name|region)\s*\)$/.exec(expr);
      if (c && symbolic(c[1])) return symbolic(c[1])!;
      throw new Error(`\${${expr}} in a key policy`);
    });
  // A key's Region: its own `region` argument (hashicorp/aws 6), else its provider's.
  const regionOfKey = (key: Record<string, unknown>): string => {
    if (typeof key.region !== 'string') return regionOfProvider(key.provider);
    const only = /^\$\{([^}]+)\}$/.exec(key.region);
    return only ? (symbolic(only[1]) ?? key.region) : key.region;
  };
  const docs = data.aws_iam_policy_document ?? {};
  const keys = Object.entries({ ...(blocks.resource?.aws_kms_key ?? {}) }).map(([n, b]) => [`aws_kms_key.${n}`, b[0]] as const);
  const replicas = Object.entries(blocks.resource?.aws_kms_replica_key ?? {}).map(([n, b]) => [`aws_kms_replica_key.${n}`, b[0]] as const);
  return [...keys, ...replicas].map(([address, key]) =>
    attempt(address, regionOfKey(key), () => {
      const m = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(String(key.policy ?? ''));
      if (!m || !docs[m[1]]) throw new Error(`policy is not a policy document of the module (${String(key.policy)})`);
      const statements = bodies(docs[m[1]][0].statement ?? []).map((raw) => {
        const s = raw as TfStatement;
        const principal: { AWS?: string[]; Service?: string[] } = {};
        for (const p of bodies(s.principals ?? []) as unknown as { type: string; identifiers: string[] }[]) {
          const k = p.type === 'AWS' ? 'AWS' : p.type === 'Service' ? 'Service' : undefined;
          if (!k) throw new Error(`principal type ${p.type}`);
          principal[k] = [...(principal[k] ?? []), ...p.identifiers.map(resolve)];
        }
        const condition: Record<string, Record<string, string[]>> = {};
        for (const c of bodies(s.condition ?? []) as unknown as { test: string; variable: string; values: string[] }[]) {
          (condition[c.test] ??= {})[c.variable] = c.values.map(resolve);
        }
        return {
          Sid: s.sid,
          Effect: (s.effect ?? 'Allow') as 'Allow' | 'Deny',
          Principal: principal,
          Action: s.actions ?? [],
          Resource: s.resources ?? ['*'],
          ...(s.condition ? { Condition: condition } : {}),
        };
      });
      return { Version: '2012-10-17', Statement: statements };
    }),
  );
}

// ---------------------------------------------------------------- CDKTF and Pulumi TypeScript, run against stand-ins

/** Plain text stands for any value the stand-ins do not model (a table's ARN, a name...). */
function token(path: string[]): unknown {
  return new Proxy(
    Object.assign(() => undefined, { toString: () => `<${path.join('.')}>` }),
    {
      get: (_t, p) =>
        p === Symbol.toPrimitive || p === 'toString'
          ? () => `<${path.join('.')}>`
          : p === 'toJSON'
            ? () => `<${path.join('.')}>`
            : typeof p === 'string'
              ? token([...path, p])
              : undefined,
      apply: () => token([...path, '()']),
      construct: () => token([...path, 'new']) as object,
    },
  );
}

/**
 * Run a CDKTF or Pulumi TypeScript program with stand-ins for constructs, cdktf, @cdktf/provider-aws (and CDK Terrain's cdktn, @cdktn/provider-aws),
 * @pulumi/pulumi and @pulumi/aws, and return the policy of every KMS key it creates.
 */
export function runTsKeyPolicies(source: string): KeyPolicyFound[] {
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const found: KeyPolicyFound[] = [];
  let defaultRegion = REGION;
  const regionOf = (provider: unknown) => (provider as { __region?: string } | undefined)?.__region ?? defaultRegion;

  const instantiated = new Set<unknown>();
  class Construct {
    constructor(..._args: unknown[]) {
      instantiated.add(new.target);
    }
  }
  class Stack extends Construct {
    synth(): void {}
    registerOutputs(): void {}
  }
  const record = (key: string, policy: unknown, provider: unknown) => {
    found.push(
      attempt(key, regionOf(provider), () => {
        if (typeof policy !== 'string') throw new Error('the policy is not a JSON string');
        return JSON.parse(policy) as PolicyDocument;
      }),
    );
  };
  // What synth and preview refuse: a construct id twice in one scope (CDKTF: `new X(scope, id, ...)`),
  // a resource name twice for one type under one parent type (Pulumi: `new aws.x.Y(name, args, opts)`,
  // whose URN holds the parents' types, not their names).
  const ids = new Map<unknown, Set<string>>();
  const urns = new Set<string>();
  const unique = (path: string[], args: unknown[]) => {
    if (path[0] === '@pulumi/aws' || path[0] === '@pulumi/aws-native') {
      if (path.some((p) => /^get[A-Z]/.test(p))) return;
      const parent = (args[2] as { parent?: object } | undefined)?.parent;
      const urn = `${parent?.constructor?.name ?? 'stack'}$${path.join('.')}::${String(args[0])}`;
      if (urns.has(urn)) throw new Error(`Duplicate resource URN ${urn}`);
      urns.add(urn);
    } else if (/^(@cdkt[fn]\/|cdkt[fn]$)/.test(path[0])) {
      const [scope, id] = args;
      if (typeof id !== 'string') return;
      const taken = ids.get(scope) ?? new Set<string>();
      if (taken.has(id)) throw new Error(`There is already a Construct with name '${id}'`);
      taken.add(id);
      ids.set(scope, taken);
    }
  };
  /** What `new X(...)` gives, by the class name. */
  const construct = (path: string[], args: unknown[]): object => {
    unique(path, args);
    const name = path[path.length - 1];
    switch (name) {
      case 'AwsProvider': {
        const cfg = args[2] as { region?: string; alias?: string };
        if (!cfg.alias && cfg.region) defaultRegion = cfg.region;
        return { __region: cfg.region };
      }
      case 'Provider':
        return { __region: (args[1] as { region?: string }).region };
      case 'DataAwsCallerIdentity':
        return { accountId: ACCOUNT };
      case 'DataAwsPartition':
        return { partition: PARTITION, dnsSuffix: 'amazonaws.com' };
      case 'DataAwsRegion': {
        const r = regionOf((args[2] as { provider?: unknown } | undefined)?.provider);
        return { name: r, region: r };
      }
      case 'KmsKey': {
        const cfg = args[2] as { policy?: unknown; provider?: unknown };
        record(String(args[1]), cfg.policy, cfg.provider);
        return token(['KmsKey', String(args[1])]) as object;
      }
      case 'Key':
        if (path.includes('kms')) {
          record(String(args[0]), (args[1] as { policy?: unknown }).policy, (args[2] as { provider?: unknown } | undefined)?.provider);
        }
        return token([...path, String(args[0])]) as object;
      case 'Config':
        return { get: () => undefined, require: (k: string) => `<config.${k}>`, getBoolean: () => undefined, getNumber: () => undefined };
      default:
        return token([...path, String(args[1] ?? args[0])]) as object;
    }
  };
  const call = (path: string[], args: unknown[]): unknown => {
    const name = path[path.length - 1];
    switch (name) {
      case 'getCallerIdentityOutput':
      case 'getCallerIdentity':
        return { accountId: ACCOUNT };
      case 'getPartitionOutput':
      case 'getPartition':
        return { partition: PARTITION };
      case 'getRegionOutput':
      case 'getRegion':
        return {
          name: regionOf((args[1] as { provider?: unknown } | undefined)?.provider),
          region: regionOf((args[1] as { provider?: unknown } | undefined)?.provider),
        };
      case 'interpolate':
        return String.raw({ raw: args[0] as TemplateStringsArray }, ...args.slice(1));
      case 'jsonStringify':
      case 'jsonencode':
        return JSON.stringify(args[0]);
      case 'output':
        return args[0];
      default:
        return token([...path, '()']);
    }
  };
  const namespace = (path: string[]): unknown =>
    // biome-ignore lint/complexity/useArrowFunction: a Proxy target must be constructible (`new ns.Stack()`), which an arrow is not
    new Proxy(function () {}, {
      get: (_t, p) => {
        if (typeof p !== 'string') return undefined;
        if (['Construct'].includes(p)) return Construct;
        if (['TerraformStack', 'App', 'ComponentResource', 'Stack'].includes(p)) return Stack;
        if (p === '__esModule') return true;
        if (p === 'default') return namespace(path);
        return namespace([...path, p]);
      },
      construct: (_t, args) => construct(path, args),
      apply: (_t, _this, args) => call(path, args),
    });
  const modules = new Map<string, unknown>();
  const req = (m: string) => {
    if (!/^(constructs|cdkt[fn]|@cdkt[fn]\/provider-aws(\/.*)?|@pulumi\/(pulumi|aws|aws-native))$/.test(m))
      throw new Error(`the program requires ${m}`);
    if (!modules.has(m)) modules.set(m, namespace([m]));
    return modules.get(m);
  };
  const module = { exports: {} as Record<string, unknown> };
  new Function('require', 'module', 'exports', js)(req, module, module.exports);
  // Classes the program only declares (exported stacks, components): instantiate them too.
  for (const v of Object.values(module.exports)) {
    if (typeof v === 'function' && v.prototype instanceof Construct && !instantiated.has(v))
      new (v as new (...a: unknown[]) => unknown)(token(['app']), 'stack', {});
  }
  return found;
}
