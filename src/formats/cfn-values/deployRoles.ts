/**
 * The role CloudFormation deploys a stack with, where the project names it beside the stack's file, for the
 * commit message's Who deploys caution (src/report/commitMessage.ts): that role makes the new keys' KMS calls.
 *
 * - A Serverless service: `provider.iam.deploymentRole` (Framework v2.45 on, v3, v4), else the older
 *   `provider.cfnRole`, which the Framework passes to CloudFormation as the stack's service role (RoleARN).
 * - A SAM project: each environment's `role_arn` in `samconfig.toml` (`.yaml`, `.yml`), the `--role-arn`
 *   `sam deploy --config-env <env>` passes: `[<env>.deploy.parameters]`, else `[<env>.global.parameters]`. The
 *   files are found as environments.ts finds them: the template's folder (and its `samconfig-<env>.toml`), and
 *   one or two folders above where an environment's `template_file` names the template.
 *
 * Only what is written is read: a role set by a script or a pipeline (`sam deploy --role-arn` on a command line,
 * CodePipeline's RoleArn) is not seen; the caution's describe-stacks command shows it.
 */
import type { DeployRole, DiskContext, SourceFile } from '../../core/types.js';
import { LineIndex } from '../../core/text.js';
import { type CNode, child, pair, parseYaml, resolveAlias } from '../yaml/tree.js';
import { deploysTemplate, isObject, plainOf, samConfigurations } from './environments.js';

/** A setting's value as a role: a string as it is, anything else (a variable the Framework resolves, a map) as written. */
function written(node: CNode | null | undefined, text: string): string | undefined {
  const v = resolveAlias(node ?? null);
  if (!v) return undefined;
  if (v.kind === 'scalar' && !v.tag && !v.code) return v.value === null || v.value === '' ? undefined : String(v.value);
  return text.slice(v.start, v.end).trim() || undefined;
}

/** A Serverless service's deployment role (`root`: its document, parsed from `file`'s text). */
export function serviceDeployRoles(root: CNode | null | undefined, file: SourceFile): DeployRole[] {
  const provider = resolveAlias(child(root, 'provider') ?? null);
  const iam = resolveAlias(child(provider, 'iam') ?? null);
  for (const [map, key, setting] of [
    [iam, 'deploymentRole', 'provider.iam.deploymentRole'],
    [provider, 'cfnRole', 'provider.cfnRole'],
  ] as const) {
    const p = pair(map, key);
    const role = written(p?.value, file.text);
    if (p && role !== undefined) return [{ role, file: file.path, line: LineIndex.of(file.text).position(p.keyStart).line, setting }];
  }
  return [];
}

/** The `role_arn` each environment of the SAM configurations that deploy `template` passes. */
export async function samDeployRoles(template: SourceFile, context: DiskContext): Promise<DeployRole[]> {
  const out: DeployRole[] = [];
  for (const { config, own } of await samConfigurations(template, context)) out.push(...(await rolesOf(config, template, own)));
  return out;
}

/** The roles of one configuration file's environments that deploy the template (none where it does not parse). */
async function rolesOf(config: SourceFile, template: SourceFile, own: boolean): Promise<DeployRole[]> {
  return (await environmentSettings(config, template, own, 'role_arn')).map((s) => ({
    role: s.value,
    file: s.file,
    line: s.line,
    setting: 'role_arn',
    environment: s.environment,
  }));
}

/**
 * A setting (`role_arn`, `region`) each environment of one configuration file that deploys the template passes
 * (`[<env>.deploy.parameters]`, else `[<env>.global.parameters]`), with its line; none where the file does not parse.
 */
export async function environmentSettings(
  config: SourceFile,
  template: SourceFile,
  own: boolean,
  key: string,
): Promise<{ value: string; file: string; line: number; environment: string }[]> {
  if (config.unreadable !== undefined) return [];
  let root: unknown;
  try {
    root = await plainOf(config);
  } catch {
    return [];
  }
  if (!isObject(root)) return [];
  const out: { value: string; file: string; line: number; environment: string }[] = [];
  for (const [name, env] of Object.entries(root)) {
    if (!isObject(env)) continue;
    const params = (section: unknown) => (isObject(section) && isObject(section.parameters) ? section.parameters : undefined);
    const global = params(env.global);
    const deploy = params(env.deploy);
    const chosen = deploy?.template_file ?? deploy?.template ?? global?.template_file ?? global?.template;
    if (!deploysTemplate(chosen, config, template, own)) continue;
    const command = deploy && key in deploy ? 'deploy' : 'global';
    const value = (command === 'deploy' ? deploy : global)?.[key];
    if (typeof value !== 'string' || value.trim() === '') continue;
    out.push({ value, file: config.path, line: settingLine(config, name, command, key), environment: name });
  }
  return out;
}

/** The line of `key` (`role_arn`) in `[<env>.<command>.parameters]` (its section's line, or 1, where kmsfix does not find it so). */
function settingLine(config: SourceFile, env: string, command: string, key: string): number {
  if (!config.path.endsWith('.toml')) {
    const root = parseYaml(config.text)[0]?.root ?? null;
    const section = resolveAlias(child(resolveAlias(child(resolveAlias(child(root, env) ?? null), command) ?? null), 'parameters') ?? null);
    const p = pair(section, key);
    return p ? LineIndex.of(config.text).position(p.keyStart).line : 1;
  }
  const lines = config.text.split('\n');
  const header = (l: string) => /^\s*\[([^\]]*)\]\s*(?:#.*)?$/.exec(l)?.[1].replace(/["'\s]/g, '');
  let inSection = false;
  let sectionLine = 1;
  for (const [i, l] of lines.entries()) {
    const h = header(l);
    if (h !== undefined) {
      inSection = h === `${env}.${command}.parameters`;
      if (inSection) sectionLine = i + 1;
    } else if (inSection && new RegExp(`^\\s*["']?${key}["']?\\s*=`).test(l)) return i + 1;
  }
  return sectionLine;
}
