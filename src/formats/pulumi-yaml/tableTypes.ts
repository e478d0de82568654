/** What Pulumi YAML detection finds: a file's programs (`Program`), their tables (`PulumiTable`) and the file's detection (`PulumiDetection`). */
import type { Detection, TableFacts } from '../../core/types.js';
import type { SseEdit } from '../yaml/anchors.js';
import type { CMap, CNode, CPair } from '../yaml/tree.js';

export const TABLE_TYPE = 'aws:dynamodb:Table';

/** Where a table's encryption is, under its resource. */
export const SSE_PATH = { properties: 'properties', sse: 'serverSideEncryption' };

export interface Program {
  root: CMap;
  resources: CMap;
  doc: number;
}

export interface PulumiTable extends TableFacts {
  program: Program;
  pair: CPair;
  resource: CMap;
  /** Anchored nodes (aliased elsewhere) that fixing this table edits. */
  shared: SseEdit['shared'];
  /** Something keeps the table or its data past a destroy (retention.ts destroyKeeps): the key is kept too (`retainOnDelete: true`). */
  retain: boolean;
  /** `options: provider: ${name}`: that provider resource's name (the key and its policy's lookups go through it). */
  provider?: string;
  /** A key written as a config value's name (`kmsKeyArn: ${tableKey}`, no variable of that name), or looked up by the alias or key one names (`fn::invoke` of aws:kms:getAlias, `name: ${keyAlias}`; of aws:kms:getKey, `keyId: ${tableKey}`): that name (pulumi/stacks.ts). */
  config?: string;
}

export interface PulumiDetection extends Detection {
  tables: PulumiTable[];
  programs: Program[];
  roots: (CNode | null)[];
  /** Where the file's YAML aliases start, every document's, in text order (empty: none). */
  aliases: number[];
  /** The text the roots were parsed from. */
  text: string;
}
