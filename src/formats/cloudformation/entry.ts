/** Cheap registry entry for the CloudFormation family: its parser loads only when a file needs it. */
import { renderedName, TEMPLATE_ENGINE_FILE } from '../../core/text.js';
import type { FormatEntry } from '../../core/types.js';

const TABLE_TYPE = /AWS::DynamoDB::(Global)?Table|AWS::Serverless::SimpleTable/;

/** A template's name (the usual names are tested first: every file of a walk is asked). */
const TEMPLATE = /\.(ya?ml|json|template)$/i;
/** A Go template's name with no other extension (`storage.tmpl`, `stack.tpl`). */
const BARE_TEMPLATE = /(?:^|\/)[^/.]+\.(tmpl|tpl)$/i;
/** Such a file is a template when it has a template's top-level key and a table resource's `Type` (not a word in a comment). */
const TEMPLATE_TEXT = /^\s*["']?(?:AWSTemplateFormatVersion|Resources)["']?\s*:/m;
const TABLE_RESOURCE = /\bType["']?\s*:\s*["']?AWS::(?:DynamoDB::(?:Global)?Table|Serverless::SimpleTable)\b/;

export const cloudformationEntry: FormatEntry = {
  name: 'cloudformation',
  // Also a template of a template engine rendered at build time (`main-cf.yml.j2`: ASFHyP3/hyp3, whose rendered
  // files are ignored by git), read under the placeholder rule (src/core/placeholders.ts).
  // A bare `storage.tmpl` / `.tpl` (no format in its name: real-world round 30, yelaco/ludofy's SAM templates that a Go
  // program renders) is one too when its text is a template's with a table (byContent).
  accepts: (path) =>
    (TEMPLATE.test(path) || (TEMPLATE_ENGINE_FILE.test(path) && (TEMPLATE.test(renderedName(path)) || BARE_TEMPLATE.test(path)))) &&
    !/(^|\/)(package(-lock)?|tsconfig|cdk)\.json$/i.test(path),
  prefilter: (text) => TABLE_TYPE.test(text),
  byContent: (path, text) => (BARE_TEMPLATE.test(path) ? TEMPLATE_TEXT.test(text) && TABLE_RESOURCE.test(text) : undefined),
  load: async () => (await import('./index.js')).cloudformation,
};
