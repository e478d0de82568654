/**
 * The registry of format families. Entries are cheap (path and substring tests); each format's
 * module, with its parser, is imported only when a file needs it.
 *
 * Which family reads a file: among the formats that accept its path, the first in PRECEDENCE whose
 * prefilter matches its text (formatFor). The order of FORMATS itself decides nothing.
 */
import type { Format, FormatEntry } from '../core/types.js';
import { cloudformationEntry } from './cloudformation/entry.js';
import { pulumiYamlEntry } from './pulumi-yaml/entry.js';
import { terraformEntry } from './terraform/entry.js';
import { typescriptEntry } from './typescript/entry.js';

/** Every format family (in no meaningful order: see PRECEDENCE). */
export const FORMATS: readonly FormatEntry[] = [cloudformationEntry, pulumiYamlEntry, terraformEntry, typescriptEntry];

/**
 * Which family reads a file that more than one accepts and whose text passes more than one
 * prefilter, first to last. Two overlaps exist:
 * - `*.yaml` / `*.yml`: CloudFormation (with SAM and serverless.yml) and Pulumi YAML. A file that
 *   names both a CloudFormation table type (`AWS::DynamoDB::Table`) and Pulumi's
 *   (`aws:dynamodb:Table`) is read as CloudFormation: templates are by far the more common YAML
 *   input, and this has been kmsfix's choice since Pulumi YAML was added. Known limit: a Pulumi
 *   program that embeds a CloudFormation template (an `aws:cloudformation:Stack` templateBody)
 *   then has its own tables missed.
 * - `*.tf.json`: CloudFormation takes every `*.json` (templates have no fixed name), Terraform
 *   takes `*.tf.json`; a Terraform JSON file that names a CloudFormation table type (the template
 *   of an `aws_cloudformation_stack`, say) is read as CloudFormation, for the same reason and
 *   with the same limit.
 * Terraform (`*.tf`, `*.tf.json`, OpenTofu's `*.tofu`, `*.tofu.json`) and TypeScript (`*.ts`, `*.mts`, `*.cts`, `*.tsx`, and JavaScript's `*.js`, `*.mjs`, `*.cjs`, `*.jsx`) overlap with nothing else; they are
 * listed so that the order is total. test/formats/registry.test.ts checks that these are the only
 * overlaps and that FORMATS' order changes nothing.
 */
export const PRECEDENCE: readonly string[] = ['cloudformation', 'terraform', 'typescript', 'pulumi-yaml'];

function rank(entry: FormatEntry): number {
  const i = PRECEDENCE.indexOf(entry.name);
  return i === -1 ? PRECEDENCE.length : i;
}

/** The formats that accept a path, by PRECEDENCE. */
export function formatsFor(path: string, formats: readonly FormatEntry[] = FORMATS): FormatEntry[] {
  return formats.filter((e) => e.accepts(path)).sort((a, b) => rank(a) - rank(b));
}

/** The format that reads a file: the first of formatsFor(path) whose prefilter matches its text. */
export function formatFor(path: string, text: string, formats: readonly FormatEntry[] = FORMATS): FormatEntry | undefined {
  return formatsFor(path, formats).find((e) => e.prefilter(text) && e.byContent?.(path, text) !== false);
}

const loaded = new Map<string, Promise<Format>>();

export function loadFormat(entry: FormatEntry): Promise<Format> {
  let p = loaded.get(entry.name);
  if (!p) {
    p = entry.load();
    loaded.set(entry.name, p);
  }
  return p;
}

/** The format that reads a file named on the command line: formatFor's, else the first that takes its name without its text. */
export function namedFormatFor(path: string, text: string): FormatEntry | undefined {
  return formatFor(path, text) ?? formatsFor(path).find((e) => e.byContent?.(path, text) === undefined);
}
