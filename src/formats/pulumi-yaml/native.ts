/**
 * Pulumi YAML resources of Pulumi's AWS Native provider, `aws-native:dynamodb:Table` and
 * `aws-native:dynamodb:GlobalTable`. The provider is generated from the CloudFormation schema, so they
 * are read as CloudFormation's tables are (sseSpecification { sseEnabled, sseType, kmsMasterKeyId }; a
 * global table's keys are its replicas' `sseSpecification.kmsMasterKeyId`), and never fixed (obstacle aws-native).
 */
import {
  ABSENT,
  type EncryptionFacts,
  type Replica,
  type Replicas,
  type Setting,
  type Settings,
  type Vocabulary,
} from '../../rule/facts.js';
import { snippet } from '../yaml/scalars.js';
import { child, resolveAlias, type CNode } from '../yaml/tree.js';
import { keySettingOf, switchSettingOf } from './settings.js';

const TABLE = 'aws-native:dynamodb:Table';
const GLOBAL_TABLE = 'aws-native:dynamodb:GlobalTable';
export const NATIVE_TYPES = new Set([TABLE, GLOBAL_TABLE]);

const REPLICA_KEYS =
  'a KMS key serves one Region: deploy a customer-managed key (or a multi-Region replica key) in {regions} and set ' +
  "each such replica's sseSpecification.kmsMasterKeyId to its ARN; kmsfix never half-fixes a global table";

const WORDS: Vocabulary = {
  names: {
    container: 'properties',
    block: 'sseSpecification',
    enabled: 'sseEnabled',
    sseType: 'sseType',
    key: 'kmsMasterKeyId',
    replicas: 'replicas',
    replicaKey: 'replica {region} kmsMasterKeyId',
  },
  phrases: { keyAbsent: 'encryption is enabled with no {key}', replicaKeys: REPLICA_KEYS },
};

const isNull = (n: CNode | null | undefined) => n === undefined || n === null || (n.kind === 'scalar' && n.value === null);

/** sseSpecification as written: the switch, sseType (only a value that is not a string matters), and a table's key. */
function settingsOf(text: string, props: CNode | null | undefined, global: boolean): Settings {
  const sse = child(props, 'sseSpecification');
  if (isNull(sse)) return { model: 'sse', block: ABSENT };
  const m = resolveAlias(sse!);
  if (m?.kind !== 'map') return { model: 'sse', block: { state: 'expression', source: snippet(text, sse!) } };
  const settings: Settings = {
    model: 'sse',
    block: { state: 'literal', source: '' },
    enabled: switchSettingOf(text, child(m, 'sseEnabled'), 'sseEnabled'),
    sseType: sseTypeOf(text, child(m, 'sseType')),
  };
  if (!global) settings.key = keySettingOf(text, child(m, 'kmsMasterKeyId'), 'kmsMasterKeyId');
  return settings;
}

/** sseType as written: an interpolation (`${name}`) or a value that is not a string is decided at deploy time. */
function sseTypeOf(text: string, node: CNode | null | undefined): Setting {
  const s = keySettingOf(text, node, 'sseType');
  return s.state === 'literal' && s.text?.includes('${') ? { ...s, state: 'expression' } : s;
}

/** A global table's replicas, each with its own key (`region`, `sseSpecification.kmsMasterKeyId`). */
function replicasOf(text: string, props: CNode | null | undefined): Replicas {
  const node = child(props, 'replicas');
  const replicas: Replicas = { keys: 'own', list: ABSENT, items: [], fix: 'none' };
  if (isNull(node)) {
    replicas.list = { state: 'absent', source: 'missing' };
    return replicas;
  }
  const list = resolveAlias(node!);
  if (list?.kind !== 'seq') {
    replicas.list = { state: 'expression', source: snippet(text, node!) };
    return replicas;
  }
  replicas.list = { state: 'literal', source: snippet(text, list) };
  replicas.items = list.items.map((item): Replica => {
    const m = resolveAlias(item);
    const source = snippet(text, item);
    if (m?.kind !== 'map') return { source, readable: false, key: ABSENT };
    const region = child(m, 'region');
    const sse = resolveAlias(child(m, 'sseSpecification') ?? null);
    const key = sse?.kind === 'map' ? keySettingOf(text, child(sse, 'kmsMasterKeyId'), 'kmsMasterKeyId') : ABSENT;
    return { source, readable: true, ...(region ? { region: { source: snippet(text, region), local: false } } : {}), key };
  });
  return replicas;
}

/** The encryption facts of an aws-native table resource (`type` one of NATIVE_TYPES). */
export function nativeFacts(text: string, type: string, props: CNode | null | undefined): EncryptionFacts {
  const global = type === GLOBAL_TABLE;
  const facts: EncryptionFacts = {
    // No peer scanner reads aws-native resources of Pulumi YAML.
    peerKind: 'code',
    words: WORDS,
    settings: settingsOf(text, props, global),
    obstacles: [{ kind: 'aws-native', where: 'properties', keyArn: '${key.arn}' }],
  };
  if (global) facts.replicas = replicasOf(text, props);
  return facts;
}
