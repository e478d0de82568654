/**
 * The CLI as a user runs it (bin/kmsfix.cjs, package.json "bin": the CommonJS build with its cached
 * code), plus this process's CPU time and peak RSS (worker threads included) written to
 * $KMSFIX_BENCH_STATS at exit, for bench/run.mjs. CommonJS, as the bin is: an ES module here would
 * start Node's ES module loader, which a user's run does not.
 */
const { writeFileSync } = require('node:fs');

const stats = process.env.KMSFIX_BENCH_STATS;
if (stats) process.on('exit', () => writeFileSync(stats, JSON.stringify(process.resourceUsage())));
require('../bin/kmsfix.cjs');
