/**
 * Input nested past what a parser's stack takes is bad input like any other: "nested too deeply to parse",
 * at its deepest point (src/engine/pipeline.ts errorOf). `yaml` reports running out of stack as the
 * document's error: a template of flow collections 2,000 deep was reported "YAML: Maximum call stack size
 * exceeded" at an unrelated column (an adversarial pass on hostile input). The file beside it is read.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

it('flow collections 2,000 deep: nested too deeply, at the deepest point; the other file is scanned', async () => {
  const depth = 2000;
  const open = '[{'.repeat(depth / 2);
  const close = '}]'.repeat(depth / 2);
  const deep = `Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: ${open}${close}\n`;
  const good = 'Resources:\n  U:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: []\n';
  const r = await processMemory(
    [
      { path: 'deep.yaml', text: deep },
      { path: 'good.yaml', text: good },
    ],
    'scan',
  );
  const bad = r.outcomes.find((o) => o.file.path === 'deep.yaml')!;
  expect(bad.error?.message).toBe(`nested too deeply to parse (${depth} levels at this point)`);
  // The last opening bracket of line 5.
  expect([bad.error?.line, bad.error?.column]).toEqual([5, '      TableName: '.length + open.length]);
  expect(r.outcomes.find((o) => o.file.path === 'good.yaml')!.tables).toHaveLength(1);
});
