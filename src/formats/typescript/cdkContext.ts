/**
 * A CDK app's context, as a detection reads it (projectValues.ts CdkContext): the string values of the `context` of
 * the app's cdk.json (the nearest one above the file with an `app` command), read only for a file whose first
 * detection met a key lookup a context value decides (awsManagedKey.ts). `-c name=value` on the command line is the
 * deploy's, not the repository's: not read (the messages say where it would set the value).
 */
import type { DiskContext, SourceFile } from '../../core/types.js';
import { cdkJsonOf, hasCdkApp } from '../../core/cdkJson.js';
import type { CdkContext } from './projectValues.js';

/** The app's context for `file`; undefined without a cdk.json of an app above it. */
export async function cdkContextOf(file: SourceFile, context: DiskContext): Promise<CdkContext | undefined> {
  const json = await context.projectFile(file, 'cdk.json', hasCdkApp);
  if (!json) return undefined;
  const values: CdkContext['values'] = {};
  for (const [name, value] of Object.entries(cdkJsonOf(json).context ?? {})) values[name] = { value, path: json.path };
  return { paths: [json.path], values };
}
