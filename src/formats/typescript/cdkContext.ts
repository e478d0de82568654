/**
 * A CDK app's context, as a detection reads it (projectValues.ts CdkContext), read only for a file whose first
 * detection met a key lookup a context value decides (awsManagedKey.ts): the string and object values of the `context` of the
 * app's cdk.json (the nearest one above the file with an `app` command) and of the cdk.context.json beside it.
 *
 * Their order is the CDK CLI's: aws-cdk's packages/aws-cdk/lib/settings.ts (Configuration.load) builds the app's
 * context from the bags `-c` on the command line, cdk.json's `context`, cdk.context.json, then ~/.cdk.json, and
 * Context.get reads a name from the first bag that has it: cdk.json's value wins over cdk.context.json's. `-c` is the
 * deploy's and ~/.cdk.json the user's, neither the repository's: not read (the messages say where `-c` would set
 * the value). The CLI reads cdk.context.json in the folder it runs in, cdk.json's: the one read beside it.
 */
import type { DiskContext, SourceFile } from '../../core/types.js';
import { type ContextValue, cdkJsonOf, hasCdkApp, isContextValue } from '../../core/cdkJson.js';
import type { CdkContext } from './projectValues.js';

/** The app's context for `file`; undefined without a cdk.json of an app above it. */
export async function cdkContextOf(file: SourceFile, context: DiskContext): Promise<CdkContext | undefined> {
  const json = await context.projectFile(file, 'cdk.json', hasCdkApp);
  if (!json) return undefined;
  const read: CdkContext = { paths: [json.path], values: {} };
  for (const [name, value] of Object.entries(cdkJsonOf(json).context ?? {})) read.values[name] = { value, path: json.path };
  // cdk.context.json (one kmsfix cannot read, git-crypt's: as if absent), after cdk.json's context.
  const beside = await contextFileBeside(json, context);
  const values = beside && valuesOf(beside.text);
  if (!beside || !values) return read;
  read.paths.push(beside.path);
  // A name cdk.json's context gives any value (a number, an object) is cdk.json's, whatever cdk.context.json says.
  const own = new Set(Object.keys(objectOf(json.text, 'context') ?? {}));
  for (const [name, value] of Object.entries(values)) if (!own.has(name)) read.values[name] = { value, path: beside.path };
  return read;
}

/** The cdk.context.json beside an app's cdk.json; one kmsfix cannot read (git-crypt's): as if absent. */
export async function contextFileBeside(json: SourceFile, context: DiskContext): Promise<SourceFile | undefined> {
  const [beside] = await context.folderFiles(json, '.', (name) => name === 'cdk.context.json');
  return beside && beside.unreadable === undefined ? beside : undefined;
}

/** The context values a cdk.context.json gives (it is the context itself, not under `context`); not a JSON object: none. */
export const contextObjectOf = (text: string) => objectOf(text);

/** A cdk.context.json's string and object values (it is the context itself, not under `context`); not a JSON object: none. */
function valuesOf(text: string): Record<string, ContextValue> | undefined {
  const json = objectOf(text);
  return json && Object.fromEntries(Object.entries(json).filter((e): e is [string, ContextValue] => isContextValue(e[1])));
}

/** A JSON text's object (or its member `key`'s, when that is one); none when it is not JSON or not an object. */
function objectOf(text: string, key?: string): Record<string, unknown> | undefined {
  try {
    const json = JSON.parse(text) as unknown;
    const o = key === undefined ? json : (json as Record<string, unknown> | null)?.[key];
    return typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
