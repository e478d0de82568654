/**
 * The note flood (session 64): one note per CDK app, CDKTF app or Pulumi program in a language kmsfix does not read.
 * In text, after the first 10 of one kind, one line `... and N more such notes (-v lists them)`, and the summary
 * counts the notes; -v and JSON keep every one; a tree with 10 or fewer of a kind prints as before.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { runCli, scanJson } from '../helpers/cli-helper.js';
import { noteLines } from '../../src/report/noteLines.js';

function tree(cdk: number, pulumi: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-notes-'));
  for (let i = 0; i < cdk; i++) {
    mkdirSync(path.join(dir, `cdk${String(i).padStart(2, '0')}`));
    writeFileSync(path.join(dir, `cdk${String(i).padStart(2, '0')}`, 'cdk.json'), '{ "app": "python3 app.py" }\n');
  }
  for (let i = 0; i < pulumi; i++) {
    mkdirSync(path.join(dir, `pu${String(i).padStart(2, '0')}`));
    writeFileSync(path.join(dir, `pu${String(i).padStart(2, '0')}`, 'Pulumi.yaml'), 'name: x\nruntime: go\n');
  }
  cpSync(path.join(FIXTURES, 'cloudformation', 'yaml-no-sse', 'input.yaml'), path.join(dir, 'app.yaml'));
  return dir;
}

const notesOf = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('note: ') || l.startsWith('... and'));

describe('the note flood', () => {
  it('folds past 10 of a kind in text, with a count in the summary; -v and JSON list all', async () => {
    const dir = tree(13, 2);
    const r = await runCli(['scan'], dir);
    const lines = notesOf(r.stderr);
    expect(lines.filter((l) => l.includes('a CDK app in Python')).length).toBe(10);
    expect(lines.filter((l) => l.includes('a Pulumi program in Go')).length).toBe(2);
    expect(lines).toContain('... and 3 more such notes (-v lists them)');
    expect(lines.length).toBe(13);
    expect(r.stdout).toMatch(/, 0 errors, 15 notes\n$/);
    const v = await runCli(['scan', '-v'], dir);
    expect(notesOf(v.stderr).length).toBe(15);
    expect(v.stdout).toMatch(/, 0 errors\n$/);
    const json = await scanJson(dir);
    expect(json.notes.length).toBe(15);
    const fix = await runCli(['fix', '--dry-run'], dir);
    expect(notesOf(fix.stderr)).toContain('... and 3 more such notes (-v lists them)');
    expect(fix.stderr).toMatch(/0 errors, 15 notes; /);
  });

  it('prints a tree with 10 of a kind as before', async () => {
    const dir = tree(10, 1);
    const r = await runCli(['scan'], dir);
    expect(notesOf(r.stderr).length).toBe(11);
    expect(r.stderr).not.toContain('more such notes');
    expect(r.stdout).toMatch(/, 0 errors\n$/);
  });

  it('noteLines: other notes as they are, the fold line where the 11th would come', () => {
    const app = (i: number) =>
      `a${i}/cdk.json: a CDK app in Python (app: "python app.py"), which kmsfix does not read (it reads CDK apps in TypeScript and JavaScript): x`;
    const notes = ['other', ...Array.from({ length: 12 }, (_, i) => app(i)), 'last'];
    const out = noteLines(notes, false);
    expect(out.folded).toBe(2);
    expect(out.lines.length).toBe(13);
    expect(out.lines[0]).toBe('note: other\n');
    expect(out.lines[11]).toBe('... and 2 more such notes (-v lists them)\n');
    expect(out.lines[12]).toBe('note: last\n');
    expect(noteLines(notes, true).lines.length).toBe(14);
  });
});
