/**
 * The CLI as bin/kmsfix.js runs it, plus this process's CPU time and peak RSS (worker threads
 * included) written to $KMSFIX_BENCH_STATS at exit, for bench/run.mjs.
 */
import { writeFileSync } from 'node:fs';
import { loadCli } from './dist.mjs';

const main = await loadCli();
const code = await main(process.argv.slice(2));
if (process.env.KMSFIX_BENCH_STATS) writeFileSync(process.env.KMSFIX_BENCH_STATS, JSON.stringify(process.resourceUsage()));
process.exitCode = code;
