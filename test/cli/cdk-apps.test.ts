/**
 * CDK and CDKTF apps and Pulumi programs in a language kmsfix does not read (src/io/cdkApps.ts): a Python, Java, Go or C#
 * app's `cdk.json`, `cdktf.json` or `Pulumi.yaml` is said once per app, in the text output (a note), the JSON report (`notes`) and SARIF
 * (a tool notification of level note), and a clean tree still exits 0. A TypeScript or JavaScript app
 * says nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pulumiRuntime, unreadLanguage } from '../../src/io/cdkApps.js';
import { runCli } from '../helpers/cli-helper.js';

describe('the language of a cdk.json app', () => {
  it('tells Python, Java, Go and C# from TypeScript and JavaScript', () => {
    const cases: [string, string | undefined][] = [
      ['python app.py', 'Python'],
      ['python3 app.py', 'Python'],
      ['.venv/bin/python -m app', 'Python'],
      ['mvn -e -q compile exec:java', 'Java'],
      ['./gradlew run', 'Java'],
      ['go mod download && go run dynamodb.go', 'Go'],
      ['dotnet run -p src/Orders/Orders.csproj', 'C#'],
      ['npx ts-node --prefer-ts-exts bin/app.ts', undefined],
      ['node bin/app.js', undefined],
      ['npx tsx bin/app.ts', undefined],
      // A TypeScript app named after its handlers' language (panacloud's step04_appsync_lambda_dynamodb/Python).
      ['npx ts-node --prefer-ts-exts bin/python.ts', undefined],
      ['node python/index.mjs', undefined],
      ['python3 -m app --config cdk.py', 'Python'],
    ];
    for (const [app, language] of cases) expect(unreadLanguage(app), app).toBe(language);
  });

  it("a cdktf.json's language, when its command says none", () => {
    expect(unreadLanguage('./run.sh', 'python')).toBe('Python');
    expect(unreadLanguage('./run.sh', 'csharp')).toBe('C#');
    expect(unreadLanguage('npx ts-node main.ts', 'typescript')).toBeUndefined();
  });
});

describe('kmsfix scan beside a CDK app it does not read', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-cdk-apps-'));
    const files: Record<string, string> = {
      'etl/cdk.json': '{ "app": "python3 app.py", "context": {} }\n',
      'etl/lib/dynamodb_stack.py': 'table = dynamodb.Table(self, "Orders")\n',
      'web/cdk.json': '{ "app": "npx ts-node --prefer-ts-exts bin/web.ts" }\n',
      'broken/cdk.json': '{ "app": \n',
      'tf/cdktf.json': '{ "language": "python", "app": "pipenv run python main.py", "terraformProviders": ["aws@~> 5.0"] }\n',
      'tf/cdktf.out/stacks/orders/cdk.tf.json':
        '{ "resource": { "aws_dynamodb_table": { "orders": { "name": "orders", "hash_key": "id", "attribute": [{ "name": "id", "type": "S" }] } } } }\n',
      'tfts/cdktf.json': '{ "language": "typescript", "app": "npx ts-node main.ts" }\n',
    };
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      writeFileSync(path.join(dir, f), text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const note =
    'etl/cdk.json: a CDK app in Python (app: "python3 app.py"), which kmsfix does not read (it reads CDK apps in TypeScript and ' +
    'JavaScript): its tables are not reported; to check them, run cdk synth and scan the templates in cdk.out';

  const cdktfNote =
    'tf/cdktf.json: a CDKTF app in Python (app: "pipenv run python main.py"), which kmsfix does not read (it reads CDKTF apps in ' +
    'TypeScript and JavaScript): its tables are not reported; to check them, run cdktf synth and scan the stacks in cdktf.out (kmsfix scan cdktf.out)';

  it('text: one note per app on stderr, exit 0 (cdktf.out is not walked into)', async () => {
    const r = await runCli(['scan', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`note: ${note}\nnote: ${cdktfNote}\n`);
  });

  it('cdktf.out named on the command line: its table reported, not fixable', async () => {
    const r = await runCli(['scan', '--format', 'json', 'tf/cdktf.out'], dir);
    const [t] = JSON.parse(r.stdout).tables;
    expect(t).toMatchObject({ address: 'aws_dynamodb_table.orders', status: 'aws-owned', fixable: false });
    expect(t.message).toContain('this is `cdktf synth` output (under cdktf.out)');
  });

  it('JSON: notes; SARIF: a notification of level note, the run still successful', async () => {
    const json = await runCli(['scan', '--format', 'json', '.'], dir);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).notes).toEqual([note, cdktfNote]);
    const sarif = await runCli(['scan', '--format', 'sarif', '.'], dir);
    expect(sarif.code).toBe(0);
    const invocation = JSON.parse(sarif.stdout).runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications).toEqual([
      { level: 'note', message: { text: note } },
      { level: 'note', message: { text: cdktfNote } },
    ]);
  });
});

describe('kmsfix scan beside a Pulumi program it does not read', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-pulumi-apps-'));
    const files: Record<string, string> = {
      'go/Pulumi.yaml': 'name: orders\nruntime: go\n',
      'go/main.go': 'dynamodb.NewTable(ctx, "orders", &dynamodb.TableArgs{})\n',
      'py/Pulumi.yml': 'name: etl\nruntime:\n  name: python\n  options:\n    toolchain: uv\n',
      'py/requirements.txt': 'pulumi>=3.0.0,<4.0.0\npulumi-aws>=6.0.0\n',
      // Programs whose dependency files list no AWS provider (pulumi/workshops: GCP, Azure, Kubernetes): no note.
      'gcp/Pulumi.yaml': 'name: site\nruntime: python\n',
      'gcp/requirements.txt': 'pulumi>=3.0.0\npulumi-gcp>=7.0.0\n',
      'azure/Pulumi.yaml': 'name: site\nruntime: dotnet\n',
      'azure/Site.csproj': '<Project><ItemGroup><PackageReference Include="Pulumi.AzureNative" Version="2.*" /></ItemGroup></Project>\n',
      'csharp/Pulumi.yaml': 'name: api\nruntime: dotnet\n',
      'csharp/Api.csproj': '<Project><ItemGroup><PackageReference Include="Pulumi.Aws" Version="6.*" /></ItemGroup></Project>\n',
      'java/Pulumi.yaml': 'name: api\nruntime: java\n',
      'java/pom.xml': '<dependency>\n  <groupId>com.pulumi</groupId>\n  <artifactId>aws</artifactId>\n</dependency>\n',
      'k8s/Pulumi.yaml': 'name: cluster\nruntime: go\n',
      'k8s/go.mod': 'module cluster\nrequire github.com/pulumi/pulumi-kubernetes/sdk/v4 v4.0.0\n',
      // AWS programs whose files name no AWS provider of their own (the second adversarial pass of session 63): the note stays.
      'bare/Pulumi.yaml': 'name: trail\nruntime: python\n',
      'bare/requirements.txt': 'pulumi>=3.0.0,<4.0.0\n',
      'eks/Pulumi.yaml': 'name: cluster\nruntime: python\n',
      'eks/requirements.txt': 'pulumi>=3.0.0\npulumi-eks>=2.0.0\npulumi-kubernetes>=4.0.0\n',
      'incl/Pulumi.yaml': 'name: app\nruntime: python\n',
      'incl/requirements.txt': '-r ../requirements.txt\npulumi-random>=4.0.0\npulumi-gcp>=7.0.0\n',
      'ref/Pulumi.yaml': 'name: app\nruntime: dotnet\n',
      'ref/App.csproj':
        '<Project><ItemGroup><PackageReference Include="Pulumi.Kubernetes" Version="4.*" /><ProjectReference Include="../Shared/Shared.csproj" /></ItemGroup></Project>\n',
      'ts/Pulumi.yaml': 'name: web\nruntime: nodejs\n',
      'yaml/Pulumi.yaml': 'name: api\nruntime: yaml\nresources: {}\n',
      'broken/Pulumi.yaml': 'runtime: [go\n',
    };
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      writeFileSync(path.join(dir, f), text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const tail =
    ', which kmsfix does not read (it reads Pulumi programs in YAML, TypeScript and JavaScript): its tables are not reported; ' +
    'check their serverSideEncryption (a kmsKeyArn of a customer-managed key) by hand';

  it('a runtime as a string or as { name }', () => {
    expect(pulumiRuntime('runtime: go\n')).toBe('go');
    expect(pulumiRuntime('runtime: { name: dotnet }\n')).toBe('dotnet');
    expect(pulumiRuntime('{ "name": "x", "runtime": "java" }')).toBe('java');
    expect(pulumiRuntime('runtime: [go\n')).toBeUndefined();
    expect(pulumiRuntime('name: x\n')).toBeUndefined();
    expect(pulumiRuntime('name: x\nruntime:\n  name: python # the interpreter\n  options:\n    virtualenv: venv\ndescription: y\n')).toBe(
      'python',
    );
    expect(pulumiRuntime('name: x\nruntime:\n  options:\n    toolchain: pip\n  name: "go"\n')).toBe('go');
    expect(pulumiRuntime("runtime: 'yaml' # a YAML program\nresources: {}\n")).toBe('yaml');
    expect(pulumiRuntime('runtime:\ndescription: x\n  name: go\n')).toBeUndefined();
    expect(pulumiRuntime('{"name": "x", "runtime": {"name": "dotnet"}}')).toBe('dotnet');
    // The JSON form is looked for first, wherever it is written (pulumiRuntime asks its pattern only of a text holding `"runtime"`).
    expect(pulumiRuntime('runtime: go\n# "runtime": "java"\n')).toBe('java');
    expect(pulumiRuntime('runtime: go\n# "runtime" "java"\n')).toBe('go');
  });

  it('one note per Go, Python, C# or Java program but one whose dependency files list only other clouds providers; none for YAML or Node.js; exit 0', async () => {
    const r = await runCli(['scan', '--format', 'json', '.'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).notes).toEqual([
      `bare/Pulumi.yaml: a Pulumi program in Python (runtime: python)${tail}`,
      `csharp/Pulumi.yaml: a Pulumi program in C# (runtime: dotnet)${tail}`,
      `eks/Pulumi.yaml: a Pulumi program in Python (runtime: python)${tail}`,
      `go/Pulumi.yaml: a Pulumi program in Go (runtime: go)${tail}`,
      `incl/Pulumi.yaml: a Pulumi program in Python (runtime: python)${tail}`,
      `java/Pulumi.yaml: a Pulumi program in Java (runtime: java)${tail}`,
      `py/Pulumi.yml: a Pulumi program in Python (runtime: python)${tail}`,
      `ref/Pulumi.yaml: a Pulumi program in C# (runtime: dotnet)${tail}`,
    ]);
  });
});
