/**
 * A Terraform table's encryption settings as written (src/rule/facts.ts Settings): a table block's
 * server_side_encryption and replica blocks, a replica resource's key, a registry module call's inputs;
 * and values as peer scanners read them (rawOf, keyRawOf). Detection (detect.ts), input evaluation
 * (inputs.ts), overrides and terragrunt units read settings here.
 */
import { ABSENT, type Replica as ReplicaFacts, type Replicas, type Setting, type Settings } from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS } from '../../rule/status.js';
import { placeholderIn, placeholderSetting } from '../../core/placeholders.js';
import { isReference, type Raw, type Reference } from '../../rule/peers/facts.js';
import { attr, blocks, dynamicBlocks, type HAttr, type HBlock } from './parse.js';
import type { TfKind } from './detect.js';
import { iteratedKey } from './instanceKeys.js';
import { composedKeySettingOf } from './composedKey.js';
import { templateNamesAwsManaged } from './managedKeyData.js';
import { REGISTRY_MODULES, type RegistryModule } from './registryModules.js';
import { asBool, awsManagedChoice, decidedBranch, type Env, undecidedChoice } from './expression.js';

/** A literal or an expression, as a bool: undefined when it is decided only at deploy time. */
export function boolOf(a: HAttr | undefined): boolean | 'missing' | undefined {
  if (!a) return 'missing';
  if (a.lit?.type === 'bool' || a.lit?.type === 'string') {
    const b = asBool(a.lit.value);
    if (b !== undefined) return b;
  }
  if (a.lit?.type === 'null') return 'missing';
  return undefined;
}

/** A registry module call's switch and key inputs as written (peers: a server_side_encryption block in the call, when the input is not set). */
export function moduleInputSettings(b: HBlock, m: RegistryModule): { enabled: Setting; key: Setting } {
  const sse = blocks(b, 'server_side_encryption')[0];
  const enabled = attr(b, m.enabled.input);
  const key = attr(b, m.key);
  return {
    enabled: m.switchIsString ? keySetting(enabled) : enabledSetting(enabled, enabled ?? attr(sse, 'enabled')),
    key: keySetting(key, key ?? attr(sse, 'kms_key_arn')),
  };
}

/** `enabled` as written (`peer`: the attribute peers read, when another). */
export function enabledSetting(a: HAttr | undefined, peer = a): Setting {
  const on = boolOf(a);
  const raw = rawOf(peer);
  if (on === 'missing') return raw === undefined ? ABSENT : { ...ABSENT, raw };
  const setting: Setting = { state: a!.lit ? 'literal' : 'expression', source: a!.value, raw };
  if (on !== undefined) setting.bool = on;
  return setting;
}

/** `kms_key_arn` as written: none, null and an empty string are the same (the AWS managed key, no key named). */
/**
 * A key setting as written. `env`: the module's environment, where a choice's condition may be known
 * (a root module's default: `var.create_key ? aws_kms_key.k[0].arn : null` is the key); none by default.
 */
export function keySetting(a: HAttr | undefined, peer = a, env: Env = NO_ENV): Setting {
  const raw = keyRawOf(peer);
  if (!a || a.lit?.type === 'null' || (a.lit?.type === 'string' && a.lit.value.trim() === '')) {
    return raw === undefined ? ABSENT : { ...ABSENT, raw };
  }
  const placeholder = a.lit?.type === 'string' ? placeholderIn(a.lit.value) : undefined;
  if (placeholder !== undefined) return { state: 'unreadable', source: placeholderSetting('kms_key_arn', placeholder), raw };
  if (a.lit) return { state: 'literal', source: a.value, text: a.lit.type === 'string' ? a.lit.value : String(a.lit.value), raw };
  const choice = awsManagedChoice(a.value, env);
  if (choice !== undefined) return { state: 'unreadable', source: choice, raw };
  // A template of the AWS managed key's alias ARN (`"arn:${...}:alias/aws/dynamodb"`) is that key, as the literal is.
  if (templateNamesAwsManaged(a.value)) return { state: 'expression', source: a.value, text: AWS_MANAGED_ALIAS, raw };
  // Through format/join, or holding the alias in another expression (composedKey.ts); not a choice kmsfix reads as one
  // (`var.use_cmk ? aws_kms_key.t.arn : "alias/aws/dynamodb"`: its other branch does not make the chosen key unknown).
  const branch = decidedBranch(a.value, env);
  const composed = undecidedChoice(branch, env) ? undefined : composedKeySettingOf(branch, raw, env);
  if (composed) return composed;
  return { state: isReference(raw) ? 'reference' : 'expression', source: a.value, raw };
}

const NO_ENV: Env = { vars: new Map(), locals: new Map() };

/** A registry module call's encryption, from its inputs (a terragrunt unit's `inputs` are read as such a call: terragruntUnit.ts). */
export function moduleCallSettings(b: HBlock, m: RegistryModule): Settings {
  // The module's inputs decide the table; the DataDog KICS fork also reads a server_side_encryption block in the call.
  const { enabled, key } = moduleInputSettings(b, m);
  const present = blocks(b, 'server_side_encryption').length > 0 || attr(b, m.enabled.input);
  // terraform-aws-modules' switch defaults to false: unset beside a key, the fix sets it alone (cmk.ts switchedOff).
  const switchDefaultOff = m === REGISTRY_MODULES[0] && !attr(b, m.enabled.input) ? { switchDefaultOff: true as const } : {};
  return { model: 'sse', ...m.settings(enabled, key), peerBlock: present ? 'present' : 'missing', ...switchDefaultOff };
}

export function settingsOf(kind: TfKind, b: HBlock, m: RegistryModule | undefined): Settings {
  if (kind === 'table-replica') return { model: 'sse', key: keySetting(attr(b, 'kms_key_arn')) };
  if (m) return moduleCallSettings(b, m);
  if (dynamicBlocks(b, 'server_side_encryption').length > 0)
    return { model: 'sse', block: { state: 'expression', source: 'a dynamic block' } };
  const sse = blocks(b, 'server_side_encryption')[0];
  if (!sse) return { model: 'sse', block: ABSENT };
  return {
    model: 'sse',
    block: { state: 'literal', source: '' },
    enabled: enabledSetting(attr(sse, 'enabled')),
    key: keySetting(attr(sse, 'kms_key_arn')),
    // `enabled` defaults to false: unset beside a key, the fix sets it alone (cmk.ts switchedOff).
    ...(attr(sse, 'enabled') ? {} : { switchDefaultOff: true as const }),
  };
}

/**
 * A table's replicas, whose keys count when the table's own key is customer-managed: a `replica`
 * block without `kms_key_arn` uses the AWS managed key of its Region (`override`). A dynamic block
 * counts as one replica when its content sets a key, else as a list kmsfix cannot read. The fix gives
 * every replica a key with the table's (`all`), as far as its obstacles allow.
 */
export function replicasOf(text: string, b: HBlock): { replicas?: Replicas } {
  const dynamic = dynamicBlocks(b, 'replica');
  const plain = blocks(b, 'replica');
  if (plain.length === 0 && dynamic.length === 0) return {};
  const item = (r: HBlock, key: HAttr | undefined, region: HAttr | undefined): ReplicaFacts => ({
    source: text.slice(r.start, r.end),
    readable: true,
    region: { source: unquoted(region) ?? '(no region_name)', local: false },
    key: keySetting(key),
  });
  const items = plain.map((r) => item(r, attr(r, 'kms_key_arn'), attr(r, 'region_name')));
  for (const d of dynamic) {
    const content = blocks(d, 'content')[0];
    const key = attr(content, 'kms_key_arn');
    if (!key || key.lit?.type === 'null')
      return {
        replicas: {
          keys: 'override',
          list: { state: 'expression', source: 'a dynamic block whose content sets no kms_key_arn' },
          items: [],
          fix: 'all',
        },
      };
    const facts = item(d, key, attr(content, 'region_name'));
    items.push({ ...facts, key: iteratedKey(d, key, facts.key) ?? facts.key });
  }
  return { replicas: { keys: 'override', list: { state: 'literal', source: '' }, items, fix: 'all' } };
}

/** A string's value, or an expression as written. */
export function unquoted(a: HAttr | undefined): string | undefined {
  return a?.lit?.type === 'string' ? a.lit.value : a?.value.trim();
}

export function rawOf(a: { value: string; lit?: HAttr['lit'] } | undefined): Raw | undefined {
  if (!a) return undefined;
  switch (a.lit?.type) {
    case 'bool':
      return a.lit.value;
    case 'string':
      return a.lit.value;
    case 'null':
      return null;
    case 'number':
      return Number(a.lit.value);
  }
  return { unresolved: a.value };
}

export function keyRawOf(a: { value: string; lit?: HAttr['lit'] } | undefined): Raw | Reference | undefined {
  if (a && !a.lit && /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[[^\]]*\])+$/.test(a.value.trim())) return { ref: a.value.trim() };
  return rawOf(a);
}
