import { EXAMPLE_DESTINATION_ACCOUNT_ID, EXAMPLE_SOURCE_ACCOUNT_ID } from "../stacks/config";
import { EMULATED_SERVICES } from "../stacks/providers";
import { exampleWith, REAL_ACCOUNTS, synthesize } from "./synth";

describe("CrossAccountStack", () => {
  const synth = synthesize();

  test("has exactly two aliased AWS providers, one per account", () => {
    const providers = synth.json.provider?.aws ?? [];
    expect(providers.map((provider) => provider.alias).sort()).toEqual(["destination", "source"]);
    const byAlias = Object.fromEntries(providers.map((provider) => [provider.alias, provider]));
    expect(byAlias.source.allowed_account_ids).toEqual([EXAMPLE_SOURCE_ACCOUNT_ID]);
    expect(byAlias.destination.allowed_account_ids).toEqual([EXAMPLE_DESTINATION_ACCOUNT_ID]);
  });

  test("every resource and data source names its provider, on the right side", () => {
    const destinationTypes = /^aws_(dynamodb_table|s3_bucket.*)$/;
    const blocks = [...Object.entries(synth.json.resource ?? {}), ...Object.entries(synth.json.data ?? {})].flatMap(
      ([type, byId]) => Object.entries(byId).map(([id, block]) => ({ type, id, block })),
    );
    expect(blocks.length).toBeGreaterThanOrEqual(13);
    for (const { type, id, block } of blocks) {
      expect({ type, id, provider: block.provider }).toEqual({
        type,
        id,
        provider: expect.stringMatching(/^aws\.(source|destination)$/),
      });
      if (destinationTypes.test(type))
        expect({ id, provider: block.provider }).toEqual({ id, provider: "aws.destination" });
      if (/^aws_(lambda_function|cloudwatch_log_group)$/.test(type))
        expect({ id, provider: block.provider }).toEqual({ id, provider: "aws.source" });
    }
  });

  test("emulator mode: each provider assumes a role in its own account and reaches every service at the emulator", () => {
    for (const provider of synth.json.provider?.aws ?? []) {
      const account = provider.alias === "source" ? EXAMPLE_SOURCE_ACCOUNT_ID : EXAMPLE_DESTINATION_ACCOUNT_ID;
      expect(provider.assume_role).toEqual([
        expect.objectContaining({ role_arn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole` }),
      ]);
      expect(Object.keys(provider.endpoints[0]).sort()).toEqual([...EMULATED_SERVICES].sort());
      expect(new Set(Object.values(provider.endpoints[0]))).toEqual(new Set(["http://127.0.0.1:5000"]));
      expect(provider).toEqual(
        expect.objectContaining({ access_key: "test", secret_key: "test", s3_use_path_style: true }),
      );
    }
  });

  test("real accounts: no endpoints or static keys; a profile or deploy role per account", () => {
    const real = synthesize(REAL_ACCOUNTS);
    const [source, destination] = ["source", "destination"].map((alias) =>
      real.json.provider?.aws?.find((provider) => provider.alias === alias),
    );
    expect(source).toEqual(
      expect.objectContaining({ profile: "source-admin", region: "eu-west-1", allowed_account_ids: ["123456789012"] }),
    );
    expect(source?.assume_role).toBeUndefined();
    expect(destination?.assume_role).toEqual([
      expect.objectContaining({ role_arn: "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole" }),
    ]);
    for (const provider of [source, destination]) {
      expect(provider?.endpoints).toBeUndefined();
      expect(provider?.access_key).toBeUndefined();
      expect(provider?.secret_key).toBeUndefined();
    }
  });

  test("outputs name the role ARNs, table, bucket and function by reference", () => {
    const outputs = synth.json.output ?? {};
    expect(Object.keys(outputs).sort()).toEqual([
      "bucket-name",
      "bucket-prefix",
      "destination-role-arn",
      "destinations",
      "function-arn",
      "function-name",
      "source-role-arn",
      "table-name",
    ]);
    const role = synth.resource("aws_iam_role", "name", "assume-role-via-111111111111");
    expect(outputs["destination-role-arn"].value).toBe(synth.reference("aws_iam_role", role.id, "arn"));
    const table = synth.resource("aws_dynamodb_table");
    expect(outputs["table-name"].value).toBe(synth.reference("aws_dynamodb_table", table.id, "name"));
    expect(outputs.destinations.value).toEqual({
      destination: {
        account_id: "222222222222",
        region: "us-east-1",
        access: "write",
        role_arn: synth.reference("aws_iam_role", role.id, "arn"),
        table_name: synth.reference("aws_dynamodb_table", table.id, "name"),
        bucket_name: synth.reference("aws_s3_bucket", synth.resource("aws_s3_bucket").id, "bucket"),
        bulk_objects: "per-record",
      },
    });
    const fn = synth.resource("aws_lambda_function");
    expect(outputs["function-arn"].value).toBe(synth.reference("aws_lambda_function", fn.id, "arn"));
  });

  test("resource names follow the guides by default and the config when given", () => {
    expect(synth.resource("aws_dynamodb_table").block.name).toBe("wd-ddb-table");
    expect(synth.resource("aws_s3_bucket").block.bucket).toBe("wd-records-222222222222-us-east-1");
    expect(synth.resource("aws_lambda_function").block.function_name).toBe("cross-account-dynamodb-write");
    synth.resource("aws_iam_role", "name", "cross-account-write-to-222222222222");

    const named = synthesize(
      exampleWith({
        names: {
          table: "orders",
          bucket: "orders-archive",
          bucketPrefix: "in/orders",
          destinationRole: "orders-writer",
          writerRole: "orders-lambda",
          writerFunction: "orders-sync",
        },
      }),
    );
    expect(named.resource("aws_dynamodb_table").block.name).toBe("orders");
    expect(named.resource("aws_s3_bucket").block.bucket).toBe("orders-archive");
    expect(named.resource("aws_lambda_function").block.function_name).toBe("orders-sync");
    named.resource("aws_iam_role", "name", "orders-writer");
    const writerRole = named.resource("aws_iam_role", "name", "orders-lambda");
    const policy = named.resource("aws_iam_role_policy", "name", "put-records");
    expect(named.policy(policy.block).Statement[1].Resource).toBe(
      `\${aws_s3_bucket.${named.resource("aws_s3_bucket").id}.arn}/in/orders/*`,
    );
    expect(writerRole.block.provider).toBe("aws.source");
  });
});
