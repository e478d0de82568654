/**
 * SARIF output: valid against the official SARIF 2.1.0 JSON schema, one result per non-compliant
 * table with a usable location, and fixes whose replacements, applied to the source, give exactly
 * what `kmsfix fix` writes.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateDense } from '../../bench/generate.mjs';
import { FIXTURES, ROOT } from '../helpers/fixture-cases.js';
import { runCli, scanJson } from '../helpers/cli-helper.js';
import { artifactUri, repoPath, sarifRoot } from '../../src/report/sarif.js';

const require = createRequire(import.meta.url);
type Validate = ((data: unknown) => boolean) & { errors?: unknown };
// ajv-draft-04 is CommonJS: its default export is the Ajv class for the draft-04 SARIF schema.
const Ajv = (
  require('ajv-draft-04') as {
    default: new (o: object) => { compile(schema: object): Validate; addFormat(name: string, format: RegExp): void };
  }
).default;
const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));

interface Replacement {
  deletedRegion: { charOffset: number; charLength: number; startLine: number; startColumn: number };
  insertedContent: { text: string };
}

function apply(source: string, reps: Replacement[]): string {
  let out = source;
  for (const r of [...reps].sort((a, b) => b.deletedRegion.charOffset - a.deletedRegion.charOffset)) {
    const { charOffset, charLength } = r.deletedRegion;
    out = out.slice(0, charOffset) + r.insertedContent.text + out.slice(charOffset + charLength);
  }
  return out;
}

const CF = path.join(FIXTURES, 'cloudformation');
const SINGLE = ['yaml-no-sse', 'yaml-sse-disabled', 'yaml-crlf-bom', 'json-4space', 'sam', 'global-table-local', 'yaml-long-intrinsics'];

/**
 * The schema's "uri" and "uri-reference" formats (RFC 3986), which ajv checks only when given them
 * (ajv-formats is not a dependency): every character unreserved, a sub-delimiter, `:`, `@`, `/` or
 * percent-encoded, one `?` query and one `#` fragment at most. Looser than RFC 3986 on an authority
 * (kmsfix writes none but in helpUri and informationUri), as strict on the characters of a path.
 */
const PCHAR = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})";
const REFERENCE = `(?:${PCHAR}|/)*(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?$`;
function withUriFormats(ajv: InstanceType<typeof Ajv>) {
  ajv.addFormat('uri', new RegExp(`^[A-Za-z][A-Za-z0-9+.-]*:${REFERENCE}`));
  ajv.addFormat('uri-reference', new RegExp(`^(?:[A-Za-z][A-Za-z0-9+.-]*:)?${REFERENCE}`));
  return ajv;
}

function tree(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-sarif-'));
  for (const c of [...SINGLE, 'yaml-statuses', 'global-table-multi-region']) {
    const name = c === 'json-4space' ? 'input.json' : 'input.yaml';
    cpSync(path.join(CF, c, name), path.join(dir, `${c}${path.extname(name)}`));
  }
  cpSync(path.join(CF, 'bad', 'yaml-bad-indent', 'input.yaml'), path.join(dir, 'broken.yaml'));
  return dir;
}

describe('--format sarif', () => {
  it('validates against the SARIF 2.1.0 schema and reports every non-compliant table', async () => {
    const dir = tree();
    const r = await runCli(['scan', '--format', 'sarif'], dir);
    expect(r.code).toBe(2); // broken.yaml
    const log = JSON.parse(r.stdout);
    const ajv = withUriFormats(new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }));
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 1)).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('kmsfix');
    expect(run.tool.driver.rules[0].properties.peerRules).toContain('CKV_AWS_119');
    const scan = await scanJson(dir);
    const nonCompliant = scan.tables.filter((t: { compliant: boolean }) => !t.compliant);
    expect(run.results.length).toBe(nonCompliant.length);
    for (const res of run.results) {
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toMatch(/^[^/].+/);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(['error', 'warning', 'note']).toContain(res.level);
    }
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toContain('YAML');
    // Tables that cannot be fixed have no fixes.
    const blocked = run.results.find((x: { properties: { address: string } }) => x.properties.address === 'Accounts');
    expect(blocked.fixes).toBeUndefined();
  });

  it('names each file by a percent-encoded URI reference: valid with format checks, and resolving to that file', async () => {
    // Session 52: the raw path failed "uri-reference" (space, %, non-ASCII) or named another file (#, ?).
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-sarif-uri-'));
    const names = ['dir with space/a b.yaml', 'ünï/tâble.yaml', 'h#sh.yaml', 'q?x.yaml', '50%.yaml', 'a:b.yaml', 'plain.yaml'];
    for (const name of names) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(dir, name));
    }
    cpSync(path.join(CF, 'bad', 'yaml-bad-indent', 'input.yaml'), path.join(dir, 'bro ken#1.yaml'));
    const r = await runCli(['fix', '--dry-run', '--format', 'sarif'], dir);
    expect(r.code).toBe(2); // the broken file
    const log = JSON.parse(r.stdout);
    const validate = withUriFormats(new Ajv({ allErrors: true, strict: false, unicodeRegExp: false })).compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 1)).toBe(true);
    // Each uri, read as GitHub code scanning reads it (relative to the root it scanned), names its file.
    const base = pathToFileURL(`${dir}/`);
    const named = (uri: string) =>
      path
        .relative(dir, fileURLToPath(new URL(uri, base)))
        .split(path.sep)
        .join('/');
    const run = log.runs[0];
    const results = run.results as {
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
      fixes: { artifactChanges: { artifactLocation: { uri: string } }[] }[];
    }[];
    expect(results.map((x) => named(x.locations[0].physicalLocation.artifactLocation.uri)).sort()).toEqual([...names].sort());
    for (const x of results) {
      const uri = x.locations[0].physicalLocation.artifactLocation.uri;
      expect(x.fixes[0].artifactChanges.map((c) => c.artifactLocation.uri)).toEqual([uri]);
    }
    expect(results.find((x) => x.locations[0].physicalLocation.artifactLocation.uri.startsWith('dir'))!.locations[0]).toMatchObject({
      physicalLocation: { artifactLocation: { uri: 'dir%20with%20space/a%20b.yaml' } },
    });
    const notification = run.invocations[0].toolExecutionNotifications.find((n: { level: string }) => n.level === 'error');
    expect(notification.locations[0].physicalLocation.artifactLocation.uri).toBe('bro%20ken%231.yaml');
    // The JSON report keeps the plain path.
    const json = await scanJson(dir);
    expect(json.tables.map((t: { file: string }) => t.file).sort()).toEqual([...names].sort());
  });

  it('artifactUri: each segment encoded, / kept; an absolute path (another drive on Windows) a file: URI', () => {
    expect(artifactUri('../infra/my stack/app.yaml')).toBe('../infra/my%20stack/app.yaml');
    expect(artifactUri('ünï/h#sh?.yaml')).toBe('%C3%BCn%C3%AF/h%23sh%3F.yaml');
    expect(artifactUri('a:b/100%.yaml')).toBe('a%3Ab/100%25.yaml');
    expect(artifactUri('/srv/my repo/app.yaml')).toBe('file:///srv/my%20repo/app.yaml');
    expect(artifactUri('D:/my repo/app.yaml')).toBe('file:///D:/my%20repo/app.yaml');
  });

  it('carries what GitHub code scanning reads: security-severity, helpUri, full description', async () => {
    const dir = tree();
    const log = JSON.parse((await runCli(['scan', '--format', 'sarif'], dir)).stdout);
    const run = log.runs[0];
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(run.tool.driver.informationUri).toBe(pkg.homepage);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const anchors = new Set(
      readme
        .split('\n')
        .filter((l) => l.startsWith('#'))
        .map((l) =>
          l
            .replace(/^#+\s*/, '')
            .toLowerCase()
            .replace(/[^a-z0-9 -]/g, '')
            .replace(/ /g, '-'),
        ),
    );
    const rules = run.tool.driver.rules as {
      id: string;
      helpUri: string;
      fullDescription: { text: string };
      properties: Record<string, unknown>;
    }[];
    for (const rule of rules) {
      expect(rule.helpUri.startsWith(`${pkg.homepage}#`), rule.id).toBe(true);
      expect(anchors.has(rule.helpUri.split('#')[1]), rule.helpUri).toBe(true);
      expect(rule.fullDescription.text.length).toBeGreaterThan(40);
      const sev = Number(rule.properties['security-severity']);
      expect(sev > 0 && sev < 10, rule.id).toBe(true);
    }
    expect(run.results.length).toBeGreaterThan(0);
    for (const res of run.results as { ruleIndex: number; ruleId: string; properties: Record<string, unknown> }[]) {
      const rule = rules[res.ruleIndex];
      expect(rule.id).toBe(res.ruleId);
      expect(res.properties['security-severity']).toBe(rule.properties['security-severity']);
    }
    // An AWS owned key weighs more than the AWS managed one.
    const sev = (id: string) => Number(rules.find((r) => r.id === id)!.properties['security-severity']);
    expect(sev('kmsfix/aws-owned-key')).toBeGreaterThan(sev('kmsfix/aws-managed-key'));
  });

  it('each fix, applied to the source, gives what kmsfix fix writes', async () => {
    const dir = tree();
    const log = JSON.parse((await runCli(['fix', '--dry-run', '--format', 'sarif'], dir)).stdout);
    const withFixes = log.runs[0].results.filter((x: { fixes?: unknown }) => x.fixes);
    expect(withFixes.length).toBeGreaterThanOrEqual(SINGLE.length + 1);
    for (const c of SINGLE) {
      const ext = c === 'json-4space' ? '.json' : '.yaml';
      const res = withFixes.find(
        (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          x.locations[0].physicalLocation.artifactLocation.uri === `${c}${ext}`,
      );
      expect(res, c).toBeDefined();
      const change = res.fixes[0].artifactChanges[0];
      expect(change.artifactLocation.uri).toBe(`${c}${ext}`);
      const source = readFileSync(path.join(dir, `${c}${ext}`), 'utf8');
      const expected = readFileSync(path.join(CF, c, `expected${ext}`), 'utf8');
      expect(apply(source, change.replacements), c).toBe(expected);
    }
    // A file with several tables: each table's fix alone still parses and fixes that table.
    const statuses = withFixes.filter(
      (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        x.locations[0].physicalLocation.artifactLocation.uri === 'yaml-statuses.yaml',
    );
    expect(statuses.length).toBe(1);
    const fixedText = apply(
      readFileSync(path.join(dir, 'yaml-statuses.yaml'), 'utf8'),
      statuses[0].fixes[0].artifactChanges[0].replacements,
    );
    expect(fixedText).toBe(readFileSync(path.join(CF, 'yaml-statuses', 'expected.yaml'), 'utf8'));
  });

  it('reads a finished run: the same log from worker threads as from one thread, fixes included', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-sarif-pool-'));
    generateDense(dir, { seed: 5, scale: 0.04 }); // ~140 files of every format: past the pool's 50 files
    for (const args of [['scan'], ['fix', '--dry-run']]) {
      const one = await runCli([...args, '--format', 'sarif'], dir, undefined, { KMSFIX_WORKERS: '0' });
      const pooled = await runCli([...args, '--format', 'sarif'], dir, undefined, { KMSFIX_WORKERS: '2', KMSFIX_PARALLEL_MIN_BYTES: '0' });
      expect(pooled.stdout, args.join(' ')).toBe(one.stdout);
      expect(pooled.code).toBe(one.code);
      const results = JSON.parse(one.stdout).runs[0].results as { fixes?: unknown }[];
      expect(results.filter((r) => r.fixes).length, args.join(' ')).toBeGreaterThan(50);
    }
  });

  it('is only for scan and fix --dry-run', async () => {
    expect((await runCli(['fix', '--format', 'sarif'], tree())).code).toBe(2);
  });
});

describe('SARIF paths from the root of the git work tree (session 64)', () => {
  /** A git work tree with infra/ (two templates, one broken) and a sibling folder outside git. */
  function repo() {
    const top = mkdtempSync(path.join(tmpdir(), 'kmsfix-sarif-root-'));
    const root = path.join(top, 'repo');
    mkdirSync(path.join(root, 'infra', 'my stack'), { recursive: true });
    mkdirSync(path.join(top, 'other'));
    execFileSync('git', ['init', '-q', root]);
    cpSync(path.join(CF, 'yaml-no-sse', 'input.yaml'), path.join(root, 'infra', 'app.yaml'));
    cpSync(path.join(CF, 'sam', 'input.yaml'), path.join(root, 'infra', 'my stack', 'sam.yaml'));
    cpSync(path.join(CF, 'bad', 'yaml-bad-indent', 'input.yaml'), path.join(root, 'infra', 'broken.yaml'));
    return { top, root };
  }

  /** Every path the log names: results, their fixes, the fingerprints, the error notifications. */
  function places(stdout: string) {
    const run = JSON.parse(stdout).runs[0];
    return {
      uris: run.results.map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0].physicalLocation.artifactLocation.uri,
      ),
      fingerprints: run.results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['kmsfix/table']),
      fixes: run.results.flatMap((r: { fixes?: { artifactChanges: { artifactLocation: { uri: string } }[] }[] }) =>
        (r.fixes ?? []).flatMap((f) => f.artifactChanges.map((c) => c.artifactLocation.uri)),
      ),
      errors: run.invocations[0].toolExecutionNotifications.flatMap(
        (n: { locations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          (n.locations ?? []).map((l) => l.physicalLocation.artifactLocation.uri),
      ),
    };
  }

  it('gives the same uris and fingerprints from a subfolder, from outside and from another folder as from the root', async () => {
    const { top, root } = repo();
    const fromRoot = await runCli(['scan', '--format', 'sarif', 'infra'], root);
    expect(fromRoot.code).toBe(2); // broken.yaml
    const expected = places(fromRoot.stdout);
    expect([...expected.uris].sort()).toEqual(['infra/app.yaml', 'infra/my%20stack/sam.yaml']);
    expect(expected.fingerprints.every((f: string) => f.startsWith('infra/'))).toBe(true);
    expect(expected.errors).toEqual(['infra/broken.yaml']);
    for (const [args, cwd] of [
      [['infra'], root],
      [[], path.join(root, 'infra')],
      [['.'], path.join(root, 'infra')],
      [['repo/infra'], top],
      [['../repo/infra'], path.join(top, 'other')],
      [[path.join(root, 'infra')], top],
    ] as [string[], string][]) {
      const r = await runCli(['scan', '--format', 'sarif', ...args], cwd);
      expect(places(r.stdout), `${cwd} ${args.join(' ')}`).toEqual(expected);
    }
    // The text and JSON reports still name the path from the current folder.
    const json = await scanJson(path.join(root, 'infra'));
    expect(json.tables.map((t: { file: string }) => t.file).sort()).toContain('app.yaml');
  });

  it('sarifRoot: the work tree of the current folder when every path is in it, else the one of every path, else none', () => {
    const { top, root } = repo();
    mkdirSync(path.join(top, 'two', 'x'), { recursive: true });
    execFileSync('git', ['init', '-q', path.join(top, 'two')]);
    const base = (paths: string[], cwd: string) => sarifRoot(paths, cwd)?.root;
    expect(base([], path.join(root, 'infra'))).toBe(root);
    expect(base(['../other'], root)).toBeUndefined();
    expect(base(['../repo/infra'], path.join(top, 'other'))).toBe(root);
    expect(base(['repo', 'two'], top)).toBeUndefined();
    expect(base(['.'], top)).toBeUndefined();
    expect(base(['../two/x'], root)).toBe(path.join(top, 'two'));
    const b = sarifRoot([], path.join(root, 'infra'));
    expect(repoPath('app.yaml', b)).toBe('infra/app.yaml');
    expect(repoPath('..a.yaml', sarifRoot([], root))).toBe('..a.yaml');
    expect(repoPath('../x.yaml', b)).toBe('x.yaml');
    expect(repoPath('a.yaml', undefined)).toBe('a.yaml');
  });
});
