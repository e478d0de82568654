/**
 * A Terraform provider that assumes its role with a session policy (`assume_role { policy, policy_arns }`) limits the
 * plan's credentials as a permissions boundary does: the commit message's Who deploys caution names it where a fixed
 * table goes through that provider (session 64's deploy review, F5).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { commitMessage, commitText } from '../../../src/report/commitMessage.js';

const TABLE = (provider = '') =>
  `resource "aws_dynamodb_table" "orders" {\n${provider}  name         = "orders"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n`;

async function message(text: string): Promise<string> {
  const r = await processMemory([{ path: 'main.tf', text }], 'fix');
  expect(r.outcomes[0].tables[0].fixed).toBe(true);
  return commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0' })).replace(/\s+/g, ' ');
}

describe("Who deploys names the table's provider's session policy", () => {
  it('assume_role with policy_arns (and policy) on the provider the table goes through', async () => {
    const provider = `provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn     = "arn:aws:iam::111122223333:role/deployer"
    policy_arns  = ["arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"]
    policy       = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }] })
  }
}
`;
    expect(await message(provider + TABLE())).toContain(
      `The session policy the Terraform provider passes when it assumes its role (provider "aws": assume_role.policy_arns, assume_role.policy for main.tf) ` +
        "limits the plan's credentials as a permissions boundary does: it must allow every KMS action named here too, or the apply fails at the first key.",
    );
  });

  it('only the provider the table names; none without a session policy (policy_arns = [] passes none)', async () => {
    const two = `provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn    = "arn:aws:iam::111122223333:role/deployer"
    policy_arns = []
  }
}
provider "aws" {
  alias  = "east"
  region = "us-east-1"
  assume_role_with_web_identity {
    role_arn = "arn:aws:iam::111122223333:role/ci"
    policy   = "{}"
  }
}
`;
    expect(await message(two + TABLE())).not.toContain('session policy the Terraform provider');
    expect(await message(two + TABLE('  provider     = aws.east\n'))).toContain(
      '(provider aws.east: assume_role_with_web_identity.policy for main.tf)',
    );
  });
});
