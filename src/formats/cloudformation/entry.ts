/** Cheap registry entry for the CloudFormation family: its parser loads only when a file needs it. */
import type { FormatEntry } from '../../core/types.js';

const TABLE_TYPE = /AWS::DynamoDB::(Global)?Table|AWS::Serverless::SimpleTable/;

export const cloudformationEntry: FormatEntry = {
  name: 'cloudformation',
  // Also a template of a template engine rendered at build time (`main-cf.yml.j2`: ASFHyP3/hyp3, whose rendered
  // files are ignored by git), read under the placeholder rule (src/core/placeholders.ts).
  accepts: (path) =>
    (/\.(ya?ml|json|template)$/i.test(path) || (/\.(j2|jinja2?|tmpl|tpl)$/i.test(path) && /\.(ya?ml|json|template)\.[^.]+$/i.test(path))) &&
    !/(^|\/)(package(-lock)?|tsconfig|cdk)\.json$/i.test(path),
  prefilter: (text) => TABLE_TYPE.test(text),
  load: async () => (await import('./index.js')).cloudformation,
};
