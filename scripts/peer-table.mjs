#!/usr/bin/env node
// Regenerates the peer-verdict tables in docs/scanner-parity.md from src/rule/peers (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { withPeerTable } from '../dist/src/rule/peers/table.js';

const path = new URL('../docs/scanner-parity.md', import.meta.url);
writeFileSync(path, withPeerTable(readFileSync(path, 'utf8')));
