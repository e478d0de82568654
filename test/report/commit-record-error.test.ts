/** --commit's record that cannot be written in the git dir: the message says what to do for the error it met. */
import { describe, expect, it } from 'vitest';
import { recordError } from '../../src/report/commit.js';

const err = (code: string, text: string) => Object.assign(new Error(text), { code });

describe('recordError', () => {
  it('a permission: make it writable', () => {
    expect(recordError(err('EACCES', 'EACCES: permission denied, open'))).toMatch(/: make it writable, then run again$/);
  });

  it('a disk that cannot sync (EIO): not a permission, check the disk', () => {
    const m = recordError(err('EIO', 'EIO: i/o error, fsync'));
    expect(m).not.toContain('make it writable');
    expect(m).toMatch(/cannot \(EIO: i\/o error, fsync\): check the disk, then run again$/);
  });

  it('a full disk or quota (ENOSPC, EDQUOT): space to free, not a permission', () => {
    const full = recordError(err('ENOSPC', 'ENOSPC: no space left on device, write'));
    expect(full).not.toContain('make it writable');
    expect(full).toMatch(/cannot \(ENOSPC: no space left on device, write\): the disk is full: free some space on it, then run again$/);
    const quota = recordError(err('EDQUOT', 'EDQUOT: disk quota exceeded, write'));
    expect(quota).not.toContain('make it writable');
    expect(quota).toMatch(
      /cannot \(EDQUOT: disk quota exceeded, write\): your disk quota is used up: free some space in it, then run again$/,
    );
  });
});
