/**
 * serverless-plugin-ifelse in a serverless.yml (src/rule/ifElse.ts says what its entries do): the
 * entries of `custom.serverlessIfElse`, read once per template of a service that lists the plugin,
 * and only when the file's text names serverlessIfElse. A configuration kmsfix cannot read (a
 * variable, an item that is not a mapping) blocks every table of the service.
 */
import { ifElseExclude } from '../../rule/blockers.js';
import { IFELSE_PLUGIN } from '../../rule/facts.js';
import {
  IFELSE_CONFIG,
  ifElseEffect,
  ifElseEntry,
  ifElseLists,
  keyedList,
  type IfElseEffect,
  type IfElseEntry,
} from '../../rule/ifElse.js';
import { snippet } from '../yaml/scalars.js';
import { child, resolveAlias, scalarString, type CNode } from '../yaml/tree.js';
import { servicePlugins } from './cautions.js';
import type { CfnTemplate } from './tableTypes.js';

/** The effect on each table of the template (by logical ID and type), or undefined when there is none. */
export type IfElseTables = (id: string, type: string) => IfElseEffect | undefined;

const NONE: IfElseTables = () => undefined;

export function ifElseTables(text: string, template: CfnTemplate): IfElseTables {
  if (template.flavor !== 'serverless' || !text.includes('serverlessIfElse')) return NONE;
  if (template.resourcesPath.length === 0 || !servicePlugins(template).includes(IFELSE_PLUGIN)) return NONE;
  const config = child(child(template.root, 'custom'), 'serverlessIfElse');
  if (config === undefined || config === null) return NONE;
  const entries = entriesOf(text, config);
  if (typeof entries === 'string') {
    const obstacle = ifElseExclude(entries, 'unread');
    return () => ({ obstacle });
  }
  if (entries.length === 0) return NONE;
  return (id, type) => ifElseEffect(entries, tablePaths(template, id), type === 'AWS::DynamoDB::GlobalTable');
}

/**
 * The paths the plugin may see the table at: the template's own (an additional stack's, an item of a
 * `resources` list), and `resources.Resources.<Id>`, where the Framework has merged a list of them.
 */
function tablePaths(template: CfnTemplate, id: string): string[][] {
  const own = [...template.resourcesPath, id];
  return template.stack || own.join('.') === `resources.Resources.${id}` ? [own] : [own, ['resources', 'Resources', id]];
}

/** The configuration's entries; a string (where, as written) when kmsfix cannot read it. */
function entriesOf(text: string, config: CNode): IfElseEntry[] | string {
  if (config.kind !== 'seq') return `${IFELSE_CONFIG}: ${snippet(text, config)}`;
  const out: IfElseEntry[] = [];
  for (const [i, raw] of config.items.entries()) {
    const item = resolveAlias(raw);
    const at = `${IFELSE_CONFIG}[${i}]`;
    if (item?.kind !== 'map') return `${at}: ${snippet(text, item)}`;
    for (const list of ifElseLists(child(item, 'If') != null)) {
      const value = child(item, list);
      if (value === undefined || value === null) continue;
      const where = `${at}.${list}`;
      let paths: (string | undefined)[];
      if (keyedList(list)) {
        if (value.kind !== 'map') return `${where}: ${snippet(text, value)}`;
        paths = value.pairs.map((p) => p.key);
      } else paths = value.kind === 'seq' ? value.items.map((p) => scalarString(resolveAlias(p))) : [scalarString(value)];
      for (const path of paths) {
        if (path === undefined) return `${where}: ${snippet(text, value)}`;
        out.push(ifElseEntry(where, list, path));
      }
    }
  }
  return out;
}
