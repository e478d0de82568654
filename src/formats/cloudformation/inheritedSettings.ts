/**
 * What sets a table's encryption beside its own Properties: a serverless.yml's `resources.extensions` (`extensionOf`),
 * its service's defaults and the files its keys read (`serviceOf`), and SAM's `Globals: SimpleTable` (`simpleTableGlobals`).
 */
import type { ComposeFile } from '../serverless/compose.js';
import type { FileRef, FileValues } from '../serverless/fileValues.js';
import { type Defaults, serviceDefaults } from '../cfn-values/settings.js';
import { child, pair, resolveAlias, type CMap, type CNode } from '../yaml/tree.js';
import type { CfnTemplate } from './tableTypes.js';

/**
 * A Serverless service's `resources.extensions.<logical ID>` whose Properties set the table's
 * SSESpecification (or are not a mapping kmsfix reads): the Framework assigns an extension's Properties
 * over the resource's after merging resources.Resources, so the extension's SSESpecification is the one
 * deployed (serverless/serverless merge-custom-provider-resources.js). Its Properties, when it sets them.
 */
export function extensionOf(template: CfnTemplate, id: string): { props: CNode | null | undefined } | undefined {
  if (template.flavor !== 'serverless') return undefined;
  const resources = child(template.root, 'resources');
  // `resources` written as a list the Framework merges: the last item's extension of the table.
  const parts = resources?.kind === 'map' ? [resources] : resources?.kind === 'seq' ? resources.items.map((i) => resolveAlias(i)) : [];
  const extension = parts
    .map((p) => child(child(p, 'extensions'), id))
    .filter((e) => e !== undefined)
    .pop();
  const props = extension?.kind === 'map' ? child(extension, 'Properties') : undefined;
  if (props === undefined || props === null) return undefined;
  return props.kind !== 'map' || pair(props, 'SSESpecification') ? { props } : undefined;
}

export function extensionStep(id: string): string {
  return (
    `resources.extensions.${id}.Properties sets its SSESpecification, which replaces the table's when the Framework packages ` +
    `the service (what is read here): move the encryption into the table's own Properties (or set a customer-managed key in the ` +
    'extension by hand), then run kmsfix again'
  );
}

/** A serverless.yml's template: its service's defaults (serviceDefaults), and the files and compose files its keys read. */
export function serviceOf(
  template: CfnTemplate,
  fileRefs: FileRef[],
  files: FileValues | undefined,
  paramReads: { count: number },
  compose: ComposeFile[] | undefined,
): Defaults | undefined {
  if (template.root.kind !== 'map' || template.lone) return undefined;
  const out = serviceDefaults(template.root);
  out.fileRefs = fileRefs;
  out.paramReads = paramReads;
  if (files) out.files = files;
  if (compose) out.compose = compose;
  return out;
}

/**
 * SAM's `Globals: SimpleTable: SSESpecification`, for the template's SimpleTables: also in a template
 * without the Transform line (SAM's own translator inputs; `sam` adds it), which only SAM reads anyway.
 */
export function simpleTableGlobals(template: CfnTemplate): CMap | undefined {
  if (template.flavor === 'serverless') return undefined;
  const sse = child(child(child(template.root, 'Globals'), 'SimpleTable'), 'SSESpecification');
  return sse?.kind === 'map' ? sse : undefined;
}
