/**
 * cfn-lint (AWS's CloudFormation linter) on every expected CloudFormation, SAM and Serverless
 * output: no errors allowed. Missing cfn-lint fails the test; it never passes silently.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureCases } from '../../helpers/fixture-cases.js';

function cfnLintAvailable(): string | undefined {
  try {
    return execFileSync('cfn-lint', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** Serverless variables (`${self:...}`, not CloudFormation's `${AWS::...}`) as a plain word, as the framework's deploy would leave a value. */
function slsVariablesResolved(text: string): string {
  return text.replace(/\$\{(?!AWS::)(?:[^{}]|\{[^{}]*\})*\}/g, 'slsvar');
}

/**
 * A serverless.yml is not a template: lint its `resources.Resources` as one. Serverless variables
 * (`${self:...}`) are resolved by the framework at deploy time; here they become a plain word, an
 * SSEEnabled that is a variable becomes `false`, and a table's whole Properties that is one, a
 * table's minimal Properties (the values those variables would need to be linted as).
 */
function serverlessAsTemplate(text: string): string {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s+Resources:\s*$/.test(l));
  const indent = lines[start].indexOf('R');
  const body: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l.trim() !== '' && l.length - l.trimStart().length <= indent) break;
    body.push(l.slice(indent));
  }
  const resolved = slsVariablesResolved(
    body
      .join('\n')
      .replace(/SSEEnabled: \$\{.*\}/g, 'SSEEnabled: false')
      .replace(
        /Properties: \$\{.*\}/g,
        'Properties: {BillingMode: PAY_PER_REQUEST, KeySchema: [{AttributeName: id, KeyType: HASH}], AttributeDefinitions: [{AttributeName: id, AttributeType: S}]}',
      ),
  );
  return `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${resolved}\n`;
}

/**
 * A file of Resources that serverless.yml includes (`Resources: ${file(tables.yml)}`) is not a
 * template either: lint it under `Resources:`, its variables resolved as above; one resource's body
 * (`Type:` at the top) under a logical ID of its own; the `${file(...)}` includes left out.
 */
function resourceFileAsTemplate(text: string): string {
  const lone = /^Type:/m.test(text);
  const lines = text
    .split(/\r?\n/)
    .filter((l) => !/: \$\{file\(.*\)\}\s*$/.test(l))
    .map((l) => (l.trim() === '' ? l : `  ${lone ? '  ' : ''}${l}`));
  return `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${lone ? '  Included:\n' : ''}${slsVariablesResolved(lines.join('\n'))}\n`;
}

/**
 * Placeholders of other tools (cookiecutter, SSM Automation, SAR, src/core/placeholders.ts) are
 * rendered before deployment: linted as a plain word, as the rendered template would hold.
 */
function placeholdersRendered(text: string): string {
  return text.replace(/\{\{(?!\s*resolve:)[\s\S]*?\}\}|<%[\s\S]*?%>/g, 'rendered');
}

describe('cfn-lint on expected outputs', () => {
  const cases = fixtureCases('cloudformation');
  const version = cfnLintAvailable();

  it('cfn-lint is installed', () => {
    expect(version, 'cfn-lint is not on PATH: install it (pip install cfn-lint) to validate CloudFormation outputs').toBeDefined();
  });

  it('reports no error on any expected template', () => {
    expect(version).toBeDefined();
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-cfnlint-'));
    const files: string[] = [];
    for (const c of cases) {
      for (const p of c.expectedPaths) {
        // A SAM configuration beside the template (untyped-key-if-environments) is no template.
        if (p.endsWith('.toml')) continue;
        const text = readFileSync(p, 'utf8');
        if (/^service:/m.test(text) && /^\s+Resources:\s*$/m.test(text)) {
          const f = path.join(dir, `${c.name}.yaml`);
          writeFileSync(f, serverlessAsTemplate(text));
          files.push(f);
        } else if (/^service:/m.test(text)) {
          // A serverless.yml whose Resources are included: nothing of its own to lint.
        } else if (text.trimStart().startsWith('{') && !/^\s*"(AWSTemplateFormatVersion|Resources)"\s*:/m.test(text)) {
          // A file of Resources in JSON: under Resources, its variables resolved.
          const f = path.join(dir, `${c.name}-${path.basename(p)}`);
          const resources = JSON.parse(slsVariablesResolved(text));
          writeFileSync(f, JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, null, 2));
          files.push(f);
        } else if (!/^(AWSTemplateFormatVersion|Resources|Transform|Description):/m.test(text) && !text.trimStart().startsWith('{')) {
          const f = path.join(dir, `${c.name}-${path.basename(p)}`);
          writeFileSync(f, resourceFileAsTemplate(text));
          files.push(f);
        } else if (placeholdersRendered(text) !== text) {
          const f = path.join(dir, `${c.name}${path.extname(p)}`);
          writeFileSync(f, placeholdersRendered(text));
          files.push(f);
        } else {
          files.push(p);
        }
      }
    }
    expect(files.length).toBeGreaterThan(10);
    // Exit code is a bit mask: 2 = errors, 4 = warnings, 8 = informational. Only errors fail.
    const r = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...files], { encoding: 'utf8' });
    const errors = r.stdout.split('\n').filter((l) => /:E\d{4}:/.test(l));
    expect(errors, r.stdout + r.stderr).toEqual([]);
    expect(r.status! & 2, r.stdout + r.stderr).toBe(0);
    expect(r.status! & 1, `cfn-lint failed to run: ${r.stderr}`).toBe(0);
  });
});
