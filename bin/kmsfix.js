#!/usr/bin/env node
// The same start as bin/kmsfix.cjs (package.json "bin"), for `node bin/kmsfix.js`: an ES module, so
// about 5 ms slower to start.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('../dist/bundle/start.cjs').start(process.argv.slice(2));
