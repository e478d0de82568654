/** Cheap registry entry for the CloudFormation family: its parser loads only when a file needs it. */
import { renderedName, TEMPLATE_ENGINE_FILE } from '../../core/text.js';
import type { FormatEntry } from '../../core/types.js';

const TABLE_TYPE = /AWS::DynamoDB::(Global)?Table|AWS::Serverless::SimpleTable/;

/** A template's name (the usual names are tested first: every file of a walk is asked). */
const TEMPLATE = /\.(ya?ml|json|template)$/i;
/** A Go template's name with no other extension (`storage.tmpl`, `stack.tpl`). */
const BARE_TEMPLATE = /(?:^|\/)[^/.]+\.(tmpl|tpl)$/i;

export const cloudformationEntry: FormatEntry = {
  name: 'cloudformation',
  // Also a template of a template engine rendered at build time (`main-cf.yml.j2`: ASFHyP3/hyp3, whose rendered
  // files are ignored by git), read under the placeholder rule (src/core/placeholders.ts).
  // A bare `storage.tmpl` / `.tpl` (no format in its name: real-world round 30, yelaco/ludofy's SAM templates that a Go
  // program renders) is one too when its content names a table type (the prefilter), as a CloudFormation template.
  accepts: (path) =>
    (TEMPLATE.test(path) || (TEMPLATE_ENGINE_FILE.test(path) && (TEMPLATE.test(renderedName(path)) || BARE_TEMPLATE.test(path)))) &&
    !/(^|\/)(package(-lock)?|tsconfig|cdk)\.json$/i.test(path),
  prefilter: (text) => TABLE_TYPE.test(text),
  byContent: (path) => BARE_TEMPLATE.test(path),
  load: async () => (await import('./index.js')).cloudformation,
};
