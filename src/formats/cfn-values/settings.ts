/**
 * A CloudFormation table's encryption settings as written, read into neutral facts (src/rule/facts.ts): SSEEnabled,
 * SSEType and KMSMasterKeyId through a parameter's Default, the environments that deploy the template (SAM
 * configuration, environments.ts), Fn::If and its conditions, Fn::FindInMap, Fn::Sub and Fn::Join, SAM Globals, and a
 * Serverless service's variables. One reader for templates, serverless.yml and serverless.ts (whose resources the
 * TypeScript family hands over as a node tree: typescript/cfnTree.ts), so it lives beside both families, not in one.
 */
import { ABSENT, type Branches, type Setting, type Settings } from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { dynamicReferenceStore, storedKeyWords } from '../../rule/storedKey.js';
import { placeholderIn, placeholderSetting } from '../../core/placeholders.js';
import type { Raw, Reference } from '../../rule/peers/facts.js';
import { transformIn } from '../yaml/cfnTransform.js';
import { boolOf, snippet, writtenText } from '../yaml/scalars.js';
import { child, pair, resolveAlias, scalarString, type CMap, type CNode, type CSeq } from '../yaml/tree.js';
import type { ServiceInputs } from '../serverless/inputs.js';
import { serviceKeySetting } from '../serverless/serviceKey.js';
import { serverlessSwitch } from '../serverless/variables.js';
import { type Environments, mapLookup } from './environments.js';
import { enabledAcross, everyDeploy, keyAcross, parameterAcross, picksIn, viaEnvironments } from './acrossEnvironments.js';
import { chosenByIf } from './conditionWords.js';
import { composedKey } from './composedKey.js';
import { intrinsicArg, intrinsicName, referencedIds, scalarValue } from './intrinsics.js';

/**
 * The template's parameters that have a Default, by name: a setting that is `!Ref` to one of them is
 * read as its default, as Checkov and cfn-nag evaluate it, and says so (Setting.via). A parameter
 * without a Default, or any other intrinsic (Fn::If on a condition...), stays decided at deploy time.
 */
export type Defaults = Map<string, CNode> &
  ServiceInputs & {
    mappings?: CMap;
    ssm?: Set<string>;
    /** The parameters declared (with a Default or not, not of an SSM type), and the template's Conditions. */
    declared?: Set<string>;
    conditions?: CMap;
    /** The values a parameter of one value (not a list) may take, where its AllowedValues list them: what a condition may read. */
    allowed?: Map<string, string[]>;
    /** The environments of a SAM configuration file (environments.ts), once read. */
    envs?: Environments;
    /** Whether a table's setting read a parameter or a condition (the format then reads the environments). */
    reads?: { inputs: boolean };
  };

export function defaultsOf(root: CNode | null | undefined, envs: Environments | undefined): Defaults {
  const out: Defaults = new Map();
  out.reads = { inputs: false };
  if (envs) out.envs = envs;
  const mappings = child(root, 'Mappings');
  if (mappings?.kind === 'map') out.mappings = mappings;
  const conditions = resolveAlias(child(root, 'Conditions') ?? null);
  if (conditions?.kind === 'map') out.conditions = conditions;
  const params = child(root, 'Parameters');
  if (params?.kind !== 'map') return out;
  out.declared = new Set();
  for (const p of params.pairs) {
    // An SSM parameter type's Default names the SSM parameter, not the value CloudFormation reads from it per account.
    if (/^AWS::SSM::Parameter::Value</.test(scalarString(child(p.value, 'Type') ?? null) ?? '')) {
      (out.ssm ??= new Set()).add(p.key);
      continue;
    }
    out.declared.add(p.key);
    const allowed = allowedValues(p.value);
    if (allowed) (out.allowed ??= new Map()).set(p.key, allowed);
    const d = child(p.value, 'Default');
    if (d?.kind === 'scalar' && !d.tag) out.set(p.key, d);
  }
  return out;
}

/**
 * A parameter's AllowedValues, as strings: the only values a deploy may pass it. Undefined for a list
 * parameter (`CommaDelimitedList`, `List<...>`: each item is checked, `!Ref` gives the list), and where the
 * list is not one of scalars.
 */
function allowedValues(parameter: CNode | null): string[] | undefined {
  if (/List/.test(scalarString(child(parameter, 'Type') ?? null) ?? '')) return undefined;
  const list = child(parameter, 'AllowedValues');
  if (list?.kind !== 'seq' || list.items.length === 0) return undefined;
  const values = list.items.map((i) => scalarString(resolveAlias(i)));
  return values.every((v) => v !== undefined) ? (values as string[]) : undefined;
}

/** The parameter a setting is `!Ref` to and its default, when it has one. */
export function parameterDefault(
  node: CNode | null | undefined,
  defaults: Defaults | undefined,
): { name: string; value: CNode } | undefined {
  if (!defaults || defaults.size === 0 || intrinsicName(node) !== 'Ref') return undefined;
  const name = referencedIds(node)[0];
  const value = name === undefined ? undefined : defaults.get(name);
  return value === undefined ? undefined : { name, value };
}

function viaParameter(name: string, value: CNode): string {
  const v = value.kind === 'scalar' ? value.value : undefined;
  return `parameter ${name}'s default (${v === '' || v === null || v === undefined ? "''" : String(v)})`;
}

/** How a value computed in code (CNode.code) is worded. */
const COMPUTED = 'a value computed in code, which kmsfix does not read';

/**
 * A KMSMasterKeyId as written: the text of an intrinsic function that names a key is read where it can be (Fn::Sub,
 * Fn::Join). A serverless.ts's key comes here too, its TypeScript handed over as a node tree (typescript/cfnTree.ts).
 */
export function keySetting(text: string, node: CNode | null | undefined, defaults?: Defaults): Setting {
  // A parameter's Default read for the key gives its own text: not this node's.
  const { written: _, ...s } = keyRead(text, node, defaults);
  if (!node || s.source !== snippet(text, node)) return s;
  // Where the snippet cuts the key, the key in full (Setting.written): the key a fix keeps is named with it.
  const whole = writtenText(text, node);
  return whole === s.source ? s : { ...s, written: whole };
}

/**
 * A global table replica's KMSMasterKeyId (`region`: its Region as written, for messages), from its SSESpecification: that mapping's key; none where the replica has
 * none (or `!Ref AWS::NoValue`). An SSESpecification written as an intrinsic function (`!If [Cond, {KMSMasterKeyId:
 * ...}, !Ref AWS::NoValue]`, short or long form) or as anything but a mapping is a key kmsfix cannot read, as a table's
 * SSESpecification or a replica's KMSMasterKeyId chosen by Fn::If is: never taken for none (a fix would replace the
 * key the condition picks in some stacks).
 */
export function replicaKeySetting(text: string, sse: CNode | null | undefined, region: string, defaults?: Defaults): Setting {
  const written = isNoValue(sse) ? undefined : resolveAlias(sse);
  const plain = !written || (written.kind === 'map' && !intrinsicName(written)) || (written.kind === 'scalar' && written.value === null);
  if (plain) return keySetting(text, child(written, 'KMSMasterKeyId'), defaults);
  const choices = ifChoices(written);
  const source = snippet(text, written);
  return {
    state: 'unreadable',
    source: choices
      ? `replica ${region} SSESpecification is ${chosenByIf(choices.condition, defaults)} (${source})`
      : `replica ${region} SSESpecification is ${source}, which kmsfix does not read`,
    raw: { unresolved: intrinsicName(written) ?? written.kind },
  };
}

/**
 * A constant of AWS's rain tool in a key (`!Rain::Constant x`, `!Sub "alias/${Rain::x}"`, `!Sub "${Const::x}"`): rain
 * puts the template's `Rain: Constants:` (or `Constants:`) value in at package time, which may be the AWS managed key
 * (adversarial pass of session 62, F4); not read yet, so the key is not known. Undefined where the key holds none.
 */
function rainConstantIn(text: string, node: CNode): string | undefined {
  if (node.tag === '!Rain::Constant') return 'a rain constant';
  if (!intrinsicName(node)) return undefined;
  return /\$\{(Rain|Const)::[^}]*\}/.test(writtenText(text, node)) ? 'a rain constant in a Fn::Sub' : undefined;
}

function keyRead(text: string, node: CNode | null | undefined, defaults?: Defaults): Setting {
  if (!node) return node === null ? { ...ABSENT, raw: null } : ABSENT;
  const source = snippet(text, node);
  const raw = keyRawOf(node);
  const rain = rainConstantIn(text, node);
  if (rain) return { state: 'unreadable', source: `KMSMasterKeyId is ${source}, ${rain}, which kmsfix does not read`, raw };
  const across = parameterAcross(node, defaults);
  if (across) return keyAcross(across, source, raw);
  const param = parameterDefault(node, defaults);
  if (param) {
    // A service's Default may be a Framework variable (`Default: ${self:custom.tableKey}`), resolved as a key's is.
    const d = keySetting(text, param.value, defaults?.service ? defaults : undefined);
    if (d.state === 'literal') return { ...d, source, raw, via: viaParameter(param.name, param.value) };
    if (d.state === 'unreadable' && defaults?.service) return { ...d, raw };
    if (param.value.code)
      return { state: 'unreadable', source: `KMSMasterKeyId is ${source}, ${COMPUTED} (parameter ${param.name}'s Default)`, raw };
  }
  // A value a serverless.ts computes in code (src/formats/typescript/cfnTree.ts): it may be the AWS managed key.
  if (node.code) return { state: 'unreadable', source: `KMSMasterKeyId is ${source}, ${COMPUTED}`, raw };
  // A parameter of an SSM parameter type: the key is what SSM holds in each account, which the code does not tell (the
  // rule of src/rule/storedKey.ts, which a dynamic reference and a Serverless `${ssm:...}` follow too).
  const ssm = intrinsicName(node) === 'Ref' ? referencedIds(node)[0] : undefined;
  if (ssm !== undefined && defaults?.ssm?.has(ssm))
    return {
      state: 'unreadable',
      source: `KMSMasterKeyId is ${source}, a parameter whose value SSM holds in each account (its Type names an SSM parameter)`,
      raw,
    };
  if (node.kind === 'scalar' && (node.value === null || node.value === '')) {
    return { state: 'literal', source, text: node.value === null ? undefined : '', raw };
  }
  const fn = intrinsicName(node);
  if (!fn) {
    const s = scalarString(node);
    if (s === undefined) return { state: 'unreadable', source: `KMSMasterKeyId is not a string (${source})`, raw };
    // A dynamic reference (`{{resolve:ssm:/keys/ddb}}`): what SSM or Secrets Manager holds in each account, not known
    // (src/rule/storedKey.ts: as a parameter of an SSM parameter type).
    const store = dynamicReferenceStore(s);
    if (store) return { state: 'unreadable', source: `KMSMasterKeyId is ${source}, ${storedKeyWords(store, 'a dynamic reference')}`, raw };
    const p = placeholderIn(s);
    if (p !== undefined) return { state: 'unreadable', source: placeholderSetting('KMSMasterKeyId', p), raw };
    // A Serverless Framework variable (`${file(...)}`, `${param:x}`, `${self:...}`): what the service gives it.
    // A value the service file holds that a variable names is read as the key written here is (variables.ts KeyReader):
    // `!Ref AWS::NoValue` too, the key not written.
    const held = (n: CNode) => keySetting(text, isNoValue(n) ? undefined : n, defaults);
    const service = defaults?.service ? serviceKeySetting(s, defaults, source, raw, held) : undefined;
    if (service) return service;
    return { state: 'literal', source, text: s, raw };
  }
  if (fn === 'Fn::If') return { state: 'unreadable', source: `KMSMasterKeyId is chosen by Fn::If (${source})`, raw };
  const arg = intrinsicArg(node);
  if (fn === 'Fn::FindInMap') {
    // The values the lookup may give in any deploy (a parameter's AllowedValues pick their keys; environments.ts).
    const looked = defaults ? mapLookup(arg ?? null, everyDeploy(defaults)) : undefined;
    const managed = looked ? [...looked.values].filter(isAwsManagedKeyRef).length : 0;
    // Every value the lookup may give is the AWS managed key: that key; some are: decided at deploy time.
    if (looked && managed > 0 && managed === looked.values.size && !looked.other)
      return { state: 'literal', source, text: AWS_MANAGED_ALIAS, raw };
    if (managed > 0)
      return {
        state: 'unreadable',
        source: `KMSMasterKeyId is looked up by Fn::FindInMap (${source}) in a mapping where some values are ${AWS_MANAGED_ALIAS}`,
        raw,
      };
  }
  const composed = composedKey(node, defaults, source, raw);
  if (composed) return composed;
  let known: string | undefined;
  if (fn === 'Fn::Sub') known = arg?.kind === 'seq' ? scalarValue(arg.items[0]) : scalarValue(arg);
  if (fn === 'Fn::Join' && arg?.kind === 'seq') {
    const parts = arg.items[1];
    const last = parts?.kind === 'seq' ? scalarValue(parts.items[parts.items.length - 1]) : undefined;
    // The joined string ends with its last part.
    if (last?.endsWith(AWS_MANAGED_ALIAS)) known = AWS_MANAGED_ALIAS;
  }
  const state = fn === 'Ref' || fn === 'Fn::GetAtt' || fn === 'Fn::ImportValue' ? 'reference' : 'expression';
  return known === undefined ? { state, source, raw } : { state, source, text: known, raw };
}

/**
 * A Serverless service's (a serverless.yml's, or a serverless.ts's handed over as a node tree: typescript/cfnTree.ts)
 * inputs for its settings: the service file, for the variables a setting names; the Parameters of its `resources`
 * (their Defaults, read as a template's are: the Framework passes its stack no parameter values, so a `Ref` to a
 * parameter is its Default; a serverless.yml's `{Ref: KeyArn}` defaulting to alias/aws/dynamodb was customer-managed,
 * where a template's is aws-managed). No SAM configuration is read for it.
 */
export function serviceDefaults(root: CMap): Defaults {
  const resources = resolveAlias(child(root, 'resources') ?? null);
  const out = defaultsOf(resources?.kind === 'map' ? resources : undefined, undefined);
  // Not its Conditions and Mappings: they compare and look up Framework variables (`Fn::Equals: ['${sls:stage}', prod]`),
  // which the Framework resolves before CloudFormation evaluates them (read as written, IsProd was false in every deploy).
  delete out.conditions;
  delete out.mappings;
  delete out.reads;
  out.service = root;
  return out;
}

/** SSEEnabled as written. */
function enabledSetting(text: string, node: CNode | null | undefined, yaml11: boolean, defaults?: Defaults): Setting {
  if (node === undefined) return ABSENT;
  const source = snippet(text, node);
  const across = parameterAcross(node, defaults);
  if (across) return enabledAcross(across, source, rawOf(node));
  const param = parameterDefault(node, defaults);
  if (param) {
    const d = enabledSetting(text, param.value, yaml11);
    if (d.bool !== undefined) return { ...d, source, raw: rawOf(node), via: viaParameter(param.name, param.value) };
  }
  const p = placeholderIn(scalarString(node) ?? '');
  if (p !== undefined) return { state: 'unreadable', source: placeholderSetting('SSEEnabled', p), raw: rawOf(node) };
  const b = boolOf(node, yaml11);
  return {
    state: node?.kind === 'scalar' && !node.tag ? 'literal' : 'expression',
    source,
    bool: b === 'unknown' ? undefined : b,
    raw: rawOf(node),
  };
}

/**
 * SSEType as written: an intrinsic function is decided at deploy time; a literal's text (Setting.text) is what the rule
 * reads, KMS being its one value (any other is rejected: src/rule/cmk.ts wrongType).
 */
function sseTypeSetting(text: string, node: CNode | null | undefined, defaults?: Defaults): Setting {
  if (node === undefined) return ABSENT;
  const across = parameterAcross(node, defaults);
  if (across && 'values' in across && across.values.every((v) => v.value === 'KMS'))
    return { state: 'literal', source: snippet(text, node), raw: rawOf(node), via: viaEnvironments(across) };
  const param = parameterDefault(node, defaults);
  if (param && scalarString(param.value) === 'KMS')
    return { state: 'literal', source: snippet(text, node), raw: rawOf(node), via: viaParameter(param.name, param.value) };
  const p = placeholderIn(scalarString(node) ?? '');
  if (p !== undefined) return { state: 'unreadable', source: placeholderSetting('SSEType', p), raw: rawOf(node) };
  if (intrinsicName(node)) return { state: 'expression', source: snippet(text, node), raw: rawOf(node) };
  const written = scalarString(node);
  const s: Setting = { state: 'literal', source: snippet(text, node), raw: rawOf(node) };
  return written === undefined ? s : { ...s, text: written };
}

/**
 * The table's (or global table's) SSESpecification; a table's Properties first. `yaml11`: the
 * template is CloudFormation's YAML 1.1 (not JSON, not a serverless.yml, which the Serverless
 * Framework reads as YAML 1.2 and sends as JSON), so a plain `SSEEnabled: yes` is true.
 */
export function settingsOf(
  text: string,
  resource: CMap,
  global: boolean,
  yaml11: boolean,
  defaults?: Defaults,
  inherited?: CMap,
): Settings {
  const props = child(resource, 'Properties');
  // What a Fn::Transform key inserts into the resource or its Properties (a snippet, a macro's output) may set them.
  const transform = transformIn(resource, 'the resource includes') ?? transformIn(props, 'Properties include');
  if (transform) return { model: 'unreadable', container: { state: 'unreadable', source: transform } };
  if (!global && props && intrinsicName(props))
    return { model: 'unreadable', container: { state: 'expression', source: snippet(text, props) } };
  // A scalar as the whole Properties: a Serverless variable (`${file(./orders.yml)}`, `${self:custom.orders}`)
  // the Framework replaces with a mapping kmsfix does not read (a fix would replace it, and the table with it).
  const whole = resolveAlias(props);
  if (whole && whole.kind !== 'map' && !(whole.kind === 'scalar' && whole.value === null))
    return { model: 'unreadable', container: { state: 'expression', source: snippet(text, whole) } };
  return sseSettingsOf(text, child(props, 'SSESpecification'), global, yaml11, defaults, inherited);
}

/** `!Ref AWS::NoValue`: the property is not written. */
function isNoValue(node: CNode | null | undefined): boolean {
  return intrinsicName(node) === 'Ref' && referencedIds(node)[0] === 'AWS::NoValue';
}

/**
 * `Fn::If [Condition, a, b]`: the condition's name and the two values it chooses between (undefined
 * for `!Ref AWS::NoValue`: not written); undefined for any other node.
 */
function ifChoices(node: CNode | null | undefined): { condition: string; values: (CNode | undefined)[] } | undefined {
  if (intrinsicName(node) !== 'Fn::If') return undefined;
  const arg = intrinsicArg(node!);
  const condition = arg?.kind === 'seq' && arg.items.length === 3 ? scalarValue(arg.items[0]) : undefined;
  if (condition === undefined) return undefined;
  const values = (arg as CSeq).items.slice(1).map((item) => {
    const b = resolveAlias(item);
    return isNoValue(b) ? undefined : (b ?? undefined);
  });
  return { condition, values };
}

/**
 * A serverless.ts's SSESpecification written as an intrinsic function (`{ 'Fn::If': [...] }`), handed over as a node tree
 * (typescript/cfnTree.ts): read as a serverless.yml's, each choice's settings as that choice makes them.
 */
export function serviceSseSettings(text: string, sse: CNode, global: boolean, defaults: Defaults): Settings {
  return sseSettingsOf(text, sse, global, false, defaults);
}

/** A node as written, on one line, whole (snippet shortens it): what a roll back gives back when it cannot word each choice (Branches.written). */
function whole(text: string, node: CNode | null | undefined): string {
  if (!node) return '';
  const tag = node.tag ? text.lastIndexOf(node.tag, node.start) : -1;
  const start = tag !== -1 && node.start - tag < 200 ? tag : node.start;
  return text.slice(start, node.end).replace(/\s+/g, ' ').trim();
}

/** An SSESpecification (or one of a Fn::If's choices for it) read into settings. */
export function sseSettingsOf(
  text: string,
  sse: CNode | null | undefined,
  global: boolean,
  yaml11: boolean,
  defaults?: Defaults,
  inherited?: CMap,
): Settings {
  // `!Ref AWS::NoValue` (as SSESpecification or as one of its settings) is the property not written.
  if (isNoValue(sse)) sse = undefined;
  const own = !(sse === undefined || sse === null || (sse.kind === 'scalar' && sse.value === null));
  if (!own && !inherited) {
    // A null node (an alias that cannot be resolved): peers see a block they cannot read.
    return sse === null ? { model: 'sse', block: ABSENT, peerBlock: 'unresolved' } : { model: 'sse', block: ABSENT };
  }
  const transform = own ? transformIn(sse, 'SSESpecification includes') : undefined;
  if (transform) return { model: 'sse', block: { state: 'unreadable', source: transform } };
  if (own && (intrinsicName(sse) || sse!.kind !== 'map')) {
    const choices = ifChoices(sse);
    // Fn::If worded by its condition and what that reads: the value as written, put on one line, reads as noise.
    const source = choices ? chosenByIf(choices.condition, defaults) : snippet(text, sse);
    const settings: Settings = { model: 'sse', block: { state: 'expression', source } };
    if (choices)
      settings.branches = ifBranches('block', source, whole(text, sse), choices, defaults, (c, d) =>
        sseSettingsOf(text, c, global, yaml11, d),
      );
    return settings;
  }
  // SAM Globals (`Globals: SimpleTable: SSESpecification`): each setting the table does not write
  // comes from there, and says so; peer scanners read the resource alone (no raw value for them).
  const read = (key: string, setting: (node: CNode | null | undefined) => Setting): Setting => {
    const written = child(sse, key);
    const mine = own && !isNoValue(written) ? pair(sse, key) : undefined;
    if (mine || !inherited || !pair(inherited, key)) return setting(isNoValue(written) ? undefined : written);
    const { raw: _, ...s } = setting(child(inherited, key));
    return { ...s, via: s.via ? `${s.via} in Globals.SimpleTable` : 'Globals.SimpleTable.SSESpecification' };
  };
  const settings: Settings = {
    model: 'sse',
    block: { state: 'literal', source: '' },
    enabled: read('SSEEnabled', (n) => enabledSetting(text, n, yaml11, defaults)),
    sseType: read('SSEType', (n) => sseTypeSetting(text, n, defaults)),
  };
  if (!own) settings.peerBlock = 'missing';
  // A global table's keys are its replicas'. A table's key without SSEType: CloudFormation rejects it (src/rule/cmk.ts untypedKey).
  if (!global) {
    settings.key = read('KMSMasterKeyId', (n) => keySetting(text, n, defaults));
    settings.keyNeedsType = true;
  }
  // A switch or key that Fn::If chooses (the first that does): the settings as each choice makes them.
  const enabledChoices = own ? ifChoices(child(sse, 'SSEEnabled')) : undefined;
  const keyChoices = own && !global && !enabledChoices ? ifChoices(child(sse, 'KMSMasterKeyId')) : undefined;
  if (enabledChoices)
    settings.branches = ifBranches(
      'enabled',
      settings.enabled!.source,
      `SSEEnabled: ${whole(text, child(sse, 'SSEEnabled'))}`,
      enabledChoices,
      defaults,
      (c, d) => ({ ...settings, enabled: c ? enabledSetting(text, c, yaml11, d) : ABSENT }),
    );
  else if (keyChoices)
    settings.branches = ifBranches(
      'key',
      snippet(text, child(sse, 'KMSMasterKeyId')),
      `KMSMasterKeyId: ${whole(text, child(sse, 'KMSMasterKeyId'))}`,
      keyChoices,
      defaults,
      (c, d) => ({ ...settings, key: c ? keySetting(text, c, d) : ABSENT }),
    );
  const switchInput =
    !enabledChoices && !keyChoices && !global && settings.key?.state === 'absent'
      ? inputSwitch(child(sse, 'SSEEnabled'), defaults)
      : undefined;
  if (switchInput) {
    // Each value the input may take, true then false (the ones it cannot take: no stack's), as a literal switch.
    const each = [true, false].map((bool): Settings => ({ ...settings, enabled: { state: 'literal', source: String(bool), bool } }));
    settings.branches = {
      name: 'enabled',
      source: settings.enabled!.source,
      condition: switchInput.name,
      input: switchInput.words,
      written: `SSEEnabled: ${whole(text, child(sse, 'SSEEnabled'))}`,
      settings: each,
    };
    if (switchInput.values.length === 1) settings.branches.chosen = { indexes: [switchInput.values[0] ? 0 : 1], by: switchInput.words };
  }
  return settings;
}

/**
 * An SSEEnabled whose value an input gives with no Default to read (Branches.input): `!Ref` to a parameter with no Default
 * that no environment sets, its AllowedValues true or false or none (SSEEnabled takes no other), or a Serverless variable
 * that picks from a map of true and false (serverlessSwitch). Its name, the values it may take (true first), and words.
 */
function inputSwitch(
  node: CNode | null | undefined,
  defaults: Defaults | undefined,
): { name: string; values: boolean[]; words: string } | undefined {
  if (!defaults) return undefined;
  if (defaults.service) {
    const s = scalarString(node ?? null);
    const found = s === undefined ? undefined : serverlessSwitch(s, defaults.service);
    return (
      found && {
        name: found.path,
        values: found.values,
        words: `${found.path}'s values (${found.values.join(', ')}), picked by a variable`,
      }
    );
  }
  if (intrinsicName(node) !== 'Ref' || parameterAcross(node, defaults) || parameterDefault(node, defaults)) return undefined;
  const name = referencedIds(node)[0];
  if (name === undefined || !defaults.declared?.has(name) || defaults.has(name)) return undefined;
  const allowed = defaults.allowed?.get(name);
  if (allowed && !allowed.every((v) => /^(true|false)$/i.test(v.trim()))) return undefined;
  const values = [true, false].filter((b) => !allowed || allowed.some((v) => v.trim().toLowerCase() === String(b)));
  if (values.length === 0) return undefined;
  return { name, values, words: `parameter ${name}'s values (${values.join(', ')}; no Default)` };
}

/**
 * The settings an Fn::If's choices make (`each`: one choice read with the defaults of the environments that pick it,
 * picksIn), named `name`, as written `source` (shortened) and `written` (whole), and the choices the environments
 * pick, when they decide the condition.
 */
function ifBranches(
  name: Branches['name'],
  source: string,
  written: string,
  choices: { condition: string; values: (CNode | undefined)[] },
  defaults: Defaults | undefined,
  each: (choice: CNode | undefined, defaults: Defaults | undefined) => Settings,
): Branches {
  const picks = picksIn(defaults, choices.condition);
  const branches: Branches = {
    name,
    source,
    condition: choices.condition,
    written,
    settings: choices.values.map((c, i) => each(c, picks.defaults[i])),
  };
  if (picks.chosen) branches.chosen = picks.chosen;
  return branches;
}

function rawOf(node: CNode | null | undefined): Raw | undefined {
  if (node === undefined) return undefined;
  if (node === null) return null;
  const fn = intrinsicName(node);
  if (fn || node.kind !== 'scalar') return { unresolved: fn ?? node.kind };
  return (node.value as Raw) ?? null;
}

function keyRawOf(node: CNode | null | undefined): Raw | Reference | undefined {
  const fn = intrinsicName(node);
  if (fn === 'Ref' || fn === 'Fn::GetAtt' || fn === 'Fn::ImportValue') return { ref: referencedIds(node)[0] ?? fn };
  return rawOf(node);
}

/** A Fn::ForEach loop around a table, as its key is read per value: the loop's path, identifier, and values where written as a list. */
export interface KeyLoop {
  path: string;
  identifier: string;
  values?: string[];
}

/** Does the node (or anything in it) name the identifier: `!Ref Pair`, or `${Pair}` in a string (a Fn::Sub's)? */
function namesIdentifier(node: CNode | null | undefined, identifier: string): boolean {
  const n = resolveAlias(node ?? null);
  if (!n) return false;
  if (intrinsicName(n) === 'Ref') return referencedIds(n)[0] === identifier;
  if (n.kind === 'scalar') return typeof n.value === 'string' && n.value.includes('${' + identifier + '}');
  if (n.kind === 'seq') return n.items.some((i) => namesIdentifier(i, identifier));
  return n.kind === 'map' && n.pairs.some((p) => namesIdentifier(p.value, identifier));
}

/**
 * A KMSMasterKeyId that names a Fn::ForEach identifier (`!Ref KeyArn`, `!Sub '${Pair}'`): each generated table's key
 * is the text with that table's value put in. Read per value where each loop's collection is a list written in the
 * template: the AWS managed key for some value is the loop's (its worst), the value named, `partly` where only some
 * tables have it (a fix in the loop body would replace the others' keys too); the key read as before where no value
 * gives it. Unknown where a collection is not such a list (a parameter's: a deploy may pass any values) or the key is
 * more than a `Ref` or a `Fn::Sub` string. Undefined where the key names no identifier, and for a `Fn::GetAtt` or
 * `Fn::ImportValue` (a key resource's ARN, an export: read as they are outside a loop).
 */
export function loopKeySetting(
  text: string,
  node: CNode | null | undefined,
  loops: KeyLoop[],
): { setting: Setting; partly?: string } | undefined {
  const named = loops.filter((l) => namesIdentifier(node, l.identifier));
  if (!node || named.length === 0) return undefined;
  const fn = intrinsicName(node);
  // A resource's attribute (a fix's `!GetAtt [!Sub '${Name}TableKey', Arn]`) or an export: read as any other, the same for each value.
  if (fn === 'Fn::GetAtt' || fn === 'Fn::ImportValue') return undefined;
  const source = snippet(text, node);
  const raw = keyRawOf(node);
  const where = named.map((l) => `${l.identifier} of ${l.path}`).join(' and ');
  const unknown = (why: string) => ({
    setting: { state: 'unreadable' as const, source: `KMSMasterKeyId is ${source}, which names ${where}: ${why}`, raw },
  });
  if (named.some((l) => !l.values))
    return unknown(
      'the collection is not a list written in the template (a deploy may pass any values), so the key each generated table gets is not known',
    );
  const arg = intrinsicArg(node);
  const written =
    fn === 'Ref'
      ? '${' + referencedIds(node)[0] + '}'
      : fn === 'Fn::Sub'
        ? arg?.kind === 'seq'
          ? scalarValue(arg.items[0])
          : scalarValue(arg)
        : undefined;
  if (written === undefined) return unknown('kmsfix reads such a key per value only as a Ref or a Fn::Sub string');
  let keys = [{ key: written, values: [] as string[] }];
  for (const l of named)
    keys = keys.flatMap((k) =>
      l.values!.map((v) => ({ key: k.key.split('${' + l.identifier + '}').join(v), values: [...k.values, `${l.identifier} is ${v}`] })),
    );
  const managed = keys.filter((k) => isAwsManagedKeyRef(k.key));
  if (managed.length === 0) return undefined;
  const setting: Setting = {
    state: 'literal',
    source: `${source} (${AWS_MANAGED_ALIAS} where ${managed[0]!.values.join(' and ')}, in ${named.map((l) => l.path).join(' and ')})`,
    text: AWS_MANAGED_ALIAS,
    raw,
  };
  return managed.length === keys.length
    ? { setting }
    : {
        setting,
        partly: `its KMSMasterKeyId ${source} is the AWS managed key (a fix would replace the other tables' own keys too) only for the tables where ${managed.map((k) => k.values.join(' and ')).join('; ')}`,
      };
}
