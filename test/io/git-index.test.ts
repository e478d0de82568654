/**
 * .gitignore leaves out untracked paths only (src/io/gitIndex.ts, discover.ts `leftOut`): DataDog's
 * serverless sample app tracks a CDK service's `lib/` under a root `.gitignore` (a Python template) that
 * says `lib/`, and kmsfix read none of it. The index is read without git; git is used here to write it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIndex } from '../../src/io/gitIndex.js';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { scanJson, tempTree } from '../helpers/cli-helper.js';

const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasGit) console.warn('test/io/git-index.test.ts: skipped, git is not installed (it writes the indexes read here)');

const TEMPLATE = readFileSync(path.join(FIXTURES, 'cloudformation', 'yaml-no-sse', 'input.yaml'));

function repo(files: Record<string, string | Buffer>): string {
  const dir = tempTree('git-index', files);
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

describe.skipIf(!hasGit)('the git index', () => {
  it('versions 2, 3 (extended flags) and 4 (prefix compression): the paths git ls-files lists', () => {
    const files: Record<string, string> = { 'top.txt': 'x', 'a/b/c.txt': 'x', 'a/b/ä ö.txt': 'x', 'z/y.txt': 'x' };
    for (let i = 0; i < 40; i++) files[`a/b/long-file-name-number-${i}.yaml`] = 'x';
    for (const version of ['2', '3', '4']) {
      const dir = repo(files);
      git(dir, 'add', '-A');
      // An intent-to-add entry has the extended flags of version 3.
      writeFileSync(path.join(dir, 'a', 'later.txt'), 'x');
      git(dir, 'add', '-N', 'a/later.txt');
      git(dir, 'update-index', '--index-version', version);
      const want = git(dir, 'ls-files', '-z').split('\0').filter(Boolean);
      expect(parseIndex(readFileSync(path.join(dir, '.git', 'index'))), version).toEqual(want);
    }
    expect(parseIndex(Buffer.from('not an index'))).toBeUndefined();
  });

  it('a tracked template under a gitignored folder is read; an untracked one beside it is not', async () => {
    const dir = repo({ '.gitignore': 'lib/\n', 'lib/template.yaml': TEMPLATE, 'lib/untracked.yaml': TEMPLATE, 'svc/lib/t.yaml': TEMPLATE });
    git(dir, 'add', '.gitignore');
    git(dir, 'add', '-f', 'lib/template.yaml');
    const files = async (args: string[], cwd: string) => ((await scanJson(cwd, [...args])).tables as { file: string }[]).map((t) => t.file);
    expect(await files(['.'], dir)).toEqual(['lib/template.yaml']);
    expect(await files(['lib'], dir)).toEqual(['lib/template.yaml']);
    // From a folder below the work tree's root.
    expect(await files(['.'], path.join(dir, 'lib'))).toEqual(['template.yaml']);
  });
});
