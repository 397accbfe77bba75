import type { PolicyStatement } from "../stacks/policy-document";
import { exampleWith, synthesize } from "./synth";

describe("DestinationAccessRole", () => {
  const synth = synthesize();
  const role = synth.resource("aws_iam_role", "name", "assume-role-via-111111111111");
  const writerRole = synth.resource("aws_iam_role", "name", "cross-account-write-to-222222222222");
  const writerRoleArn = synth.reference("aws_iam_role", writerRole.id, "arn");

  test("lives in the destination account with a 1 hour maximum session [aws-rule iam-max-session-duration]", () => {
    expect(role.block).toEqual(expect.objectContaining({ provider: "aws.destination", max_session_duration: 3600 }));
  });

  test("CKV_AWS_60/61: trusts exactly the writer's execution role, by Terraform reference, for sts:AssumeRole only", () => {
    const trust = synth.policy(role.block, "assume_role_policy");
    expect(trust.Statement).toEqual([
      {
        Sid: "WriterRoleOnly",
        Effect: "Allow",
        Principal: { AWS: writerRoleArn },
        Action: "sts:AssumeRole",
      },
    ]);
  });

  test("trust mode account-with-principal-arn: the source account, restricted to the writer role by aws:PrincipalArn", () => {
    const rooted = synthesize(exampleWith({ trustMode: "account-with-principal-arn" }));
    const trust = rooted.policy(
      rooted.resource("aws_iam_role", "name", "assume-role-via-111111111111").block,
      "assume_role_policy",
    );
    const writer = rooted.resource("aws_iam_role", "name", "cross-account-write-to-222222222222");
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: "arn:aws:iam::111111111111:root" },
        Condition: { ArnEquals: { "aws:PrincipalArn": rooted.reference("aws_iam_role", writer.id, "arn") } },
      }),
    ]);
  });

  test("trustedPrincipals: each by exact ARN, users asked for MFA in a statement of their own, under the same conditions", () => {
    const trusted = synthesize(
      exampleWith({
        organizationId: "o-a1b2c3d4e5",
        trustedPrincipals: [
          { arn: "arn:aws:iam::333333333333:user/alice", requireMfa: true },
          { arn: "arn:aws:iam::111111111111:role/batch-ec2" },
        ],
      }),
    );
    const trust = trusted.policy(
      trusted.resource("aws_iam_role", "name", "assume-role-via-111111111111").block,
      "assume_role_policy",
    );
    const org = { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } };
    expect(trust.Statement.slice(1)).toEqual([
      {
        Sid: "TrustedPrincipals",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::111111111111:role/batch-ec2"] },
        Action: "sts:AssumeRole",
        Condition: org,
      },
      {
        Sid: "TrustedUsersWithMfa",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::333333333333:user/alice"] },
        Action: "sts:AssumeRole",
        Condition: { ...org, Bool: { "aws:MultiFactorAuthPresent": "true" } },
      },
    ]);
    expect(trust.Statement[0]).toEqual(expect.objectContaining({ Sid: "WriterRoleOnly", Condition: org }));
  });

  test("ExternalId and organization id become trust conditions only when configured [aws-rule sts-external-id] [aws-rule iam-principal-org-id]", () => {
    expect(synth.policy(role.block, "assume_role_policy").Statement[0].Condition).toBeUndefined();
    const guarded = synthesize(exampleWith({ externalId: "partner-7f3a", organizationId: "o-a1b2c3d4e5" }));
    const trust = guarded.policy(
      guarded.resource("aws_iam_role", "name", "assume-role-via-111111111111").block,
      "assume_role_policy",
    );
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: { "sts:ExternalId": "partner-7f3a", "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
    });
    expect(trust.Statement[0].Action).toBe("sts:AssumeRole");
  });

  test("CKV_AWS_63/355: allows only PutItem and BatchWriteItem on the table and PutObject under the prefix, by reference", () => {
    const policy = synth.resource("aws_iam_role_policy", "name", "put-records");
    expect(policy.block.provider).toBe("aws.destination");
    expect(policy.block.role).toBe(synth.reference("aws_iam_role", role.id, "id"));
    const table = synth.resource("aws_dynamodb_table");
    const bucket = synth.resource("aws_s3_bucket");
    expect(synth.policy(policy.block).Statement).toEqual([
      {
        Sid: "PutItemsIntoTable",
        Effect: "Allow",
        Action: ["dynamodb:PutItem", "dynamodb:BatchWriteItem"],
        Resource: synth.reference("aws_dynamodb_table", table.id, "arn"),
      },
      {
        Sid: "PutObjectsUnderPrefix",
        Effect: "Allow",
        Action: ["s3:PutObject"],
        Resource: `${synth.reference("aws_s3_bucket", bucket.id, "arn")}/records/*`,
      },
    ]);
  });

  test("no statement of any role policy uses a * action", () => {
    for (const { block } of Object.values(synth.resources("aws_iam_role_policy")).map((block) => ({ block }))) {
      for (const statement of synth.policy(block).Statement as PolicyStatement[]) {
        for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
      }
    }
  });
});
