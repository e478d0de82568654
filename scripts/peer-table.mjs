#!/usr/bin/env node
// Regenerates the peer-verdict table in README.md from src/rule/peers (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { withPeerTable } from '../dist/src/rule/peers/table.js';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, withPeerTable(readFileSync(path, 'utf8')));
