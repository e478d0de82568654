/**
 * `kmsfix scan --help` and `kmsfix fix --help` list every flag the command takes, and no flag it refuses
 * (session 64's workflow review: `scan --include-tests` works, it moves test code's tables into `fixable`,
 * but only `fix --help` listed it).
 */
import { describe, expect, it } from 'vitest';
import { FIX_ONLY_FLAGS, OPTIONS, SCAN_ONLY_FLAGS } from '../../src/cli.js';
import { helpOf } from '../../src/cli/help.js';

const listed = (help: string, flag: string): boolean => new RegExp(`^  --${flag}\\b`, 'm').test(help);

describe('each command help lists exactly the flags it takes', () => {
  for (const command of ['scan', 'fix'] as const) {
    it(command, () => {
      const refused: readonly string[] = command === 'scan' ? FIX_ONLY_FLAGS : SCAN_ONLY_FLAGS;
      const help = helpOf(command);
      for (const flag of Object.keys(OPTIONS)) {
        // --version and --help share one line: `--version, -V, --help, -h`.
        if (flag === 'help') {
          expect(help).toContain('--help');
          continue;
        }
        expect(listed(help, flag), `kmsfix ${command} --help and --${flag}`).toBe(!refused.includes(flag));
      }
    });
  }
});
