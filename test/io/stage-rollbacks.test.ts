/**
 * The CodePipeline stage rollbacks a file declares (src/io/stageRollbacks.ts), read line by line from the text the
 * run reads anyway: each family's own form, and nothing in a file that names no CodePipeline.
 */
import { describe, expect, it } from 'vitest';
import { stageRollbackLines } from '../../src/io/stageRollbacks.js';

describe('stageRollbackLines', () => {
  it("CloudFormation YAML and JSON, aws-cdk-lib and Terraform: the line of the stage's ROLLBACK result", () => {
    const yaml =
      'Resources:\n  P:\n    Type: AWS::CodePipeline::Pipeline\n    Properties:\n      Stages:\n        - Name: Deploy\n' +
      '          OnFailure:\n            Result: ROLLBACK\n';
    expect(stageRollbackLines(yaml)).toEqual([8]);
    const json =
      '{"Resources": {"P": {"Type": "AWS::CodePipeline::Pipeline", "Properties": {"Stages": [\n{"OnFailure": {"Result": "ROLLBACK"}}]}}}}\n';
    expect(stageRollbackLines(json)).toEqual([2]);
    const cdk =
      "import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';\n" +
      "pipeline.addStage({ stageName: 'Deploy',\n  onFailure: { result: codepipeline.Result.ROLLBACK },\n});\n";
    expect(stageRollbackLines(cdk)).toEqual([3]);
    const tf = 'resource "aws_codepipeline" "p" {\n  stage {\n    on_failure {\n      result = "ROLLBACK"\n    }\n  }\n}\n';
    expect(stageRollbackLines(tf)).toEqual([4]);
  });

  it('no CodePipeline named, or no ROLLBACK result: nothing', () => {
    expect(stageRollbackLines('Resources:\n  S:\n    Type: AWS::SSM::Parameter\n    Properties: {Value: ROLLBACK}\n')).toEqual([]);
    expect(stageRollbackLines('Resources:\n  P:\n    Type: AWS::CodePipeline::Pipeline\n    Properties: {Name: ROLLBACK-test}\n')).toEqual(
      [],
    );
    expect(stageRollbackLines('# CodePipeline\nOnFailure:\n  Result: RETRY\n')).toEqual([]);
  });
});
