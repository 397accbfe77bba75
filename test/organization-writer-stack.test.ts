import { ACCOUNT_TAG } from "../functions/organization-writer/environment";
import { ORGANIZATION_WRITER_NAMES } from "../stacks/config";
import { CENTRAL_ROLE_PARAMETER, MEMBER_ROLE_RESOURCE } from "../stacks/organization-writer/member-role-template";
import {
  CENTRAL_ACCOUNT_ID,
  ORGANIZATION_ID,
  organizationWriterWith,
  UNIT_ID,
  UNIT_PATH,
  WITH_ORGANIZATION_WRITER,
} from "./organization-writer-fixtures";
import { synthesize } from "./synth";

const stack = synthesize(WITH_ORGANIZATION_WRITER);
const centralRole = stack.resource("aws_iam_role", "name", ORGANIZATION_WRITER_NAMES.centralRole);
const centralRoleArn = stack.reference("aws_iam_role", centralRole.id, "arn");
const stackSet = stack.resource("aws_cloudformation_stack_set", "name", ORGANIZATION_WRITER_NAMES.stackSet);
const template = JSON.parse(stackSet.block.template_body);
const memberRole = template.Resources[MEMBER_ROLE_RESOURCE].Properties;
const table = stack.resource("aws_dynamodb_table", "name", ORGANIZATION_WRITER_NAMES.table);
const bucketName = `organization-records-${CENTRAL_ACCOUNT_ID}-eu-west-1`;
const bucket = stack.resource("aws_s3_bucket", "bucket", bucketName);
const aliases = (json = stack.json) => (json.provider?.aws ?? []).map((provider) => provider.alias);

describe("Organization writer: the central side", () => {
  test("one extra provider for the central account and one for the organization, whatever the organization's size", () => {
    expect(aliases()).toEqual(expect.arrayContaining(["central", "organization"]));
    expect(stack.json.provider?.aws?.find((provider) => provider.alias === "central")).toMatchObject({
      allowed_account_ids: [CENTRAL_ACCOUNT_ID],
      region: "eu-west-1",
    });
    for (const block of [centralRole.block, table.block, bucket.block]) expect(block.provider).toBe("aws.central");
  });

  test("the central table is partitioned by account (the LeadingKeys fence) and keeps a destination's controls", () => {
    expect(table.block).toMatchObject({
      hash_key: "account",
      range_key: "id",
      billing_mode: "PAY_PER_REQUEST",
      point_in_time_recovery: { enabled: true },
      // The AWS owned key, a destination's default (the central table does not take tableEncryption yet).
      server_side_encryption: { enabled: false },
      deletion_protection_enabled: true,
    });
  });

  test("the central bucket has a destination's controls: public access blocked, TLS only, versioned", () => {
    const bucketId = stack.reference("aws_s3_bucket", bucket.id, "id");
    const of = (type: string) => Object.values(stack.resources(type)).find((block) => block.bucket === bucketId);
    expect(of("aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_policy: true,
      restrict_public_buckets: true,
    });
    expect(of("aws_s3_bucket_versioning")).toMatchObject({ versioning_configuration: { status: "Enabled" } });
    expect(JSON.stringify(stack.policy(of("aws_s3_bucket_policy") ?? {}))).toContain("aws:SecureTransport");
  });

  test("the central role trusts any principal only through the organization's conditions, never a bare wildcard [aws-rule iam-principal-org-paths]", () => {
    const [statement, ...others] = stack.policy(centralRole.block, "assume_role_policy").Statement;
    expect(others).toEqual([]);
    expect(statement).toEqual({
      Sid: "MemberRolesOfTheOrganizationUnitsOnly",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: {
        StringEquals: {
          "aws:PrincipalOrgID": ORGANIZATION_ID,
          [`aws:RequestTag/${ACCOUNT_TAG}`]: "$${aws:PrincipalAccount}",
        },
        "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": [`${UNIT_PATH}/*`] },
        ArnLike: { "aws:PrincipalArn": `arn:aws:iam::*:role/${ORGANIZATION_WRITER_NAMES.memberRole}` },
        "ForAllValues:StringEquals": { "aws:TagKeys": [ACCOUNT_TAG] },
      },
    });
  });

  test("the central role puts only under the caller's account: LeadingKeys and the object prefix use its session tag, escaped for Terraform [aws-rule dynamodb-leading-keys] [aws-rule iam-policy-variables-principal-account]", () => {
    const policy = stack.resource("aws_iam_role_policy", "name", "write-own-partition").block;
    expect(stack.policy(policy).Statement).toEqual([
      {
        Sid: "PutItemsUnderOwnAccount",
        Effect: "Allow",
        Action: "dynamodb:PutItem",
        Resource: stack.reference("aws_dynamodb_table", table.id, "arn"),
        Condition: {
          "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [`$\${aws:PrincipalTag/${ACCOUNT_TAG}}`] },
        },
      },
      {
        Sid: "PutObjectsUnderOwnAccount",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: `${stack.reference("aws_s3_bucket", bucket.id, "arn")}/records/$\${aws:PrincipalTag/${ACCOUNT_TAG}}/*`,
      },
    ]);
  });

  test("a central account that is a destination's account and region reuses that destination's provider", () => {
    const shared = synthesize(
      organizationWriterWith({ central: { accountId: "210987654321", region: "eu-central-1" } }),
    );
    expect(aliases(shared.json)).not.toContain("central");
    expect(shared.resource("aws_iam_role", "name", ORGANIZATION_WRITER_NAMES.centralRole).block.provider).toBe(
      "aws.destination",
    );
  });
});

describe("Organization writer: the member role by StackSet", () => {
  test("a service-managed StackSet with auto-deployment through the organization provider, the central role by reference [aws-rule stackset-service-managed-auto-deployment] [aws-rule stackset-named-iam-capability]", () => {
    expect(stackSet.block).toMatchObject({
      permission_model: "SERVICE_MANAGED",
      call_as: "SELF",
      auto_deployment: { enabled: true, retain_stacks_on_account_removal: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
      parameters: { [CENTRAL_ROLE_PARAMETER]: centralRoleArn },
      provider: "aws.organization",
    });
  });

  test("[aws-rule stackset-administration-role-arn] what AWS fills in (administration_role_arn) is ignored against AWS too, or provider 5.100 would plan a change on every plan", () => {
    expect(stackSet.block.lifecycle).toEqual({ ignore_changes: ["administration_role_arn"] });
  });

  test("its instances target the OU the path ends with, in one region [aws-rule stackset-ou-instances]", () => {
    const instance = Object.values(stack.resources("aws_cloudformation_stack_set_instance")).find(
      (block) => block.stack_set_name === stack.reference("aws_cloudformation_stack_set", stackSet.id, "name"),
    );
    expect(instance).toMatchObject({
      region: "us-east-1",
      deployment_targets: { organizational_unit_ids: [UNIT_ID] },
      retain_stack: false,
    });
  });

  test("the member role may only assume the central role, with the session tag", () => {
    expect(memberRole.RoleName).toBe(ORGANIZATION_WRITER_NAMES.memberRole);
    expect(memberRole.Policies).toEqual([
      {
        PolicyName: "assume-central-role",
        PolicyDocument: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "TheCentralRoleOnly",
              Effect: "Allow",
              Action: ["sts:AssumeRole", "sts:TagSession"],
              Resource: { Ref: CENTRAL_ROLE_PARAMETER },
            },
          ],
        },
      },
    ]);
  });

  test("the member role is trusted by its own account's Lambda (aws:SourceAccount), EC2 and named roles only", () => {
    const account = { Ref: "AWS::AccountId" };
    const inAccount = (tail: string) => ({ "Fn::Join": ["", ["arn:aws:iam::", account, `:${tail}`]] });
    expect(memberRole.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Sid: "LambdaOfThisAccountOnly",
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      },
      { Sid: "Ec2Instances", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      {
        Sid: "NamedRolesOfThisAccountOnly",
        Effect: "Allow",
        Principal: { AWS: inAccount("root") },
        Action: "sts:AssumeRole",
        Condition: { ArnLike: { "aws:PrincipalArn": [inAccount("role/app-*")] } },
      },
    ]);
  });

  test("with the inventory, both patterns share the one organization provider", () => {
    const both = synthesize({
      ...WITH_ORGANIZATION_WRITER,
      organizationWriter: { ...WITH_ORGANIZATION_WRITER.organizationWriter, organization: undefined } as never,
      inventory: {
        organizationalUnitIds: [UNIT_ID],
        organization: { accountId: "999999999999", region: "us-east-1" },
      },
    });
    expect(aliases(both.json).filter((alias) => alias === "organization")).toHaveLength(1);
    expect(Object.keys(both.resources("aws_cloudformation_stack_set"))).toHaveLength(2);
  });

  test("the stack outputs what a member's client needs", () => {
    expect(Object.keys(stack.json.output ?? {})).toEqual(
      expect.arrayContaining([
        "organization-writer-central-role-arn",
        "organization-writer-table-name",
        "organization-writer-bucket-name",
        "organization-writer-bucket-prefix",
        "organization-writer-region",
      ]),
    );
  });
});
