/** Cheap registry entry for the CloudFormation family: its parser loads only when a file needs it. */
import { renderedName, TEMPLATE_ENGINE_FILE } from '../../core/text.js';
import type { FormatEntry } from '../../core/types.js';

const TABLE_TYPE = /AWS::DynamoDB::(Global)?Table|AWS::Serverless::SimpleTable/;

/** A template's name (the usual names are tested first: every file of a walk is asked). */
const TEMPLATE = /\.(ya?ml|json|template)$/i;

export const cloudformationEntry: FormatEntry = {
  name: 'cloudformation',
  // Also a template of a template engine rendered at build time (`main-cf.yml.j2`: ASFHyP3/hyp3, whose rendered
  // files are ignored by git), read under the placeholder rule (src/core/placeholders.ts).
  accepts: (path) =>
    (TEMPLATE.test(path) || (TEMPLATE_ENGINE_FILE.test(path) && TEMPLATE.test(renderedName(path)))) &&
    !/(^|\/)(package(-lock)?|tsconfig|cdk)\.json$/i.test(path),
  prefilter: (text) => TABLE_TYPE.test(text),
  load: async () => (await import('./index.js')).cloudformation,
};
