/**
 * A plain `-` before a flow indicator (`!Split [-, !Select [2, !Split [/, !Ref AWS::StackId]]]`, `[a, -]`): the scalar
 * "-", as PyYAML, cfn-lint and CloudFormation read it (real-world round 30: AWS's Powertools for Java and
 * serverless-webapp-mono-repo-ci-cd-java templates were an error, exit 2, their tables not reported). YAML 1.2
 * (`yaml`) rejects it; the fast parser reads it.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { parseYamlFast } from '../../../src/formats/yaml/yamlfast.js';

const TEMPLATE = `Resources:
  Rule:
    Type: AWS::Events::Rule
    Properties:
      Name: !Join [ "-", [ "writer", !Select [ 0, !Split [ -, !Select [ 2, !Split [ /, !Ref AWS::StackId ] ] ] ] ] ]
      Tags: [a, -]
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
`;

it('reads `-` in a flow sequence as the string "-", and the template is scanned and fixed', async () => {
  const root = parseYamlFast(TEMPLATE)?.[0].root;
  const tags = root?.kind === 'map' ? JSON.stringify(root) : '';
  expect(tags).toContain('"value":"-"');
  const r = await processMemory([{ path: 'template.yaml', text: TEMPLATE }], 'fix');
  expect(r.outcomes[0].error).toBeUndefined();
  expect(r.outcomes[0].tables.map((t) => [t.address, t.status])).toEqual([['Table', 'aws-owned']]);
  expect(r.outcomes[0].newText).toContain('KMSMasterKeyId');
  expect(r.outcomes[0].newText).toContain('!Split [ -, !Select');
});

it('a `- ` item of a block sequence is still an item, and `-x` a plain scalar', () => {
  const root = parseYamlFast('a:\n  - -x\n  - [ -y, -]\n')?.[0].root;
  expect(JSON.stringify(root)).toMatch(/"value":"-x".*"value":"-y".*"value":"-"/);
});
