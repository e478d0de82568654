/** One atomic write per file: a temp file beside it, permissions copied, then rename. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeAtomic(absPath: string, content: string): Promise<void> {
  const st = await fs.stat(absPath);
  const tmp = path.join(path.dirname(absPath), `.kmsfix-tmp-${process.pid}-${randomBytes(4).toString('hex')}-${path.basename(absPath)}`);
  try {
    await fs.writeFile(tmp, content, { mode: st.mode & 0o7777 });
    await fs.chmod(tmp, st.mode & 0o7777);
    await fs.rename(tmp, absPath);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
