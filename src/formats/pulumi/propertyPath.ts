/**
 * The property paths Pulumi's `ignoreChanges` and `replaceOnChanges` options take (pulumi/pulumi's resource.PropertyPath): a name, then
 * `.name`, `[0]`, `["key"]` or `[*]` steps (`serverSideEncryption.kmsKeyArn`, `serverSideEncryption["kmsKeyArn"]`),
 * the root itself in the quoted form (`["serverSideEncryption"]`, a backslash escaping the next character), and
 * `'*'` alone, every property (pulumi/pulumi#13005). Read by both Pulumi families (typescript/ignoredChanges.ts,
 * pulumi-yaml/detect.ts), so that an entry the one declines the other declines too.
 */

/** The root property an entry names (`serverSideEncryption` of each form above); undefined for `'*'` or another shape. */
export function pathRoot(entry: string): string | undefined {
  const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(entry);
  if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
  return /^[A-Za-z_$][\w$]*/.exec(entry)?.[0];
}

/** Does a Pulumi ignoreChanges or replaceOnChanges entry cover the table's `serverSideEncryption` (what a fix sets)? Its root, or `'*'`. */
export function coversEncryption(entry: string): boolean {
  return entry === '*' || pathRoot(entry) === 'serverSideEncryption';
}

/** Does a Pulumi ignoreChanges entry name the table's `replicas` (a path under them too)? A global table whose replicas are declared elsewhere. */
export function coversReplicas(entry: string): boolean {
  return pathRoot(entry) === 'replicas';
}
