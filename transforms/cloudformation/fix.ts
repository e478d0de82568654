/**
 * Planning the edits that make tables customer-managed: set SSESpecification on each table
 * (editing what is there, adding what is missing) and add a KMS key and alias beside it.
 * Every edit is a text range; nothing is re-serialized.
 */
import { keyDescription } from '../../src/keyPolicy.js';
import { lineEndOf, lineIndentOf, lineStartOf, trimBack } from '../../src/text.js';
import type { Edit, FilePlan, FixOptions, GroupMember } from '../../src/types.js';
import { boolOf, type CfnDetection, type CfnTable, type CfnTemplate } from './detect.js';
import { jsonCompact, jsonValue, yamlBlock, yamlFlow, yamlInline, yamlPairs } from './render.js';
import { detectStyle, type FileStyle } from './style.js';
import { child, pair, scalarString, type CMap, type CNode, type CPair } from './tree.js';
import { aliasResource, getAtt, keyResource, type Value } from './values.js';

/** Shared with other YAML/JSON families (Pulumi YAML): the map-edit operations below. */
export interface Ctx {
  text: string;
  json: boolean;
  style: FileStyle;
  edits: Edit[];
}

/** What a key must hold: a value (replaced when `replace` says so) or nested settings. */
export type Setting =
  | { key: string; value: Value; replace: (node: CNode | null) => boolean }
  | { key: string; nested: Setting[] };

function settingValue(s: Setting): Value {
  return 'nested' in s ? Object.fromEntries(s.nested.map((n) => [n.key, settingValue(n)])) : s.value;
}

// ---------------------------------------------------------------- text positions

function colonAfter(text: string, p: CPair): number {
  const i = text.indexOf(':', p.keyEnd);
  return i === -1 ? p.keyEnd : i;
}

/** Where a pair's text ends (its value, or its colon when the value is empty). */
function pairEnd(ctx: Ctx, p: CPair): number {
  const v = p.value;
  if (!v || v.start === v.end) return colonAfter(ctx.text, p) + 1;
  return trimBack(ctx.text, v.end, v.start);
}

/** The indentation of a map's keys, as text (keys after `- ` get spaces of the same width). */
function keyIndent(ctx: Ctx, keyStart: number): string {
  const prefix = ctx.text.slice(lineStartOf(ctx.text, keyStart), keyStart);
  return /^[ \t]*$/.test(prefix) ? prefix : lineIndentOf(ctx.text, keyStart) + ' '.repeat(prefix.length - lineIndentOf(ctx.text, keyStart).length);
}

// ---------------------------------------------------------------- edit operations

export function insertPairs(ctx: Ctx, map: CMap, entries: [string, Value][], after?: CPair): void {
  const { text, style } = ctx;
  const eol = style.eol;
  const anchor = after ?? map.pairs[map.pairs.length - 1];
  if (!anchor) {
    // An empty flow mapping: `{}`.
    const body = ctx.json
      ? entries.map(([k, v]) => `${JSON.stringify(k)}: ${jsonCompact(v)}`).join(', ')
      : entries.map(([k, v]) => `${k}: ${yamlFlow(v, style.yaml)}`).join(', ');
    ctx.edits.push({ start: map.start, end: map.end, text: ctx.json ? `{ ${body} }` : `{${body}}` });
    return;
  }
  const at = pairEnd(ctx, anchor);
  if (ctx.json) {
    const multiline = lineStartOf(text, map.pairs[0].keyStart) !== lineStartOf(text, map.start);
    if (multiline) {
      const indent = lineIndentOf(text, map.pairs[0].keyStart);
      const body = entries.map(([k, v]) => `,${eol}${indent}${JSON.stringify(k)}: ${jsonValue(v, indent, style.json, eol)}`).join('');
      ctx.edits.push({ start: at, end: at, text: body });
    } else {
      ctx.edits.push({ start: at, end: at, text: entries.map(([k, v]) => `, ${JSON.stringify(k)}: ${jsonCompact(v)}`).join('') });
    }
    return;
  }
  if (map.flow) {
    ctx.edits.push({ start: at, end: at, text: entries.map(([k, v]) => `, ${k}: ${yamlFlow(v, style.yaml)}`).join('') });
    return;
  }
  const pos = lineEndOf(text, at);
  const lines = yamlPairs(entries, keyIndent(ctx, map.pairs[0].keyStart), style.yaml);
  ctx.edits.push({ start: pos, end: pos, text: eol + lines.join(eol) });
}

function replaceValue(ctx: Ctx, map: CMap, p: CPair, v: Value): void {
  const { text, style } = ctx;
  const colon = colonAfter(text, p);
  const end = pairEnd(ctx, p);
  if (ctx.json) {
    const start = p.value ? p.value.start : colon + 1;
    ctx.edits.push({ start, end, text: jsonValue(v, lineIndentOf(text, p.keyStart), style.json, style.eol) });
    return;
  }
  if (map.flow) {
    ctx.edits.push({ start: colon + 1, end, text: ' ' + yamlFlow(v, style.yaml) });
    return;
  }
  const inline = yamlInline(v, style.yaml);
  const replacement =
    inline !== undefined ? ' ' + inline : style.eol + yamlBlock(v, keyIndent(ctx, p.keyStart), style.yaml).join(style.eol);
  ctx.edits.push({ start: colon + 1, end, text: replacement });
}

export function applySettings(ctx: Ctx, map: CMap, settings: Setting[]): void {
  const missing: [string, Value][] = [];
  for (const s of settings) {
    const p = pair(map, s.key);
    if (!p) {
      missing.push([s.key, settingValue(s)]);
    } else if ('nested' in s) {
      if (p.value?.kind === 'map') applySettings(ctx, p.value, s.nested);
      else replaceValue(ctx, map, p, settingValue(s));
    } else if (s.replace(p.value)) {
      replaceValue(ctx, map, p, s.value);
    }
  }
  if (missing.length > 0) insertPairs(ctx, map, missing);
}

// ---------------------------------------------------------------- tables and keys

function sseSettings(keyValue: Value | undefined): Setting[] {
  const s: Setting[] = [
    { key: 'SSEEnabled', value: true, replace: (n) => boolOf(n) !== true },
    { key: 'SSEType', value: 'KMS', replace: (n) => scalarString(n) !== 'KMS' },
  ];
  if (keyValue !== undefined) s.push({ key: 'KMSMasterKeyId', value: keyValue, replace: () => true });
  return s;
}

function fixTable(ctx: Ctx, table: CfnTable, keyValue: Value): void {
  if (table.kind === 'global') {
    // Insertions at one offset apply in the order given: the replica (nested deeper) goes first.
    if (table.localReplica) {
      applySettings(ctx, table.localReplica, [
        { key: 'SSESpecification', nested: [{ key: 'KMSMasterKeyId', value: keyValue, replace: () => true }] },
      ]);
    }
    applySettings(ctx, table.resource, [{ key: 'Properties', nested: [{ key: 'SSESpecification', nested: sseSettings(undefined) }] }]);
    return;
  }
  applySettings(ctx, table.resource, [{ key: 'Properties', nested: [{ key: 'SSESpecification', nested: sseSettings(keyValue) }] }]);
}

function takenNames(template: CfnTemplate): Set<string> {
  const names = new Set<string>();
  for (const section of ['Resources', 'Parameters', 'Conditions', 'Mappings', 'Outputs']) {
    const m = child(template.root, section);
    if (m?.kind === 'map') for (const p of m.pairs) names.add(p.key);
  }
  for (const p of template.resources.pairs) names.add(p.key);
  return names;
}

export function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  taken.add(name);
  return name;
}

function retains(table: CfnTable): boolean {
  return ['DeletionPolicy', 'UpdateReplacePolicy'].some((k) => {
    const v = child(table.resource, k);
    return v !== undefined && scalarString(v) !== 'Delete';
  });
}

function conditionOf(table: CfnTable): string | undefined {
  return scalarString(child(table.resource, 'Condition'));
}

function planTemplate(ctx: Ctx, template: CfnTemplate, tables: CfnTable[], options: FixOptions): string[] {
  if (options.kmsKeyArn) {
    for (const t of tables) fixTable(ctx, t, options.kmsKeyArn);
    return tables.map((t) => t.address);
  }
  const taken = takenNames(template);
  if (options.keyStrategy === 'shared') {
    const keyId = uniqueName('DynamoDBTablesKey', taken);
    const aliasId = uniqueName(`${keyId}Alias`, taken);
    const conditions = new Set(tables.map(conditionOf));
    const condition = conditions.size === 1 ? [...conditions][0] : undefined;
    tables.forEach((t, i) => {
      fixTable(ctx, t, getAtt(keyId, 'Arn'));
      if (i === 0) {
        const key = keyResource({ description: keyDescription(tables.map((x) => x.address)), retain: tables.some(retains), condition, policy: options.keyPolicy });
        insertPairs(ctx, template.resources, [[keyId, key], [aliasId, aliasResource('dynamodb-tables', keyId, condition)]], t.resourcePair);
      }
    });
    return tables.map((t) => t.address);
  }
  for (const t of tables) {
    const keyId = uniqueName(`${t.address}Key`, taken);
    const aliasId = uniqueName(`${keyId}Alias`, taken);
    fixTable(ctx, t, getAtt(keyId, 'Arn'));
    const key = keyResource({ description: keyDescription([t.address]), retain: retains(t), condition: conditionOf(t), policy: options.keyPolicy });
    insertPairs(ctx, template.resources, [[keyId, key], [aliasId, aliasResource(t.address, keyId, conditionOf(t))]], t.resourcePair);
  }
  return tables.map((t) => t.address);
}

export function fixCloudFormation(group: GroupMember<CfnDetection>[], options: FixOptions): Map<string, FilePlan> {
  const plans = new Map<string, FilePlan>();
  for (const { file, detection, targets } of group) {
    const chosen = detection.tables.filter((t) => targets.includes(t.address));
    if (chosen.length === 0) continue;
    const flavor = chosen[0].template.flavor;
    const ctx: Ctx = {
      text: file.text,
      json: detection.json,
      style: detectStyle(file.text, detection.templates.map((t) => t.root), flavor, detection.json),
      edits: [],
    };
    const fixed: string[] = [];
    for (const template of detection.templates) {
      const mine = chosen.filter((t) => t.template === template);
      if (mine.length > 0) fixed.push(...planTemplate(ctx, template, mine, options));
    }
    plans.set(file.path, { edits: ctx.edits, fixed });
  }
  return plans;
}
