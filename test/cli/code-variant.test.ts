/**
 * The kind of run whose cached code the CLI loads (src/cli/codeVariant.ts), from the paths on its command line.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeVariant } from '../../src/cli/codeVariant.js';

describe('codeVariant', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-variant-'));
  const file = (name: string) => {
    const abs = path.join(dir, name);
    writeFileSync(abs, '');
    return abs;
  };
  const tf = file('main.tf');
  const tfJson = file('main.tf.json');
  const yaml = file('template.YAML');
  const odd = file('Dockerfile');
  const folder = path.join(dir, 'modules');
  mkdirSync(folder);

  it("names the files' extension, several as mixed, a folder as a tree", () => {
    expect(codeVariant(['scan', tf])).toBe('tf');
    expect(codeVariant(['fix', '--dry-run', tfJson])).toBe('json');
    expect(codeVariant(['scan', yaml])).toBe('yaml');
    expect(codeVariant(['scan', odd])).toBe('file');
    expect(codeVariant(['scan', tf, path.join(dir, 'main.tf')])).toBe('tf');
    expect(codeVariant(['scan', tf, yaml])).toBe('mixed');
    expect(codeVariant(['scan', tf, folder])).toBe('tree');
  });

  it('counts only paths that exist; none: undefined', () => {
    expect(codeVariant(['--version'])).toBeUndefined();
    expect(codeVariant(['scan'])).toBeUndefined();
    expect(codeVariant(['scan', '--format', 'json', path.join(dir, 'gone.json')])).toBeUndefined();
    expect(codeVariant(['scan', '--format', 'json', tf])).toBe('tf');
    expect(codeVariant(['scan', ''])).toBeUndefined();
  });
});
