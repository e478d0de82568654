#!/usr/bin/env node
// `kmsfix` (package.json "bin"): the CLI's start, src/cli/start.ts. CommonJS, so that a run with the
// CLI's cached code never starts Node's ES module loader (about 5 ms of every run).
require('../dist/bundle/start.cjs').start(process.argv.slice(2));
