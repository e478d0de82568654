/**
 * Fixture cases: fixtures/<family>/<case>/ holds `input.<ext>` and `expected.<ext>` (one file), or
 * `input/` and `expected/` folders (files fixed together, e.g. a Terraform module; subfolders too,
 * e.g. a module and the examples that call it with `source = "../../"`). Optional:
 * `options.json` (fix options), `statuses.json` (address -> status the input must scan as),
 * `peers.json` (address -> line, the peer scanners' rules that fire on the input, suppressions
 * found: test/rule/peer-fixtures.test.ts).
 * Bad-input cases live in fixtures/<family>/bad/<case>/: `input.<ext>` and `error.txt`
 * (the expected "line:column: message" prefix).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MemoryFile } from '../../src/engine/memory.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(ROOT, 'fixtures');

export interface FixtureCase {
  family: string;
  name: string;
  dir: string;
  input: MemoryFile[];
  expected: MemoryFile[];
  /** Absolute paths of the expected files, for validators. */
  expectedPaths: string[];
  options: Record<string, unknown>;
  statuses?: Record<string, string>;
  peers?: Record<string, PeerExpectation>;
}

export interface PeerExpectation {
  line: number;
  /** Each peer tool's rule IDs that fire (only the tools that scan this kind of table). */
  peers: Record<string, string[]>;
  suppressions?: { tool: string; rule?: string }[];
}

export interface BadCase {
  family: string;
  name: string;
  file: string;
  error: string;
}

/** The files under a folder, as paths relative to it with `/` (a Terraform case may hold modules in subfolders). */
function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(path.join(folder, prefix))
    .sort()
    .flatMap((n) => {
      const rel = prefix ? `${prefix}/${n}` : n;
      return statSync(path.join(folder, rel)).isDirectory() ? filesUnder(folder, rel) : [rel];
    });
}

function readSide(dir: string, side: 'input' | 'expected'): { files: MemoryFile[]; paths: string[] } {
  const folder = path.join(dir, side);
  if (existsSync(folder) && statSync(folder).isDirectory()) {
    const names = filesUnder(folder);
    return {
      files: names.map((n) => ({ path: n, text: readFileSync(path.join(folder, n), 'utf8') })),
      paths: names.map((n) => path.join(folder, n)),
    };
  }
  const name = readdirSync(dir).find((n) => n.startsWith(side + '.'));
  if (!name) return { files: [], paths: [] };
  // The display path keeps the extension (it picks the transform) under a neutral name.
  const display = 'template' + name.slice(side.length);
  return { files: [{ path: display, text: readFileSync(path.join(dir, name), 'utf8') }], paths: [path.join(dir, name)] };
}

function readJson(file: string): Record<string, unknown> | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
}

export function families(): string[] {
  return readdirSync(FIXTURES).filter((f) => f !== 'demo' && statSync(path.join(FIXTURES, f)).isDirectory());
}

export function fixtureCases(family: string): FixtureCase[] {
  const base = path.join(FIXTURES, family);
  return readdirSync(base)
    .filter((n) => n !== 'bad' && statSync(path.join(base, n)).isDirectory())
    .sort()
    .map((name) => {
      const dir = path.join(base, name);
      const input = readSide(dir, 'input');
      const expected = readSide(dir, 'expected');
      return {
        family,
        name,
        dir,
        input: input.files,
        expected: expected.files,
        expectedPaths: expected.paths,
        options: readJson(path.join(dir, 'options.json')) ?? {},
        statuses: readJson(path.join(dir, 'statuses.json')) as Record<string, string> | undefined,
        peers: readJson(path.join(dir, 'peers.json')) as Record<string, PeerExpectation> | undefined,
      };
    });
}

export function badCases(family: string): BadCase[] {
  const base = path.join(FIXTURES, family, 'bad');
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .sort()
    .map((name) => {
      const dir = path.join(base, name);
      const file = readdirSync(dir).find((n) => n.startsWith('input'))!;
      return { family, name, file: path.join(dir, file), error: readFileSync(path.join(dir, 'error.txt'), 'utf8').trim() };
    });
}
