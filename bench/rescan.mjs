/**
 * Verification's share of a fix's floor: in one process, scan DIR (which warms up every parser, as
 * a fix's detection does), then scan FIXED, a fixed copy of DIR, and print that second scan's time
 * in ms and its summary (files, tables, compliant...), as JSON. The second scan parses and detects
 * every file again, as verification does, with the parsers already warm; it also walks and reads
 * the tree, which verification does not.
 *
 *   node bench/rescan.mjs DIR FIXED
 */
import { loadCli } from './dist.mjs';

const main = await loadCli();
const [dir, fixed] = process.argv.slice(2);
let out = '';
const io = { cwd: process.cwd(), out: (s) => (out += s), err() {}, interactive: false, color: false, ask: async () => '' };
await main(['scan', '--format', 'json', '--quiet', dir], io);
out = '';
const t0 = performance.now();
await main(['scan', '--format', 'json', '--quiet', fixed], io);
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ ms, summary: JSON.parse(out).summary }) + '\n');
