/**
 * Vitest's global setup: every test's temporary folders (mkdtemp under os.tmpdir(), and kmsfix's own
 * spool and lock folders there) go to one folder of this run, removed when the run ends, so that a
 * run leaves nothing behind in the machine's /tmp (several hundred folders a run before).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kmsfix-test-'));
  // Read by os.tmpdir() in this process and in the test processes, which inherit it.
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
