/**
 * What kmsfix reads of a CDK app's `cdk.json`: its `app` command, the permissions boundary its
 * context gives every role of the app, and its context's string and object values (a key lookup's alias, or an
 * object of them per environment). Read once per file object (a project file the engine hands
 * a format, DiskContext.projectFile), or from a text (discovery's cdk.json files, src/io/cdkApps.ts).
 */
import type { SourceFile } from './types.js';

export interface CdkJson {
  app?: string;
  /** Context `@aws-cdk/core:permissionsBoundary`, its name or ARN as written. */
  boundary?: string;
  /**
   * Its `context` values that are strings (an alias a key lookup reads with `tryGetContext`: awsManagedKey.ts) or
   * objects (`"dev": { "tableKeyAlias": ... }`, read as `tryGetContext(stage).tableKeyAlias`: adversarial pass F6).
   */
  context?: Record<string, ContextValue>;
}

/** A context value kmsfix reads: a string, or an object (or array) holding some (JSON as parsed). */
export type ContextValue = string | object;

/** Is a JSON value one a context read keeps (ContextValue)? Numbers, booleans (feature flags) and null are not. */
export const isContextValue = (v: unknown): v is ContextValue => typeof v === 'string' || (typeof v === 'object' && v !== null);

/** A cdk.json's text read; not JSON: nothing. */
export function readCdkJson(text: string): CdkJson {
  const read: CdkJson = {};
  try {
    const json = JSON.parse(text) as { app?: unknown; context?: Record<string, unknown> } | null;
    if (typeof json?.app === 'string') read.app = json.app;
    const boundary = boundaryOf(json?.context);
    if (boundary !== undefined) read.boundary = boundary;
    const kept = Object.entries(json?.context ?? {}).filter((e): e is [string, ContextValue] => isContextValue(e[1]));
    if (kept.length > 0) read.context = Object.fromEntries(kept);
  } catch {
    // Not JSON: no app.
  }
  return read;
}

/** The context's `@aws-cdk/core:permissionsBoundary` (cdk.json's `context`, or cdk.context.json), its name or ARN as written. */
export function boundaryOf(context: Record<string, unknown> | null | undefined): string | undefined {
  const b = context?.['@aws-cdk/core:permissionsBoundary'] as { name?: unknown; arn?: unknown } | undefined;
  const named = b?.name ?? b?.arn;
  return named === undefined ? undefined : typeof named === 'string' ? named : JSON.stringify(named);
}

const cdkJsons = new WeakMap<SourceFile, CdkJson>();

/** A cdk.json project file read (once per file object). */
export function cdkJsonOf(file: SourceFile): CdkJson {
  let read = cdkJsons.get(file);
  if (read === undefined) cdkJsons.set(file, (read = readCdkJson(file.text)));
  return read;
}

/** Does a cdk.json give an `app` command (a CDK app's, as `cdk init` writes it)? */
export const hasCdkApp = (file: SourceFile) => cdkJsonOf(file).app !== undefined;
