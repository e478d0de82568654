/** Test code, as discovery marks it (src/io/discover.ts) and the TypeScript family's CDK app reading skips it (cdkApp.ts). */
/**
 * Folders of test code: a table there is often non-compliant on purpose. With the fixtures tests read: Go's
 * `testdata/` (the go tool ignores it; inputs and golden files a test compares byte for byte: real-world round 37,
 * aws/copilot-cli internal/pkg/addon/testdata/) and Jest's `__fixtures__/`. Not `fixtures/`: a name projects also
 * give examples they deploy or run (kmsfix's own, which its CLI tests fix).
 */
export const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'testdata', '__fixtures__']);

/**
 * Test code: a file below a `test/`, `tests/`, `__tests__/`, `testdata/` or `__fixtures__/` folder, or a `*.test.ts` / `*.spec.ts`
 * (and .tsx, .js...) file. `relPath` is relative to the folder the search started from, so a project
 * that itself lives under a folder named `tests` is not test code, nor is a file named on the command line.
 */
export function isTestPath(relPath: string): boolean {
  const parts = relPath.split('/');
  const name = parts[parts.length - 1];
  return parts.slice(0, -1).some((p) => TEST_DIRS.has(p)) || isTestName(name);
}

export const isTestName = (name: string) => /\.(test|spec)\.[cm]?[jt]sx?$/i.test(name);
