/** The sparse-tree baseline: the time Node takes just to walk a folder and read every file. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

let files = 0;
let bytes = 0;
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.isFile()) {
      bytes += readFileSync(p).length;
      files++;
    }
  }
};
walk(process.argv[2]);
process.stdout.write(`${files} files, ${bytes} bytes\n`);
