/**
 * One of Node's own C++ bindings, through `process.binding(name)`: what a module of Node's (node:v8,
 * node:zlib) would hand a call to, without that module's top level, which loads Node's streams (about
 * 7 million instructions of a one-file scan's 200: docs/performance.md, sixty-fifth session).
 * `process.binding` is deprecated (DEP0111, a warning only under --pending-deprecation); the warning is
 * silenced for that one call and `process.noDeprecation` put back as it was. Undefined where Node gives
 * no such binding (a later Node, the permission model): the caller then uses Node's module.
 */
export function processBinding<T extends object>(name: string): Partial<T> | undefined {
  const quiet = process.noDeprecation;
  try {
    process.noDeprecation = true;
    return (process as unknown as { binding(name: string): Partial<T> }).binding(name);
  } catch {
    return undefined;
  } finally {
    if (quiet === undefined) delete process.noDeprecation;
    else process.noDeprecation = quiet;
  }
}
