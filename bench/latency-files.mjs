/** The files whose one-file `kmsfix scan FILE` the bench times: one per format, the same for a seed. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Every file below `dir`, in sorted order. */
function filesBelow(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

const first = (dir, test) => {
  const file = filesBelow(dir).find(test);
  if (!file) throw new Error(`bench: no file for the one-file latency below ${dir}`);
  return file;
};

/** [{ label, file }] for the dense corpus at `dense` of `shape`. */
export function pickLatencyFiles(dense, shape) {
  if (shape === 'classic') {
    return [
      { label: 'CloudFormation YAML', file: first(path.join(dense, 'yaml'), () => true) },
      { label: 'CloudFormation JSON', file: first(path.join(dense, 'json'), () => true) },
      { label: 'Terraform', file: first(path.join(dense, 'tf'), () => true) },
      { label: 'CDK (TypeScript)', file: first(path.join(dense, 'cdk'), () => true) },
    ];
  }
  return [
    // A hand-written template that merges defaults and aliases fragments.
    {
      label: 'CloudFormation YAML with anchors',
      file: first(
        path.join(dense, 'yaml', 'anchors'),
        (f) => !f.endsWith('serverless.yml') && /<<: \*/.test(readFileSync(f, 'utf8')) && / \*\w/.test(readFileSync(f, 'utf8')),
      ),
    },
    { label: 'CloudFormation JSON', file: first(path.join(dense, 'json'), () => true) },
    // A file with tables in a module of many files (detection reads the module's other files).
    {
      label: 'Terraform (module of many files)',
      file: first(path.join(dense, 'tf'), (f) => f.includes(`${path.sep}modules${path.sep}`) && path.basename(f).startsWith('dynamodb_')),
    },
    { label: 'CDK (TypeScript)', file: first(path.join(dense, 'cdk'), () => true) },
    { label: 'Pulumi YAML', file: first(path.join(dense, 'pulumi'), (f) => path.basename(f) === 'Pulumi.yaml') },
  ];
}
