/**
 * A merged set (src/formats/cloudformation/mergedSiblings.ts) is built once per run (DiskContext.once), not once per
 * member: each of a Serverless `resources:` list's N files asked for the set, which parsed the service file and the
 * N listed files again, so a fix's time grew with N squared (round 38 F9: 38 s for 400 files). Counted here by the
 * parses of each file's text, with a context per file as the engine makes them.
 */
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempTree } from '../../helpers/cli-helper.js';

const parsed = new Map<string, number>();
vi.mock('../../../src/formats/yaml/tree.js', async (original) => {
  const tree = await original<typeof import('../../../src/formats/yaml/tree.js')>();
  return {
    ...tree,
    parseYaml: (text: string, ...rest: unknown[]) => {
      parsed.set(text, (parsed.get(text) ?? 0) + 1);
      return (tree.parseYaml as (t: string, ...r: unknown[]) => ReturnType<typeof tree.parseYaml>)(text, ...rest);
    },
  };
});

const { contextFor, runDisk } = await import('../../../src/engine/disk.js');
const { FORMATS, loadFormat } = await import('../../../src/formats/index.js');
const { mergedSet } = await import('../../../src/formats/cloudformation/mergedSiblings.js');

const table = (id: string) => `Resources:\n  ${id}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n`;

function tree(files: Record<string, string>): string {
  return tempTree('merged-once', files);
}

async function setsOf(files: Record<string, string>, asking: string[]) {
  const dir = tree(files);
  const format = await loadFormat(FORMATS.find((f) => f.name === 'cloudformation')!);
  const disk = runDisk();
  parsed.clear();
  const sets = [];
  for (const rel of asking) {
    const file = { path: rel, absPath: path.join(dir, rel), text: files[rel] };
    sets.push(await mergedSet(file, contextFor(disk, [file], format)));
  }
  return sets;
}

describe('a merged set is built once per run', () => {
  it('a Serverless resources list: the service file and each listed file parsed once, whichever file asks', async () => {
    const n = 12;
    const files: Record<string, string> = {
      'serverless.yml': `service: s\nresources:\n${Array.from({ length: n }, (_, i) => `  - \${file(resources/t${i}.yml)}\n`).join('')}`,
    };
    for (let i = 0; i < n; i++) files[`resources/t${i}.yml`] = table(`Table${i}`);
    const asking = [...Object.keys(files).slice(1), 'serverless.yml'];
    const sets = await setsOf(files, asking);
    expect(sets.map((s) => s?.own.endsWith(asking[sets.indexOf(s)]))).toEqual(asking.map(() => true));
    expect(new Set(sets.map((s) => JSON.stringify(s!.files.map((f) => [f.path, [...f.names], f.tables]))))).toHaveProperty('size', 1);
    expect(sets[0]!.files.map((f) => f.path)).toEqual(['serverless.yml', ...asking.slice(0, n)]);
    for (const text of Object.values(files)) expect(parsed.get(text)).toBe(1);
  });

  it('a Copilot addons folder: each template parsed once', async () => {
    const files = {
      'copilot/api/addons/a.yml': table('A'),
      'copilot/api/addons/b.yml': table('B'),
      'copilot/api/addons/c.yml': table('C'),
      'copilot/api/addons/addons.parameters.yml': 'Parameters:\n  Env: x\n',
    };
    const asking = Object.keys(files).slice(0, 3);
    const sets = await setsOf(files, asking);
    expect(sets.map((s) => s!.files.map((f) => [...f.names]))).toEqual(asking.map(() => [['A'], ['B'], ['C']]));
    for (const rel of asking) expect(parsed.get(files[rel as keyof typeof files])).toBe(1);
  });
});
