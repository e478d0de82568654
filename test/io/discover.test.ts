/**
 * The walk's paths (src/io/discover.ts): each entry's display path is made from its folder's, and
 * its test-code flag from its folder's, instead of path.relative and isTestPath per file. Checked
 * against those two, the reference, from a current directory inside, above, beside and outside the
 * tree, with folders and files of every test-code shape.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover, isTestPath, relativeUnder } from '../../src/io/discover.js';
import { toPosix } from '../../src/core/text.js';

let base: string;
const accepts = (name: string) => /\.(ya?ml|json|tf|ts)$/.test(name);

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'kmsfix-discover-'));
  const files = [
    'repo/template.yaml',
    'repo/test/template.yaml',
    'repo/a/tests/deep/main.tf',
    'repo/a/__tests__/stack.ts',
    'repo/a/b/stack.test.ts',
    'repo/a/b/stack.spec.ts',
    'repo/a/b/stack.ts',
    'repo/a/testing/main.tf',
    'repo/a/b/c/d/e/f/g/template.json',
    'repo/notes.md',
  ];
  for (const f of files) {
    mkdirSync(path.join(base, 'tests', path.dirname(f)), { recursive: true });
    writeFileSync(path.join(base, 'tests', f), '{}\n');
  }
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('discover: display paths and test code', () => {
  const cases = [
    { name: 'the tree itself', cwd: () => path.join(base, 'tests', 'repo'), input: '.' },
    { name: 'above the tree', cwd: () => base, input: 'tests/repo' },
    { name: 'inside the tree (a sub-folder)', cwd: () => path.join(base, 'tests', 'repo', 'a'), input: '..' },
    { name: 'beside the tree', cwd: () => path.join(base, 'tests', 'repo', 'a', 'b'), input: '../../test' },
    { name: 'outside it, input absolute', cwd: () => tmpdir(), input: '' },
    { name: 'the file system root', cwd: () => path.parse(base).root, input: '' },
  ];
  for (const c of cases) {
    it(`from ${c.name}`, async () => {
      const cwd = c.cwd();
      const input = c.input || path.join(base, 'tests', 'repo');
      const root = path.resolve(cwd, input);
      const { candidates, errors } = await discover([input], cwd, accepts);
      expect(errors).toEqual([]);
      expect(candidates.length).toBeGreaterThan(0);
      for (const cand of candidates) {
        expect(cand.path).toBe(toPosix(path.relative(cwd, cand.absPath) || '.'));
        expect(cand.absPath).toBe(path.join(path.dirname(cand.absPath), path.basename(cand.absPath)));
        expect(cand.test === true, cand.path).toBe(isTestPath(toPosix(path.relative(root, cand.absPath))));
      }
      // A folder named `tests` above the walk's root does not make its files test code.
      const shown = (rel: string) => candidates.find((x) => x.absPath === path.join(base, 'tests', rel));
      if (root === path.join(base, 'tests', 'repo')) {
        expect(shown('repo/template.yaml')?.test).toBeUndefined();
        expect(shown('repo/a/testing/main.tf')?.test).toBeUndefined();
        expect(shown('repo/a/b/stack.ts')?.test).toBeUndefined();
        for (const t of ['repo/test/template.yaml', 'repo/a/tests/deep/main.tf', 'repo/a/__tests__/stack.ts', 'repo/a/b/stack.test.ts'])
          expect(shown(t)?.test, t).toBe(true);
      }
    });
  }

  it('a file named on the command line: its own display path, never test code', async () => {
    const cwd = path.join(base, 'tests', 'repo', 'a');
    const { candidates } = await discover(['b/stack.test.ts', '../test/template.yaml'], cwd, accepts);
    expect(candidates.map((c) => [c.path, c.test])).toEqual([
      ['b/stack.test.ts', undefined],
      ['../test/template.yaml', undefined],
    ]);
  });

  it('relativeUnder is path.relative, by a slice below the base', () => {
    const pairs: [string, string][] = [
      ['/a/b', '/a/b/c/d.tf'],
      ['/a/b/', '/a/b/c'],
      ['/', '/x/y'],
      ['/a/b', '/a/bc/d'],
      ['/a/b', '/a/b'],
      ['/a/b', '/a'],
      ['/a/b/c', '/x/y'],
      ['/a/./b', '/a/b/c'],
    ];
    for (const [from, to] of pairs) expect(relativeUnder(from, to), `${from} ${to}`).toBe(path.relative(from, to));
  });
});

describe('discover: configuration files', () => {
  it('lists the .kmsfix.yml and .kmsfix.yaml files inside the walked folders, not those .gitignore or an exclude leaves out', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-discover-configs-'));
    for (const f of ['.kmsfix.yml', 'a/.kmsfix.yml', 'b/c/.kmsfix.yaml', 'ignored/.kmsfix.yml', 'gone/.kmsfix.yml', 'd/kmsfix.yml']) {
      mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      writeFileSync(path.join(dir, f), 'include_tests: true\n');
    }
    writeFileSync(path.join(dir, '.gitignore'), 'ignored/\n');
    const { configs } = await discover(['.'], dir, accepts, [{ patterns: ['gone/'] }]);
    expect(configs.map((c) => toPosix(path.relative(dir, c)))).toEqual(['.kmsfix.yml', 'a/.kmsfix.yml', 'b/c/.kmsfix.yaml']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('split: stops at each folder below the path holding one (excluded or a symbolic link too), and its walk starts from the entries read', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-discover-split-'));
    for (const f of ['.kmsfix.yml', 'top.yaml', 'a/.kmsfix.yml', 'a/in.yaml', 'b/.kmsfix.yaml', 'b/in.yaml', 'c/in.yaml', 'l/in.yaml']) {
      mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      writeFileSync(path.join(dir, f), 'x: 1\n');
    }
    symlinkSync('../.kmsfix.yml', path.join(dir, 'l', '.kmsfix.yml'));
    const found = await discover(['.'], dir, accepts, [{ patterns: ['*.yml'] }], { split: true });
    const rel = (ps: string[]) => ps.map((c) => toPosix(path.relative(dir, c)));
    expect(rel(found.candidates.map((c) => c.absPath))).toEqual(['c/in.yaml', 'top.yaml']);
    expect(rel(found.splits)).toEqual(['a/.kmsfix.yml', 'b/.kmsfix.yaml', 'l/.kmsfix.yml']);
    // a's walk, from the entries read (a file added since is not listed: the folder is not read again).
    writeFileSync(path.join(dir, 'a', 'late.yaml'), 'x: 1\n');
    const a = path.join(dir, 'a');
    const inA = await discover([a], dir, accepts, [{ patterns: ['*.yml'] }], { split: true, read: found.read });
    expect(rel(inA.candidates.map((c) => c.absPath))).toEqual(['a/in.yaml']);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the walks of one run split by configuration file', () => {
  it('read each .gitignore above their folders once (WalkScope.ignores): a deep chain of nested files read each one per scope below it', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kmsfix-discover-ignores-'));
    mkdirSync(path.join(root, '.git'));
    mkdirSync(path.join(root, 'a', 'b', 'c'), { recursive: true });
    writeFileSync(path.join(root, '.gitignore'), 'skipped.yaml\n');
    writeFileSync(path.join(root, 'a', 'b', 'skipped.yaml'), 'x: 1\n');
    writeFileSync(path.join(root, 'a', 'b', 'c', 'skipped.yaml'), 'x: 1\n');
    const ignores = new Map();
    const shown = async (dir: string) => (await discover([dir], root, accepts, [], { ignores })).candidates.map((c) => toPosix(c.path));
    expect(await shown(path.join(root, 'a', 'b'))).toEqual([]);
    expect([...ignores.keys()].map((d) => toPosix(path.relative(root, d)) || '.')).toEqual(['.', 'a']);
    // The next walk takes the root's from there: read once, it applies (the file itself is not read again).
    rmSync(path.join(root, '.gitignore'));
    expect(await shown(path.join(root, 'a', 'b', 'c'))).toEqual([]);
    rmSync(root, { recursive: true });
  });
});
