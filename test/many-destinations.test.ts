import { WRITER_ENVIRONMENT } from "../functions/writer/environment";
import { BUCKET_READ_ACTIONS, BUCKET_WRITE_ACTIONS } from "../stacks/destinations/destination-bucket";
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from "../stacks/destinations/destination-table";
import { synthesize, type TerraformBlock, THREE_DESTINATIONS } from "./synth";

// Three destinations in two regions (analytics and analytics-eu share account 222222222222), one plan.
const synth = synthesize({ ...THREE_DESTINATIONS, emulator: undefined });
const EXPECTED = [
  {
    name: "analytics",
    account: "222222222222",
    region: "us-east-1",
    alias: "destination-222222222222-us-east-1",
    access: "write",
  },
  {
    name: "analytics-eu",
    account: "222222222222",
    region: "eu-west-1",
    alias: "destination-222222222222-eu-west-1",
    access: "read-write",
  },
  {
    name: "archive",
    account: "333333333333",
    region: "us-east-1",
    alias: "destination-333333333333-us-east-1",
    access: "write",
  },
] as const;

/** The resources of one destination, found by their names, with the provider each names. */
function destination(name: string) {
  const role = synth.resource("aws_iam_role", "name", `assume-role-via-111111111111-${name}`);
  const [region, account] = [
    EXPECTED.find((entry) => entry.name === name)!.region,
    EXPECTED.find((entry) => entry.name === name)!.account,
  ];
  const bucket = synth.resource("aws_s3_bucket", "bucket", `wd-records-${name}-${account}-${region}`);
  const tables = Object.entries(synth.resources("aws_dynamodb_table")).filter(
    ([, block]) => block.provider === bucket.block.provider,
  );
  expect(tables).toHaveLength(1);
  const [[tableId, table]] = tables;
  const policies = Object.entries(synth.resources("aws_iam_role_policy")).filter(
    ([, block]) => block.role === synth.reference("aws_iam_role", role.id, "id"),
  );
  expect(policies).toHaveLength(1);
  return { role, bucket, table: { id: tableId, block: table }, policy: policies[0][1] as TerraformBlock };
}

describe("3 destinations in 2 regions, one stack", () => {
  test("one aliased provider per destination account and region, each bound to its account, plus the source", () => {
    const providers = synth.json.provider?.aws ?? [];
    expect(providers.map((provider) => [provider.alias, provider.allowed_account_ids, provider.region]).sort()).toEqual(
      [
        ...EXPECTED.map(({ alias, account, region }) => [alias, [account], region]),
        ["source", ["111111111111"], "us-east-1"],
      ].sort(),
    );
    for (const provider of providers.filter((candidate) => candidate.alias !== "source")) {
      expect(provider.default_tags).toEqual([
        { tags: { "managed-by": "cdktf-cross-account-sts", "cross-account-side": "destination" } },
      ]);
    }
  });

  test.each(EXPECTED)("$name: its role, table and bucket are made by its own provider $alias", ({ name, alias }) => {
    const { role, bucket, table, policy } = destination(name);
    for (const block of [role.block, bucket.block, table.block, policy]) expect(block.provider).toBe(`aws.${alias}`);
    expect(table.block.name).toBe("wd-ddb-table");
  });

  test.each(EXPECTED)("$name: its role trusts exactly the writer's role", ({ name }) => {
    const writerRole = synth.resource("aws_iam_role", "name", "cross-account-writer");
    expect(synth.policy(destination(name).role.block, "assume_role_policy").Statement).toEqual([
      {
        Sid: "WriterRoleOnly",
        Effect: "Allow",
        Principal: { AWS: synth.reference("aws_iam_role", writerRole.id, "arn") },
        Action: "sts:AssumeRole",
      },
    ]);
  });

  test.each(EXPECTED)(
    "$name: its role may write ($access) only its own table and its own bucket's prefix",
    ({ name, access }) => {
      const { bucket, table, policy } = destination(name);
      const tableArn = synth.reference("aws_dynamodb_table", table.id, "arn");
      const bucketArn = synth.reference("aws_s3_bucket", bucket.id, "arn");
      const statements = synth.policy(policy).Statement;
      const expected: object[] = [
        { Sid: "PutItemsIntoTable", Effect: "Allow", Action: [...TABLE_WRITE_ACTIONS], Resource: tableArn },
        {
          Sid: "PutObjectsUnderPrefix",
          Effect: "Allow",
          Action: [...BUCKET_WRITE_ACTIONS],
          Resource: `${bucketArn}/records/*`,
        },
      ];
      if (access === "read-write") {
        expected.push(
          { Sid: "ReadItemsFromTable", Effect: "Allow", Action: [...TABLE_READ_ACTIONS], Resource: tableArn },
          {
            Sid: "ReadObjectsUnderPrefix",
            Effect: "Allow",
            Action: [...BUCKET_READ_ACTIONS],
            Resource: `${bucketArn}/records/*`,
          },
          {
            Sid: "ListObjectsUnderPrefix",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: bucketArn,
            Condition: { StringLike: { "s3:prefix": ["records/*"] } },
          },
        );
      }
      expect(statements).toEqual(expected);
      expect(policy.name).toBe(access === "read-write" ? "read-write-records" : "put-records");
    },
  );

  test("the writer has one sts:AssumeRole policy per destination, each naming that destination's role only", () => {
    const writerRole = synth.resource("aws_iam_role", "name", "cross-account-writer");
    for (const { name } of EXPECTED) {
      const assume = synth.resource("aws_iam_role_policy", "name", `sts-access-to-${name}`);
      expect(assume.block).toEqual(
        expect.objectContaining({ provider: "aws.source", role: synth.reference("aws_iam_role", writerRole.id, "id") }),
      );
      expect(synth.policy(assume.block).Statement).toEqual([
        {
          Sid: "AssumeTheDestinationRoleOnly",
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Resource: synth.reference("aws_iam_role", destination(name).role.id, "arn"),
        },
      ]);
    }
  });

  test("the writer's environment lists every destination by reference, in config order, with archive's per-batch bulk layout", () => {
    const fn = synth.resource("aws_lambda_function");
    expect(JSON.parse(fn.block.environment.variables[WRITER_ENVIRONMENT.destinations])).toEqual(
      EXPECTED.map(({ name, account, region }) => {
        const { role, table, bucket } = destination(name);
        return {
          name,
          accountId: account,
          region,
          roleArn: synth.reference("aws_iam_role", role.id, "arn"),
          tableName: synth.reference("aws_dynamodb_table", table.id, "name"),
          bucketName: synth.reference("aws_s3_bucket", bucket.id, "bucket"),
          ...(name === "archive" ? { bulkObjects: "per-batch" } : {}),
        };
      }),
    );
    expect(fn.block.depends_on).toEqual(
      expect.arrayContaining(
        EXPECTED.map(
          ({ name }) =>
            `aws_iam_role_policy.${synth.resource("aws_iam_role_policy", "name", `sts-access-to-${name}`).id}`,
        ),
      ),
    );
  });

  test("each destination's bucket is locked down like the single one (policy, public access block, versioning)", () => {
    for (const { name } of EXPECTED) {
      const { bucket } = destination(name);
      const attached = (type: string) =>
        Object.values(synth.resources(type)).filter(
          (block) => block.bucket === synth.reference("aws_s3_bucket", bucket.id, "id"),
        );
      for (const type of [
        "aws_s3_bucket_policy",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_server_side_encryption_configuration",
      ]) {
        expect({ name, type, count: attached(type).length }).toEqual({ name, type, count: 1 });
      }
    }
  });

  test("the destinations output maps each name to its account, region, access, role, table, bucket and bulk layout", () => {
    const outputs = synth.json.output ?? {};
    expect(Object.keys(outputs.destinations.value)).toEqual(EXPECTED.map(({ name }) => name));
    expect(outputs.destinations.value.archive).toEqual({
      account_id: "333333333333",
      region: "us-east-1",
      access: "write",
      role_arn: synth.reference("aws_iam_role", destination("archive").role.id, "arn"),
      table_name: synth.reference("aws_dynamodb_table", destination("archive").table.id, "name"),
      bucket_name: synth.reference("aws_s3_bucket", destination("archive").bucket.id, "bucket"),
      bulk_objects: "per-batch",
    });
    expect(outputs.destinations.value.analytics.bulk_objects).toBe("per-record");
    expect(outputs["destination-role-arn"]).toBeUndefined();
  });

  test('the destination named "destination" keeps the construct ids of the singular form', () => {
    const single = synthesize({
      ...THREE_DESTINATIONS,
      destinations: undefined,
      destination: { accountId: "222222222222", region: "us-east-1" },
    });
    const listed = synthesize({
      ...THREE_DESTINATIONS,
      destinations: [
        { name: "destination", accountId: "222222222222", region: "us-east-1" },
        THREE_DESTINATIONS.destinations![2],
      ],
    });
    const ids = (stack: typeof synth, type: string) => Object.keys(stack.resources(type)).sort();
    for (const type of ["aws_iam_role", "aws_dynamodb_table", "aws_s3_bucket", "aws_iam_role_policy"]) {
      expect(ids(listed, type)).toEqual(expect.arrayContaining(ids(single, type)));
    }
  });

  test("a destination's own ExternalId replaces the config-wide one in its role's trust and in the writer's environment", () => {
    const guarded = synthesize({
      ...THREE_DESTINATIONS,
      emulator: undefined,
      externalId: "partner-7f3a",
      destinations: THREE_DESTINATIONS.destinations!.map((entry) =>
        entry.name === "archive" ? { ...entry, externalId: "archive-only" } : entry,
      ),
    });
    const requiredId = (name: string) =>
      guarded.policy(
        guarded.resource("aws_iam_role", "name", `assume-role-via-111111111111-${name}`).block,
        "assume_role_policy",
      ).Statement[0].Condition?.StringEquals?.["sts:ExternalId"];
    expect(EXPECTED.map(({ name }) => [name, requiredId(name)])).toEqual([
      ["analytics", "partner-7f3a"],
      ["analytics-eu", "partner-7f3a"],
      ["archive", "archive-only"],
    ]);
    const variables = guarded.resource("aws_lambda_function").block.environment.variables;
    expect(variables[WRITER_ENVIRONMENT.externalId]).toBe("partner-7f3a");
    expect(
      (JSON.parse(variables[WRITER_ENVIRONMENT.destinations]) as { name: string; externalId?: string }[]).map(
        ({ name, externalId }) => [name, externalId],
      ),
    ).toEqual([
      ["analytics", undefined],
      ["analytics-eu", undefined],
      ["archive", "archive-only"],
    ]);
  });
});
