/**
 * The peers' own test cases (../shared/peer-cases, beside the repository, read in place) are there
 * on the maintainers' machines and in CI, not in a user's clone. Tests on them are skipped, with the
 * reason, when the folder is absent; the project's own fixtures (fixtures/<family>/peer-*) cover the
 * same behaviours either way (test/rule/peer-fixtures.test.ts). KMSFIX_REQUIRE_PEERS=1 (set by .ci/run)
 * turns the absence into a failure.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { ROOT } from './fixture-cases.js';

export const PEERS = path.resolve(ROOT, '..', 'shared', 'peer-cases');
export const HAVE_PEERS = existsSync(path.join(PEERS, 'MANIFEST.md'));
export const NO_PEERS = 'skipped: ../shared/peer-cases is absent (as in a fresh clone); fixtures/*/peer-* cover the same behaviours';

// The default reporter lists skipped tests without their note: say it once per test file too.
if (!HAVE_PEERS && !process.env.KMSFIX_REQUIRE_PEERS) console.warn(`tests on the peers' own cases ${NO_PEERS}`);

/** `it` for a test on the peers' cases: skipped with the reason when they are absent (a failure under KMSFIX_REQUIRE_PEERS). */
export function itPeers(name: string, fn: () => unknown, timeout?: number): void {
  it(
    name,
    async (ctx) => {
      if (!HAVE_PEERS && process.env.KMSFIX_REQUIRE_PEERS) throw new Error(`KMSFIX_REQUIRE_PEERS is set and ${PEERS} is missing`);
      ctx.skip(!HAVE_PEERS, NO_PEERS);
      await fn();
    },
    timeout,
  );
}
