import { type CrossAccountConfigInput, EXAMPLE_CONFIG, resolveConfig } from "../stacks/config";
import {
  analytics,
  problemsOf,
  tenDestinations,
  withDestination,
  withDestinations,
  withSource,
} from "./config-fixtures";
import { THREE_DESTINATIONS } from "./synth";

describe("resolveConfig", () => {
  test("the embedded example needs no AWS account and fills every default", () => {
    expect(resolveConfig(EXAMPLE_CONFIG)).toEqual({
      source: { accountId: "111111111111", region: "us-east-1" },
      destinations: [
        {
          name: "destination",
          accountId: "222222222222",
          region: "us-east-1",
          access: "write",
          table: "wd-ddb-table",
          bucket: "wd-records-222222222222-us-east-1",
          bulkObjects: "per-record",
          tableEncryption: "aws-owned",
          role: "assume-role-via-111111111111",
          trustedPrincipals: [],
        },
      ],
      names: {
        bucketPrefix: "records",
        writerRole: "cross-account-write-to-222222222222",
        writerFunction: "cross-account-dynamodb-write",
      },
      externalId: undefined,
      organizationId: undefined,
      trustMode: "role-arn",
      trustedPrincipals: [],
      maxSessionDurationSeconds: 3600,
      writerSessionDurationSeconds: 3600,
      logRetentionDays: 30,
      tracing: true,
      allowDataDeletion: false,
      emulator: { endpoint: "http://127.0.0.1:5000" },
      stateBackend: undefined,
      sourcePrincipals: { instanceRoles: [], operators: [] },
    });
  });

  test("a real-account config has no emulator unless asked for; its bucket name carries account and region [aws-rule s3-bucket-names]", () => {
    const config = resolveConfig({
      source: { accountId: "123456789012", region: "eu-west-1", profile: "src" },
      destination: { accountId: "210987654321", region: "ap-southeast-2" },
    });
    expect(config.emulator).toBeUndefined();
    expect(config.destinations[0].bucket).toBe("wd-records-210987654321-ap-southeast-2");
  });

  test("accepts the edges of the allowed ranges", () => {
    expect(
      resolveConfig({ ...EXAMPLE_CONFIG, maxSessionDurationSeconds: 43200, writerSessionDurationSeconds: 900 })
        .maxSessionDurationSeconds,
    ).toBe(43200);
    expect(resolveConfig({ ...EXAMPLE_CONFIG, logRetentionDays: 3653 }).logRetentionDays).toBe(3653);
    expect(resolveConfig(withSource({ region: "ap-southeast-4" })).source.region).toBe("ap-southeast-4");
  });
});

describe("resolveConfig fails", () => {
  const cases: Array<[string, unknown, RegExp]> = [
    [
      "when the source account id is not 12 digits",
      withSource({ accountId: "12345" }),
      /source\.accountId must be a 12-digit AWS account id, got "12345"/,
    ],
    [
      "when the destination account id has letters",
      withDestination({ accountId: "22222222222x" }),
      /destination\.accountId must be a 12-digit AWS account id, got "22222222222x"/,
    ],
    [
      "when an account id is a number",
      withSource({ accountId: 111111111111 }),
      /source\.accountId must be a string \(a 12-digit AWS account id\), got 111111111111/,
    ],
    [
      "when the region is invalid",
      withSource({ region: "us-middle-1" }),
      /source\.region must be an AWS region name of the aws partition such as us-east-1 .*got "us-middle-1"/,
    ],
    [
      "when the region is in another partition",
      withSource({ region: "cn-north-1" }),
      /source\.region must be an AWS region name of the aws partition .*\(China and GovCloud are not supported\), got "cn-north-1"/,
    ],
    [
      "when the region is upper case",
      withDestination({ region: "US-EAST-1" }),
      /destination\.region must be an AWS region name .*got "US-EAST-1"/,
    ],
    [
      "when the bucket name has upper case [aws-rule s3-bucket-names]",
      { ...EXAMPLE_CONFIG, names: { bucket: "My_Bucket" } },
      /names\.bucket must be 3-63 lowercase letters, digits, dots and hyphens.*got "My_Bucket"/,
    ],
    [
      "when the bucket name looks like an IP address [aws-rule s3-bucket-names]",
      { ...EXAMPLE_CONFIG, names: { bucket: "192.168.1.10" } },
      /names\.bucket must be a valid S3 bucket name .*got "192\.168\.1\.10"/,
    ],
    [
      "when the bucket name is too long [aws-rule s3-bucket-names]",
      { ...EXAMPLE_CONFIG, names: { bucket: "b".repeat(64) } },
      /names\.bucket must be 3-63 lowercase/,
    ],
    [
      "when the table name is too short [aws-rule dynamodb-table-name]",
      { ...EXAMPLE_CONFIG, names: { table: "ab" } },
      /names\.table must be a DynamoDB table name of 3-255 .*got "ab"/,
    ],
    [
      "when the table name has a space [aws-rule dynamodb-table-name]",
      { ...EXAMPLE_CONFIG, names: { table: "my table" } },
      /names\.table must be a DynamoDB table name.*got "my table"/,
    ],
    [
      "when the prefix has a leading slash",
      { ...EXAMPLE_CONFIG, names: { bucketPrefix: "/records" } },
      /names\.bucketPrefix must be an S3 key prefix .*got "\/records"/,
    ],
    [
      "when a role name is too long [aws-rule iam-names]",
      { ...EXAMPLE_CONFIG, names: { destinationRole: "r".repeat(65) } },
      /names\.destinationRole must be an IAM role name of 1-64/,
    ],
    [
      "when the function name has a dot [aws-rule lambda-function-name]",
      { ...EXAMPLE_CONFIG, names: { writerFunction: "writer.v2" } },
      /names\.writerFunction must be a Lambda function name .*got "writer\.v2"/,
    ],
    [
      "when the max session is under 1 hour [aws-rule iam-max-session-duration]",
      { ...EXAMPLE_CONFIG, maxSessionDurationSeconds: 1800 },
      /maxSessionDurationSeconds must be a whole number of seconds \(1-12 hours\) from 3600 to 43200, got 1800/,
    ],
    [
      "when the max session is over 12 hours [aws-rule iam-max-session-duration]",
      { ...EXAMPLE_CONFIG, maxSessionDurationSeconds: 43201 },
      /maxSessionDurationSeconds .* from 3600 to 43200, got 43201/,
    ],
    [
      "when the max session is not whole",
      { ...EXAMPLE_CONFIG, maxSessionDurationSeconds: 3600.5 },
      /maxSessionDurationSeconds .*got 3600\.5/,
    ],
    [
      "when the writer session exceeds role chaining's hour [aws-rule sts-role-chaining-one-hour]",
      { ...EXAMPLE_CONFIG, maxSessionDurationSeconds: 7200, writerSessionDurationSeconds: 7200 },
      /writerSessionDurationSeconds must be a whole number of seconds \(role chaining allows at most 1 hour\) from 900 to 3600, got 7200/,
    ],
    [
      "when the writer session is under 15 minutes",
      { ...EXAMPLE_CONFIG, writerSessionDurationSeconds: 60 },
      /writerSessionDurationSeconds .*from 900 to 3600, got 60/,
    ],
    [
      "when the log retention is not a CloudWatch value [aws-rule logs-retention-values]",
      { ...EXAMPLE_CONFIG, logRetentionDays: 10 },
      /logRetentionDays must be one of CloudWatch's retention values 1, 3, 5, 7, 14, 30.*got 10/,
    ],
    [
      "when the ExternalId is too short [aws-rule sts-external-id]",
      { ...EXAMPLE_CONFIG, externalId: "x" },
      /externalId must be 2-1224 characters .*got "x"/,
    ],
    [
      "when the organization id is malformed",
      { ...EXAMPLE_CONFIG, organizationId: "org-123" },
      /organizationId must be an AWS Organizations id such as o-a1b2c3d4e5, got "org-123"/,
    ],
    [
      "when the trust mode is unknown",
      { ...EXAMPLE_CONFIG, trustMode: "anyone" },
      /trustMode must be "role-arn" or "account-with-principal-arn", got "anyone"/,
    ],
    [
      "when a flag is not boolean",
      { ...EXAMPLE_CONFIG, allowDataDeletion: "yes" },
      /allowDataDeletion must be true or false, got "yes"/,
    ],
    [
      "when the emulator endpoint is not a URL",
      { ...EXAMPLE_CONFIG, emulator: { endpoint: "localhost:5000" } },
      /emulator\.endpoint must be an http\(s\) URL such as http:\/\/127\.0\.0\.1:5000, got "localhost:5000"/,
    ],
    [
      "when the deploy role is not a role ARN",
      withSource({ deployRoleArn: "OrganizationAccountAccessRole" }),
      /source\.deployRoleArn must be an IAM role ARN .*got "OrganizationAccountAccessRole"/,
    ],
    [
      "when a trusted principal is a whole account",
      { ...EXAMPLE_CONFIG, trustedPrincipals: [{ arn: "arn:aws:iam::111111111111:root" }] },
      /trustedPrincipals\.0\.arn must be the exact ARN of an IAM user or role \(not an account root\).*got "arn:aws:iam::111111111111:root"/,
    ],
    [
      "when a key is unknown",
      { ...EXAMPLE_CONFIG, sourceAccount: "111111111111" },
      /config has unknown keys "sourceAccount"/,
    ],
    [
      "when a nested key is misspelled, listing the allowed ones",
      withSource({ acountId: "1", acount: "2" }),
      /^source has unknown keys "acountId", "acount"; allowed: accountId, region, profile, deployRoleArn$/m,
    ],
    [
      "when a required key is missing",
      { ...EXAMPLE_CONFIG, source: { region: "us-east-1" } },
      /^source\.accountId is required$/m,
    ],
    ["when the config is not an object", "111111111111", /^config must be a JSON object, got "111111111111"$/],
  ];

  test.each(cases)("%s", (_name, input, expected) => {
    const problems = problemsOf(input);
    expect(problems.join("\n")).toMatch(expected);
  });

  test("names each bad value once, by its first failed rule", () => {
    expect(
      problemsOf({
        ...EXAMPLE_CONFIG,
        names: { bucket: "Bad..Name" },
        maxSessionDurationSeconds: 1.5,
      } as CrossAccountConfigInput),
    ).toEqual([
      `names.bucket must be 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, got "Bad..Name"`,
      "maxSessionDurationSeconds must be a whole number of seconds (1-12 hours) from 3600 to 43200, got 1.5",
    ]);
  });

  test("lists every problem at once", () => {
    const problems = problemsOf({
      ...EXAMPLE_CONFIG,
      source: { accountId: "1", region: "mars-1" },
      logRetentionDays: 2,
    } as CrossAccountConfigInput);
    expect(problems).toHaveLength(3);
  });
});

describe("resolveConfig with destinations", () => {
  test("each destination gets its own role, table and bucket name; access defaults to write", () => {
    const config = resolveConfig(THREE_DESTINATIONS);
    expect(config.destinations).toEqual([
      {
        ...analytics,
        access: "write",
        table: "wd-ddb-table",
        bucket: "wd-records-analytics-222222222222-us-east-1",
        role: "assume-role-via-111111111111-analytics",
        trustedPrincipals: [],
        bulkObjects: "per-record",
        tableEncryption: "aws-owned",
      },
      {
        name: "analytics-eu",
        accountId: "222222222222",
        region: "eu-west-1",
        access: "read-write",
        table: "wd-ddb-table",
        bucket: "wd-records-analytics-eu-222222222222-eu-west-1",
        role: "assume-role-via-111111111111-analytics-eu",
        trustedPrincipals: [],
        bulkObjects: "per-record",
        tableEncryption: "aws-owned",
      },
      {
        name: "archive",
        accountId: "333333333333",
        region: "us-east-1",
        access: "write",
        table: "wd-ddb-table",
        bucket: "wd-records-archive-333333333333-us-east-1",
        role: "assume-role-via-111111111111-archive",
        trustedPrincipals: [],
        bulkObjects: "per-batch",
        tableEncryption: "aws-owned",
      },
    ]);
    expect(config.names.writerRole).toBe("cross-account-writer");
  });

  test("trustedPrincipals: the config-wide ones are trusted by every destination, a destination's own only by it", () => {
    const operator = { arn: "arn:aws:iam::444444444444:user/operator", requireMfa: true };
    const analyst = { arn: "arn:aws:iam::222222222222:role/analyst" };
    const config = resolveConfig({
      ...withDestinations(
        { ...analytics, trustedPrincipals: [analyst] },
        { name: "archive", accountId: "333333333333", region: "us-east-1" },
      ),
      trustedPrincipals: [operator],
    });
    expect(config.destinations.map((destination) => destination.trustedPrincipals)).toEqual([
      [operator, analyst],
      [operator],
    ]);
  });

  test("bulkObjects: the config-wide layout applies to every destination without its own", () => {
    const config = resolveConfig({
      ...withDestinations(analytics, {
        name: "archive",
        accountId: "333333333333",
        region: "us-east-1",
        bulkObjects: "per-record",
      }),
      bulkObjects: "per-batch",
    });
    expect(config.destinations.map((destination) => destination.bulkObjects)).toEqual(["per-batch", "per-record"]);
    expect(resolveConfig({ ...EXAMPLE_CONFIG, bulkObjects: "per-batch" }).destinations[0].bulkObjects).toBe(
      "per-batch",
    );
  });

  test('a destination named "destination" keeps the singular form\'s names, and its own names can be set', () => {
    const config = resolveConfig(
      withDestinations(
        { name: "destination", accountId: "222222222222", region: "us-east-1" },
        {
          name: "backup",
          accountId: "333333333333",
          region: "eu-central-1",
          table: "backup-records",
          bucket: "acme-backup-records",
          role: "writer-backup",
        },
      ),
    );
    expect(config.destinations.map(({ table, bucket, role }) => ({ table, bucket, role }))).toEqual([
      { table: "wd-ddb-table", bucket: "wd-records-222222222222-us-east-1", role: "assume-role-via-111111111111" },
      { table: "backup-records", bucket: "acme-backup-records", role: "writer-backup" },
    ]);
  });

  test("ten destinations with ordinary names fit the writer's environment [aws-rule lambda-environment-4kb]", () => {
    expect(resolveConfig(tenDestinations("records-table")).destinations).toHaveLength(10);
  });

  test.each<[string, unknown, RegExp]>([
    ["when destinations is empty", withDestinations(), /destinations must name at least one destination/],
    [
      "when there are more than 10",
      withDestinations(...Array.from({ length: 11 }, (_, index) => ({ ...analytics, name: `d${index}` }))),
      /destinations must name at most 10 destinations, got 11/,
    ],
    [
      "when a name has upper case",
      withDestinations({ ...analytics, name: "Analytics" }),
      /destinations\.0\.name must be 1-20 lowercase letters, digits and hyphens.*got "Analytics"/,
    ],
    [
      'when a name is "*"',
      withDestinations({ ...analytics, name: "*" }),
      /destinations\.0\.name must be 1-20 lowercase .*got "\*"/,
    ],
    [
      "when bulkObjects is unknown",
      { ...withDestinations({ ...analytics, bulkObjects: "per-event" }), bulkObjects: "batch" },
      /destinations\.0\.bulkObjects must be "per-record" or "per-batch" .*got "per-event"\n^bulkObjects must be "per-record" or "per-batch" \(a bulk event's records as one object each, or as JSON Lines objects of 1,000 records\), got "batch"$/m,
    ],
    [
      "when a destination's principal is an account root",
      withDestinations({ ...analytics, trustedPrincipals: [{ arn: "arn:aws:iam::444444444444:root" }] }),
      /destinations\.0\.trustedPrincipals\.0\.arn must be the exact ARN of an IAM user or role \(not an account root\)/,
    ],
    [
      "when a destination's ExternalId is too short [aws-rule sts-external-id]",
      withDestinations({ ...analytics, externalId: "x" }),
      /destinations\.0\.externalId must be 2-1224 characters .*got "x"/,
    ],
    [
      "when access is unknown",
      withDestinations({ ...analytics, access: "admin" }),
      /destinations\.0\.access must be "write" or "read-write", got "admin"/,
    ],
    [
      "when the singular access is unknown",
      withDestination({ access: "read" }),
      /destination\.access must be "write" or "read-write", got "read"/,
    ],
  ])("fails %s", (_name, input, expected) => {
    expect(problemsOf(input).join("\n")).toMatch(expected);
  });
});
