import { WRITER_ENVIRONMENT } from "../functions/writer/environment";
import { exampleWith, synthesize } from "./synth";

describe("ExecutionRole", () => {
  const synth = synthesize();
  const role = synth.resource("aws_iam_role", "name", "cross-account-write-to-222222222222");

  test("is assumable only by Lambda of the source account (aws:SourceAccount) [aws-rule lambda-execution-role-source-account]", () => {
    expect(role.block.provider).toBe("aws.source");
    expect(synth.policy(role.block, "assume_role_policy").Statement).toEqual([
      {
        Sid: "LambdaOfThisAccountOnly",
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
      },
    ]);
  });

  test("may write only its own log streams, in a log group with retention [aws-rule lambda-logs-permissions]", () => {
    const logGroup = synth.resource("aws_cloudwatch_log_group");
    expect(logGroup.block).toEqual(
      expect.objectContaining({
        name: "/aws/lambda/cross-account-dynamodb-write",
        retention_in_days: 30,
        provider: "aws.source",
      }),
    );
    const logs = synth.resource("aws_iam_role_policy", "name", "write-own-logs");
    expect(synth.policy(logs.block).Statement[0]).toEqual({
      Sid: "WriteOwnLogStreams",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${synth.reference("aws_cloudwatch_log_group", logGroup.id, "arn")}:log-stream:*`,
    });
  });

  test("X-Ray permissions exist only with tracing on [aws-rule lambda-xray-permissions]", () => {
    const traced = synth.policy(synth.resource("aws_iam_role_policy", "name", "write-own-logs").block).Statement;
    expect(traced.map((statement) => statement.Sid)).toEqual(["WriteOwnLogStreams", "SendTraces"]);
    const untraced = synthesize(exampleWith({ tracing: false }));
    const statements = untraced.policy(
      untraced.resource("aws_iam_role_policy", "name", "write-own-logs").block,
    ).Statement;
    expect(statements.map((statement) => statement.Sid)).toEqual(["WriteOwnLogStreams"]);
    expect(untraced.resource("aws_lambda_function").block.tracing_config).toEqual({ mode: "PassThrough" });
  });

  test("may assume the destination role, by reference, and no other", () => {
    const assume = synth.resource("aws_iam_role_policy", "name", "sts-access-to-222222222222");
    const destinationRole = synth.resource("aws_iam_role", "name", "assume-role-via-111111111111");
    expect(assume.block.provider).toBe("aws.source");
    expect(assume.block.role).toBe(synth.reference("aws_iam_role", role.id, "id"));
    expect(synth.policy(assume.block).Statement).toEqual([
      {
        Sid: "AssumeTheDestinationRoleOnly",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: synth.reference("aws_iam_role", destinationRole.id, "arn"),
      },
    ]);
  });
});

describe("WriterFunction", () => {
  const synth = synthesize();
  const fn = synth.resource("aws_lambda_function");

  test("Lambda.2: runs on nodejs22.x with a 2 minute timeout, in the source account, as the writer role [aws-rule lambda-runtime-supported]", () => {
    const role = synth.resource("aws_iam_role", "name", "cross-account-write-to-222222222222");
    expect(fn.block).toEqual(
      expect.objectContaining({
        provider: "aws.source",
        function_name: "cross-account-dynamodb-write",
        runtime: "nodejs22.x",
        handler: "index.handler",
        timeout: 120,
        role: synth.reference("aws_iam_role", role.id, "arn"),
        tracing_config: { mode: "Active" },
      }),
    );
  });

  test("ships the esbuild bundle as a Terraform asset whose hash changes the function", () => {
    expect(fn.block.filename).toMatch(/^assets\/writer_code_asset_[0-9A-F]+\/[0-9A-F]+\/archive\.zip$/);
    expect(fn.block.source_code_hash).toMatch(/^[0-9A-F]{32}$/);
    expect(fn.block.filename).toContain(fn.block.source_code_hash);
  });

  test("its environment references the destination role, table and bucket", () => {
    const variables = fn.block.environment.variables;
    const destinationRole = synth.resource("aws_iam_role", "name", "assume-role-via-111111111111");
    expect(variables).toEqual({
      [WRITER_ENVIRONMENT.destinations]: expect.any(String),
      [WRITER_ENVIRONMENT.bucketPrefix]: "records",
      [WRITER_ENVIRONMENT.stsRegion]: "us-east-1",
      [WRITER_ENVIRONMENT.roleSessionName]: "cross-account-dynamodb-write",
      [WRITER_ENVIRONMENT.sessionDurationSeconds]: "3600",
    });
    expect(JSON.parse(variables[WRITER_ENVIRONMENT.destinations])).toEqual([
      {
        name: "destination",
        accountId: "222222222222",
        region: "us-east-1",
        roleArn: synth.reference("aws_iam_role", destinationRole.id, "arn"),
        tableName: synth.reference("aws_dynamodb_table", synth.resource("aws_dynamodb_table").id, "name"),
        bucketName: synth.reference("aws_s3_bucket", synth.resource("aws_s3_bucket").id, "bucket"),
      },
    ]);
  });

  test("sends the ExternalId when one is configured", () => {
    const guarded = synthesize(exampleWith({ externalId: "partner-7f3a", writerSessionDurationSeconds: 900 }));
    const variables = guarded.resource("aws_lambda_function").block.environment.variables;
    expect(variables[WRITER_ENVIRONMENT.externalId]).toBe("partner-7f3a");
    expect(variables[WRITER_ENVIRONMENT.sessionDurationSeconds]).toBe("900");
  });

  test("is created after its log group and policies, so no log or permission is missing on the first run [aws-rule lambda-logs-permissions]", () => {
    const logGroup = synth.resource("aws_cloudwatch_log_group");
    expect(fn.block.depends_on).toEqual(expect.arrayContaining([`aws_cloudwatch_log_group.${logGroup.id}`]));
    for (const name of ["write-own-logs", "sts-access-to-222222222222"]) {
      expect(fn.block.depends_on).toContain(
        `aws_iam_role_policy.${synth.resource("aws_iam_role_policy", "name", name).id}`,
      );
    }
  });

  test("Lambda.1: no resource policy makes it invocable by others", () => {
    expect(synth.resources("aws_lambda_permission")).toEqual({});
    expect(synth.resources("aws_lambda_function_url")).toEqual({});
  });
});
