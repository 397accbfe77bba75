import { WRITER_ENVIRONMENT } from "../../functions/writer/environment";
import { evaluate, resourceTarget, roleItself } from "../../scripts/access-map/evaluate";
import { REAL_ACCOUNTS } from "../synth";
import { actors } from "./matrix";
import { resolveStack } from "./resolve-stack";

describe("IAM matrix: the policies evaluated are the synthesized ones, resolved", () => {
  const stack = resolveStack({ ...REAL_ACCOUNTS });
  const { source, destination, writerRole, destinationRole, table, bucket, logGroup, environment, names } =
    actors(stack);
  const writerRoleArn = `arn:aws:iam::${source.accountId}:role/${names.writerRole}`;
  const destinationRoleArn = `arn:aws:iam::${destination.accountId}:role/${destination.role}`;

  test("each role carries exactly the aws_iam_role_policy blocks that name it", () => {
    expect(writerRole.identityPolicies.map(({ name }) => name).sort()).toEqual([
      `sts-access-to-${destination.accountId}`,
      "write-own-logs",
    ]);
    expect(destinationRole.identityPolicies.map(({ name }) => name)).toEqual(["put-records"]);
  });

  test("references resolve to the ARNs of each resource's provider account and region", () => {
    expect(writerRole.arn).toBe(writerRoleArn);
    expect(destinationRole.arn).toBe(destinationRoleArn);
    expect(table.arn).toBe(
      `arn:aws:dynamodb:${destination.region}:${destination.accountId}:table/${destination.table}`,
    );
    expect(bucket.arn).toBe(`arn:aws:s3:::${destination.bucket}`);
    expect(logGroup.arn).toBe(
      `arn:aws:logs:${source.region}:${source.accountId}:log-group:/aws/lambda/${names.writerFunction}`,
    );
    expect(destinationRole.trustPolicy.Statement[0].Principal).toEqual({ AWS: writerRoleArn });
    const destinations = JSON.parse(environment[WRITER_ENVIRONMENT.destinations]) as { roleArn: string }[];
    expect(destinations.map((entry) => stack.resolve(entry.roleArn))).toEqual([destinationRoleArn]);
    const resources = destinationRole.identityPolicies.flatMap(({ policy }) =>
      policy.Statement.map((statement) => statement.Resource),
    );
    expect(resources).toEqual([table.arn, `${bucket.arn}/${names.bucketPrefix}/*`]);
    expect(bucket.policy?.Statement[0].Resource).toEqual([bucket.arn, `${bucket.arn}/*`]);
    expect(bucket.restrictPublicBuckets).toBe(true);
  });

  test("no Terraform reference is left in any evaluated document", () => {
    const documents = [writerRole, destinationRole].flatMap((role) => [
      role.trustPolicy,
      ...role.identityPolicies.map(({ policy }) => policy),
    ]);
    expect(JSON.stringify([...documents, bucket.policy])).not.toContain("${");
  });

  test("a request the evaluator rejects fails the test instead of counting as a deny", async () => {
    await expect(
      evaluate(roleItself(destinationRole), "dynamodb:PutItems", resourceTarget(table, table.arn)),
    ).rejects.toThrow(/evaluator rejected/);
  });

  test("a context key the evaluator would ignore fails the test instead of silently not applying", async () => {
    const putItem = evaluate(roleItself(destinationRole), "dynamodb:PutItem", resourceTarget(table, table.arn), {
      "sts:ExternalId": "x",
    });
    await expect(putItem).rejects.toThrow(/ignored context keys sts:ExternalId/);
  });

  test("the resolver throws on a reference it cannot resolve", () => {
    const role = stack.synth.resource("aws_iam_role", "name", names.writerRole);
    const writerFunction = stack.synth.resource("aws_lambda_function");
    expect(() => stack.resolve("${aws_lambda_function.writer_function_1234.arn}")).toThrow(
      /no such resource|unsupported/,
    );
    expect(() => stack.resolve(`\${aws_iam_role.${role.id}.id}`)).toThrow(/cannot resolve Terraform reference/);
    expect(() => stack.resolve(`\${aws_iam_role.${role.id}-missing.arn}`)).toThrow(/no such resource/);
    expect(() => stack.resolve("${var.role_arn}")).toThrow(/cannot resolve Terraform reference/);
    expect(() => stack.resolve(`\${aws_lambda_function.${writerFunction.id}.arn}`)).toThrow(
      /unsupported resource type/,
    );
  });
});
