import { synthesize, WITH_SOURCE_PRINCIPALS } from "./synth";

// Both sides of every source principal's trust, in one stack, by reference.
const synth = synthesize(WITH_SOURCE_PRINCIPALS);
const roleId = (name: string) => synth.resource("aws_iam_role", "name", name).id;
const roleArn = (name: string) => synth.reference("aws_iam_role", roleId(name), "arn");
const trust = (name: string) => synth.policy(synth.resource("aws_iam_role", "name", name).block, "assume_role_policy");
const destinationRole = (name: string) => `assume-role-via-111111111111-${name}`;

describe("source principals: the EC2 instance role", () => {
  test("is made in the source account, trusted by EC2 only, with an instance profile of the same name", () => {
    const { block } = synth.resource("aws_iam_role", "name", "batch-ec2");
    expect(block.provider).toBe("aws.source");
    expect(trust("batch-ec2").Statement).toEqual([
      { Sid: "Ec2Instances", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    expect(synth.resource("aws_iam_instance_profile", "name", "batch-ec2").block).toEqual(
      expect.objectContaining({
        provider: "aws.source",
        role: synth.reference("aws_iam_role", roleId("batch-ec2"), "name"),
      }),
    );
  });

  test("may assume exactly its destinations' roles, by reference", () => {
    const policy = Object.values(synth.resources("aws_iam_role_policy")).find(
      (block) => block.role === synth.reference("aws_iam_role", roleId("batch-ec2"), "id"),
    );
    expect(synth.policy(policy!).Statement).toEqual([
      {
        Sid: "AssumeItsDestinationRolesOnly",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: [roleArn(destinationRole("analytics")), roleArn(destinationRole("archive"))],
      },
    ]);
  });

  test.each(["analytics", "archive"])(
    "the %s role (the writer's) trusts it by reference, next to the writer",
    (name) => {
      expect(trust(destinationRole(name)).Statement.map((statement) => [statement.Sid, statement.Principal])).toEqual([
        ["WriterRoleOnly", { AWS: roleArn("cross-account-writer") }],
        ["InstanceRoleBatchEc2", { AWS: roleArn("batch-ec2") }],
      ]);
    },
  );
});

describe("source principals: operator groups", () => {
  test("each group, its membership of existing users and its policy are made in the source account", () => {
    const group = synth.resource("aws_iam_group", "name", "prod-readers");
    expect(group.block.provider).toBe("aws.source");
    expect(synth.resource("aws_iam_group_membership", "name", "prod-readers-members").block).toEqual(
      expect.objectContaining({ group: synth.reference("aws_iam_group", group.id, "name"), users: ["alice", "bob"] }),
    );
    const policy = Object.values(synth.resources("aws_iam_group_policy")).find(
      (block) => block.group === synth.reference("aws_iam_group", group.id, "id"),
    );
    expect(synth.policy(policy!).Statement).toEqual([
      {
        Sid: "AssumeItsDestinationRolesOnly",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: [roleArn(destinationRole("analytics-eu-read"))],
        Condition: {
          Bool: { "aws:MultiFactorAuthPresent": "true" },
          NumericLessThan: { "aws:MultiFactorAuthAge": "3600" },
        },
      },
    ]);
  });

  test("readers get a read role of their own in analytics-eu, trusting exactly their user ARNs with the same MFA condition", () => {
    const { block } = synth.resource("aws_iam_role", "name", destinationRole("analytics-eu-read"));
    expect(block.provider).toBe("aws.destination-222222222222-eu-west-1");
    expect(trust(destinationRole("analytics-eu-read")).Statement).toEqual([
      {
        Sid: "OperatorsProdReaders",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:user/bob"] },
        Action: "sts:AssumeRole",
        Condition: {
          Bool: { "aws:MultiFactorAuthPresent": "true" },
          NumericLessThan: { "aws:MultiFactorAuthAge": "3600" },
        },
      },
    ]);
    const policy = Object.values(synth.resources("aws_iam_role_policy")).find(
      (candidate) =>
        candidate.role === synth.reference("aws_iam_role", roleId(destinationRole("analytics-eu-read")), "id"),
    );
    expect(policy!.name).toBe("read-records");
    expect(synth.policy(policy!).Statement.map((statement) => statement.Sid)).toEqual([
      "ReadItemsFromTable",
      "ReadObjectsUnderPrefix",
      "ListObjectsUnderPrefix",
    ]);
  });

  test("a lead with the destination's own access shares the writer's role, trusted by exact ARN with MFA", () => {
    expect(trust(destinationRole("analytics-eu")).Statement.at(-1)).toEqual({
      Sid: "OperatorsProdLeads",
      Effect: "Allow",
      Principal: { AWS: ["arn:aws:iam::111111111111:user/carol"] },
      Action: "sts:AssumeRole",
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    });
  });
});

describe("source principals: profiles", () => {
  const output = synth.json.output?.["source-principals"]?.value;

  test("an output names each principal's role per destination with a ready ~/.aws/config profile", () => {
    expect(Object.keys(output).sort()).toEqual([
      "instance-role/batch-ec2",
      "operator/alice",
      "operator/bob",
      "operator/carol",
    ]);
    expect(output["instance-role/batch-ec2"].archive).toEqual({
      role_arn: roleArn(destinationRole("archive")),
      access: "write",
      profile: [
        "[profile batch-ec2.archive-write]",
        `role_arn = ${roleArn(destinationRole("archive"))}`,
        "credential_source = Ec2InstanceMetadata",
        "role_session_name = batch-ec2",
        "region = us-east-1",
      ].join("\n"),
    });
    expect(output["operator/alice"]["analytics-eu"].profile).toBe(
      [
        "[profile alice.analytics-eu-read]",
        `role_arn = ${roleArn(destinationRole("analytics-eu-read"))}`,
        "source_profile = default",
        "mfa_serial = arn:aws:iam::111111111111:mfa/alice",
        "role_session_name = alice",
        "region = eu-west-1",
      ].join("\n"),
    );
  });
});
