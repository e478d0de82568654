/**
 * Files inside the scanned folders that are symbolic links are not followed (docs/safety.md, Safety). A Terraform environment
 * whose .tf files link to a shared folder (real-world round 30: jarrod-lowe/jmap-service-core's layout) is then not read
 * as the root module it is: the run says so in a note, naming the links.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { run } from '../../src/engine/run.js';

const TABLE = `variable "key" {\n  default = null\n}\n\nresource "aws_dynamodb_table" "data" {\n  name     = "data"\n  hash_key = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = var.key\n  }\n}\n`;

it('a note names the symbolic links not followed; none without them', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-links-'));
  mkdirSync(path.join(dir, 'environments/_shared'), { recursive: true });
  mkdirSync(path.join(dir, 'environments/prod'), { recursive: true });
  writeFileSync(path.join(dir, 'environments/_shared/main.tf'), TABLE);
  const scan = () => run(['.'], { cwd: dir, mode: 'scan', workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table' });
  expect((await scan()).notes).toEqual([]);
  symlinkSync('../_shared/main.tf', path.join(dir, 'environments/prod/main.tf'));
  writeFileSync(path.join(dir, 'environments/prod/terraform.tfvars'), 'key = "arn:aws:kms:eu-west-1:111122223333:key/x"\n');
  const notes = (await scan()).notes;
  expect(notes).toEqual([
    expect.stringMatching(/^a file inside the scanned folders is a symbolic link, not followed: environments\/prod\/main\.tf\. /),
  ]);
});

it('a link to a folder out of the scanned one that holds templates is named (trailing /); one inside it, or to other files, is not', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-folder-links-'));
  const tree = path.join(dir, 'tree');
  mkdirSync(path.join(dir, 'outside'), { recursive: true });
  mkdirSync(path.join(dir, 'docs'), { recursive: true });
  mkdirSync(path.join(tree, 'app/real'), { recursive: true });
  writeFileSync(path.join(dir, 'outside/main.tf'), TABLE);
  writeFileSync(path.join(dir, 'docs/README.md'), '# docs\n');
  writeFileSync(path.join(tree, 'app/real/main.tf'), TABLE);
  const scan = () => run(['.'], { cwd: tree, mode: 'scan', workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table' });
  symlinkSync('real', path.join(tree, 'app/inside'));
  symlinkSync('../../docs', path.join(tree, 'app/docs'));
  expect((await scan()).notes).toEqual([]);
  symlinkSync('../../outside', path.join(tree, 'app/shared'));
  expect((await scan()).notes).toEqual([
    expect.stringMatching(/^a folder inside the scanned folders is a symbolic link, not followed: app\/shared\/\. /),
  ]);
});

it('a link to a folder named on the command line too says nothing (it is read there)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-roots-links-'));
  mkdirSync(path.join(dir, 'a'), { recursive: true });
  mkdirSync(path.join(dir, 'b'), { recursive: true });
  writeFileSync(path.join(dir, 'b/main.tf'), TABLE);
  symlinkSync('../b', path.join(dir, 'a/toB'));
  const scan = (paths: string[]) => run(paths, { cwd: dir, mode: 'scan', workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table' });
  expect((await scan(['a'])).notes).toEqual([
    expect.stringMatching(/^a folder inside the scanned folders is a symbolic link, not followed: a\/toB\/\. /),
  ]);
  expect((await scan(['a', 'b'])).notes).toEqual([]);
});
