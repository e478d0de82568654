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
});
