/**
 * serverless-plugin-additional-stacks: a serverless.yml's `custom.additionalStacks.<name>` are
 * CloudFormation stacks of their own ("permanent" resources, such as tables, kept out of the
 * service's stack). The plugin deploys each as a template of the stack's own `Parameters`,
 * `Mappings`, `Conditions`, `Transform`, `Resources` and `Outputs`, taken as given from the
 * service's configuration, whose Serverless variables the Framework has resolved; a stack written
 * as a list of such maps is their merge. Each map's Resources is read as a serverless template of
 * its own: its tables are reported under the stack's name, and a fix puts their keys there.
 */
import { child, resolveAlias, type CMap, type CNode } from '../yaml/tree.js';
import type { CfnTemplate } from './tableTypes.js';

/** The stack a template's Resources are deployed in, when it is one of custom.additionalStacks. */
export interface AdditionalStack {
  name: string;
  /** The stack's map, or the maps of its list (the plugin merges them): what names a stack's logical IDs may take. */
  parts: CMap[];
}

const PATH = ['custom', 'additionalStacks'];

/** The templates of a serverless.yml document's additional stacks (none for any other document). */
export function additionalStackTemplates(root: CNode | null, doc: number): CfnTemplate[] {
  const stacks = root?.kind === 'map' ? resolveAlias(child(child(root, PATH[0]), PATH[1])) : undefined;
  if (stacks?.kind !== 'map') return [];
  return stacks.pairs.flatMap((p) => {
    const value = resolveAlias(p.value);
    // A list of maps, which the plugin merges: each map's Resources is edited in place.
    const items =
      value?.kind === 'seq' ? value.items.map((item, i) => ({ map: resolveAlias(item), at: [String(i)] })) : [{ map: value, at: [] }];
    const parts = items.flatMap(({ map }) => (map?.kind === 'map' ? [map] : []));
    const stack: AdditionalStack = { name: p.key, parts };
    return items.flatMap(({ map, at }) => {
      const resources = child(map, 'Resources');
      if (resources?.kind !== 'map') return [];
      const template: CfnTemplate = {
        flavor: 'serverless',
        root: root as CMap,
        resources,
        resourcesPath: [...PATH, p.key, ...at, 'Resources'],
        doc,
        stack,
      };
      return [template];
    });
  });
}

/**
 * How a table of the template is reported: in an additional stack, under the stack's name
 * (`additionalStacks.permanent.OrdersTable`: the service's stack, or another, may hold the same logical ID);
 * in Resources a service takes from its custom section, under that map's path (`custom.resources.dev.OrdersTable`:
 * each stage's map holds the same logical IDs); in a file of stacks, under its key (`stack.OrdersTable`).
 */
export function tableAddress(template: CfnTemplate, address: string): string {
  if (template.stack) return `${PATH[1]}.${template.stack.name}.${address}`;
  // A file of stacks: the key a service file includes it by (`stack.UsageTable`).
  if (template.keyed) return `${template.resourcesPath[0]}.${address}`;
  return template.resourcesPath[0] === 'custom' ? `${template.resourcesPath.join('.')}.${address}` : address;
}
