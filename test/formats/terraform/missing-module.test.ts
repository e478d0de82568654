/**
 * A call of a local module whose folder is not in the checkout (`source = "../../mantle/modules/dynamodb"`,
 * a sibling repository: j0nathan-ll0yd/aws-cloudformation-media-downloader, round 36) was a silent
 * "0 tables": now a note naming the call's file:line:column and the folder, in the text, JSON and
 * SARIF reports (src/formats/terraform/callSource.ts missingFolder), for a call that looks like a table's
 * (that repository's 26 other missing calls were Lambda, EventBridge... modules). No status or exit code changes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { runCli } from '../../helpers/cli-helper.js';

const CALL =
  'module "dynamodb_idempotency" {\n  source     = "../../mantle/modules/dynamodb"\n  table_name = "idempotency"\n  hash_key   = "id"\n}\n';
const NOTE =
  'infra/dynamodb_idempotency.tf:1:1: module "dynamodb_idempotency" calls ../../mantle/modules/dynamodb, a folder that does not exist: ' +
  'kmsfix could not read the tables it may declare';

describe('a local module call whose folder does not exist', () => {
  it("is a note, in scan and fix, for a call that looks like a table's; not for a folder that is there, ../, or a Lambda module", async () => {
    const files = [
      { path: 'infra/dynamodb_idempotency.tf', text: CALL },
      {
        path: 'infra/main.tf',
        text:
          'module "here" {\n  source = "./modules/here"\n}\n\nmodule "up" {\n  source = "../"\n}\n\n' +
          'module "lambda_device_event" {\n  source = "../../mantle/modules/lambda"\n}\n\n' +
          'module "store" {\n  source   = "../../shared/store"\n  hash_key = "id"\n}\n',
      },
      { path: 'infra/modules/here/main.tf', text: 'variable "x" {}\n' },
    ];
    for (const mode of ['scan', 'fix'] as const) {
      const r = await processMemory(files, mode);
      expect(r.outcomes.flatMap((o) => o.notes ?? [])).toEqual([
        expect.stringContaining(NOTE),
        expect.stringContaining('infra/main.tf:13:1: module "store" calls ../../shared/store, a folder that does not exist'),
      ]);
      expect(r.outcomes.flatMap((o) => o.tables)).toEqual([]);
    }
  });

  it('the CLI says it in text, JSON and SARIF, exit 0', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tf-missing-'));
    mkdirSync(path.join(dir, 'infra'));
    writeFileSync(path.join(dir, 'infra', 'dynamodb_idempotency.tf'), CALL);
    const text = await runCli(['scan', '.'], dir);
    expect(text.code).toBe(0);
    expect(text.stderr).toContain(`note: ${NOTE}`);
    const json = await runCli(['scan', '--format', 'json', '.'], dir);
    expect(JSON.parse(json.stdout).notes).toEqual([expect.stringContaining(NOTE)]);
    const sarif = await runCli(['scan', '--format', 'sarif', '.'], dir);
    expect(sarif.stdout).toContain(NOTE.replace(/"/g, '\\"'));
  });
});
