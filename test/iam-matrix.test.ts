import { WRITER_ENVIRONMENT } from "../functions/writer/settings";
import { policyDocument } from "../stacks/policy-document";
import {
  ADMINISTRATOR_ACCESS,
  ASSUME_ANY_ROLE,
  Caller,
  ContextValues,
  Decision,
  Outcome,
  Target,
  anonymous,
  assumeTarget,
  bucketTarget,
  evaluate,
  principal,
  resourceTarget,
  roleItself,
  roleSession,
  servicePrincipal,
} from "./iam/evaluate";
import { ResolvedStack, resolveStack } from "./iam/resolve";
import { REAL_ACCOUNTS, THREE_DESTINATIONS } from "./synth";

// The IAM evaluation matrix: the policies exactly as synthesized (real-accounts config, so the bucket policy is in),
// references resolved to real ARNs, evaluated by @cloud-copilot/iam-simulate. Each name states the decision.

const EXTERNAL_ID = "partner-7f3a";
const ORGANIZATION_ID = "o-a1b2c3d4e5";
const THIRD_ACCOUNT_ID = "333333333333";

const LABEL: Record<Decision, string> = {
  Allowed: "ALLOWED",
  ImplicitlyDenied: "DENIED (implicitly)",
  ExplicitlyDenied: "DENIED (explicitly)",
};

interface Case {
  readonly expected: Decision;
  readonly what: string;
  readonly caller: () => Caller;
  readonly action: string;
  readonly target: () => Target;
  readonly context?: ContextValues;
  /** Same-account evaluation (no resource policy needed) or cross-account (both sides must allow). */
  readonly sameAccount?: boolean;
  /** The resource policy's own verdict, e.g. ExplicitlyDenied when the bucket policy's Deny applies. */
  readonly resourcePolicyResult?: string;
}

/** One test per case, named "<DECISION>: <what>". */
function matrix(cases: readonly Case[]): void {
  for (const { expected, what, caller, action, target, context, sameAccount, resourcePolicyResult } of cases) {
    test(`${LABEL[expected]}: ${what}`, async () => {
      const outcome: Outcome = await evaluate(caller(), action, target(), context);
      expect(outcome.decision).toBe(expected);
      if (sameAccount !== undefined) expect(outcome.sameAccount).toBe(sameAccount);
      if (resourcePolicyResult !== undefined) expect(outcome.resourcePolicyResult).toBe(resourcePolicyResult);
    });
  }
}

/** The principals and resources of one synthesized config. */
function actors(stack: ResolvedStack) {
  const { source, names } = stack.config;
  const [destination] = stack.config.destinations;
  const writerRole = stack.role(names.writerRole);
  const destinationRole = stack.role(destination.role);
  const environment: Record<string, string> = stack.synth.resource("aws_lambda_function").block.environment.variables;
  const sessionName = environment[WRITER_ENVIRONMENT.roleSessionName];
  return {
    source,
    destination,
    names,
    writerRole,
    destinationRole,
    table: stack.table(),
    bucket: stack.bucket(),
    logGroup: stack.logGroup(),
    environment,
    /** The writer Lambda's credentials: a session of its execution role named after the function. */
    writer: (context: ContextValues = {}) => roleSession(writerRole, names.writerFunction, context),
    /** The session the writer opens in the destination, with the session name from its environment. */
    destinationSession: () => roleSession(destinationRole, sessionName),
    /** Another role of the source account whose own policy lets it assume any role. */
    otherSourceRole: (context: ContextValues = {}) =>
      principal(`arn:aws:iam::${source.accountId}:role/deploy-pipeline`, [ASSUME_ANY_ROLE], context),
    /** An IAM user of the source account with AdministratorAccess. */
    sourceAdministrator: (context: ContextValues = {}) =>
      principal(`arn:aws:iam::${source.accountId}:user/admin`, [ADMINISTRATOR_ACCESS], context),
  };
}

// Each config is synthesized once for the whole file.
const matrixStack = resolveStack({ ...REAL_ACCOUNTS });
const base = actors(matrixStack);

describe("IAM matrix: who may assume the destination role (trustMode role-arn)", () => {
  const { source, destination, writer, writerRole, destinationRole, otherSourceRole, sourceAdministrator } = base;
  const assumeDestination = () => assumeTarget(destinationRole);

  matrix([
    {
      expected: "Allowed",
      what: "the writer's execution role (the Lambda's session) assumes the destination role: identity allow + trust allow, cross-account",
      caller: () => writer(),
      action: "sts:AssumeRole",
      target: assumeDestination,
      sameAccount: false,
    },
    {
      expected: "Allowed",
      what: "the writer's execution role, named by its role ARN, assumes the destination role",
      caller: () => roleItself(writerRole),
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
    {
      expected: "ImplicitlyDenied",
      what: "another role of the source account whose own policy allows sts:AssumeRole on * may not assume it",
      caller: () => otherSourceRole(),
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
    {
      expected: "ImplicitlyDenied",
      what: "an IAM user of the source account with AdministratorAccess (*:*) may not assume it",
      caller: () => sourceAdministrator(),
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
    {
      expected: "ImplicitlyDenied",
      what: "the source account's root user may not assume it",
      caller: () => principal(`arn:aws:iam::${source.accountId}:root`, [ADMINISTRATOR_ACCESS]),
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
    {
      expected: "ImplicitlyDenied",
      what: `a principal of a third account (${THIRD_ACCOUNT_ID}) allowed * may not assume it`,
      caller: () => principal(`arn:aws:iam::${THIRD_ACCOUNT_ID}:role/attacker`, [ADMINISTRATOR_ACCESS]),
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
    {
      expected: "ImplicitlyDenied",
      what: "a role of the destination account itself with AdministratorAccess may not assume it (the trust names only the writer)",
      caller: () => principal(`arn:aws:iam::${destination.accountId}:role/OrganizationAccountAccessRole`, [ADMINISTRATOR_ACCESS]),
      action: "sts:AssumeRole",
      target: assumeDestination,
      sameAccount: true,
    },
    {
      expected: "ImplicitlyDenied",
      what: "an anonymous caller may not assume it",
      caller: () => anonymous,
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
  ]);
});

describe("IAM matrix: what the writer's execution role may do", () => {
  const { source, destination, writer, table, bucket, logGroup, names } = base;
  // Worst cases for the writer's own policy: roles whose trust policies would let the writer's account in.
  const organizationAccessRole = {
    arn: `arn:aws:iam::${destination.accountId}:role/OrganizationAccountAccessRole`,
    accountId: destination.accountId,
    trustPolicy: policyDocument({
      Effect: "Allow", Principal: { AWS: `arn:aws:iam::${source.accountId}:root` }, Action: "sts:AssumeRole",
    }),
  };
  const sourceAdminRole = {
    arn: `arn:aws:iam::${source.accountId}:role/admin`,
    accountId: source.accountId,
    trustPolicy: policyDocument({
      Effect: "Allow", Principal: { AWS: `arn:aws:iam::${source.accountId}:root` }, Action: "sts:AssumeRole",
    }),
  };
  const key = `${names.bucketPrefix}/0b6f3c1e-3d2a-4d0e-9a57-1f6d2c9a8b7e.json`;

  matrix([
    {
      expected: "ImplicitlyDenied",
      what: "the writer may not assume OrganizationAccountAccessRole in the destination, even were it to trust the whole source account",
      caller: () => writer(),
      action: "sts:AssumeRole",
      target: () => assumeTarget(organizationAccessRole),
    },
    {
      expected: "ImplicitlyDenied",
      what: "the writer may not assume another role of its own account that trusts the whole account",
      caller: () => writer(),
      action: "sts:AssumeRole",
      target: () => assumeTarget(sourceAdminRole),
      sameAccount: true,
    },
    {
      expected: "ImplicitlyDenied",
      what: "the writer may not dynamodb:PutItem on the destination table directly, without assuming the destination role",
      caller: () => writer(),
      action: "dynamodb:PutItem",
      target: () => resourceTarget(table, table.arn),
      sameAccount: false,
    },
    {
      expected: "ImplicitlyDenied",
      what: "the writer may not s3:PutObject under the destination prefix directly, without assuming the destination role",
      caller: () => writer(),
      action: "s3:PutObject",
      target: () => bucketTarget(bucket, key),
      sameAccount: false,
    },
    {
      expected: "Allowed",
      what: "the writer may logs:PutLogEvents into a stream of its own log group",
      caller: () => writer(),
      action: "logs:PutLogEvents",
      target: () => resourceTarget(logGroup, `${logGroup.arn}:log-stream:2024/05/01/[$LATEST]0123456789abcdef`),
      sameAccount: true,
    },
    {
      expected: "ImplicitlyDenied",
      what: "the writer may not logs:PutLogEvents into another function's log group",
      caller: () => writer(),
      action: "logs:PutLogEvents",
      target: () => resourceTarget(logGroup, `arn:aws:logs:${source.region}:${source.accountId}:log-group:/aws/lambda/other-function:log-stream:x`),
    },
  ]);
});

describe("IAM matrix: what the destination role may do in its own account", () => {
  const { destination, destinationRole, destinationSession, writerRole, table, bucket, names } = base;
  const key = (prefix: string) => `${prefix}/0b6f3c1e-3d2a-4d0e-9a57-1f6d2c9a8b7e.json`;
  const inPrefix = key(names.bucketPrefix);
  const otherTable = `arn:aws:dynamodb:${destination.region}:${destination.accountId}:table/${destination.table}-archive`;
  const otherRegion = destination.region === "us-east-1" ? "us-west-2" : "us-east-1";
  const sameTableOtherRegion = `arn:aws:dynamodb:${otherRegion}:${destination.accountId}:table/${destination.table}`;
  const otherBucket = { ...bucket, name: "wd-other-bucket", arn: "arn:aws:s3:::wd-other-bucket", policy: undefined };
  const organizationAccessRole = {
    arn: `arn:aws:iam::${destination.accountId}:role/OrganizationAccountAccessRole`,
    accountId: destination.accountId,
    trustPolicy: policyDocument({
      Effect: "Allow", Principal: { AWS: `arn:aws:iam::${destination.accountId}:root` }, Action: "sts:AssumeRole",
    }),
  };

  const principals: ReadonlyArray<[string, () => Caller]> = [
    ["the destination role", () => roleItself(destinationRole)],
    ["the destination role's assumed-role session", destinationSession],
  ];
  for (const [who, caller] of principals) {
    describe(who, () => {
      const denied = (what: string, action: string, target: () => Target): Case =>
        ({ expected: "ImplicitlyDenied", what: `${who} may not ${what}`, caller, action, target, sameAccount: true });
      const onTable = () => resourceTarget(table, table.arn);
      const onObject = (objectKey: string) => () => bucketTarget(bucket, objectKey);

      matrix([
        { expected: "Allowed", what: `${who} may dynamodb:PutItem on its table`, caller, action: "dynamodb:PutItem", target: onTable, sameAccount: true },
        { expected: "Allowed", what: `${who} may dynamodb:BatchWriteItem on its table (bulk events)`, caller, action: "dynamodb:BatchWriteItem", target: onTable, sameAccount: true },
        {
          expected: "Allowed",
          what: `${who} may s3:PutObject under ${names.bucketPrefix}/ over TLS (the bucket policy has no Allow; same account needs none)`,
          caller,
          action: "s3:PutObject",
          target: onObject(inPrefix),
          sameAccount: true,
        },
        {
          expected: "Allowed",
          what: `${who} may s3:PutObject a per-batch bulk object under ${names.bucketPrefix}/batches/`,
          caller,
          action: "s3:PutObject",
          target: onObject(`${names.bucketPrefix}/batches/${"0f".repeat(32)}.jsonl`),
          sameAccount: true,
        },
        ...["GetItem", "BatchGetItem", "Query", "Scan", "DeleteItem", "UpdateItem"].map((action) =>
          denied(`dynamodb:${action} on its table`, `dynamodb:${action}`, onTable)),
        denied("dynamodb:PutItem on another table of the account", "dynamodb:PutItem", () => resourceTarget(table, otherTable)),
        denied("dynamodb:PutItem on a table of the same name in another region", "dynamodb:PutItem", () => resourceTarget(table, sameTableOtherRegion)),
        denied("s3:PutObject under another prefix", "s3:PutObject", onObject(key("other"))),
        denied(`s3:PutObject under a sibling prefix (${names.bucketPrefix}-evil/)`, "s3:PutObject", onObject(key(`${names.bucketPrefix}-evil`))),
        denied("s3:PutObject at the bucket's top level", "s3:PutObject", onObject("0b6f3c1e.json")),
        denied("s3:PutObject into another bucket of the account, same key", "s3:PutObject", () => bucketTarget(otherBucket, inPrefix)),
        denied("s3:GetObject under the prefix", "s3:GetObject", onObject(inPrefix)),
        denied("s3:DeleteObject under the prefix", "s3:DeleteObject", onObject(inPrefix)),
        denied("s3:PutBucketPolicy on the bucket", "s3:PutBucketPolicy", () => bucketTarget(bucket)),
        denied("iam:CreateRole", "iam:CreateRole", () => resourceTarget(destinationRole, `arn:aws:iam::${destination.accountId}:role/escalate`)),
        denied("iam:PassRole of itself", "iam:PassRole", () => resourceTarget(destinationRole, destinationRole.arn)),
        denied("sts:AssumeRole of a role of its account that trusts the whole account", "sts:AssumeRole", () => assumeTarget(organizationAccessRole)),
        {
          expected: "ImplicitlyDenied",
          what: `${who} may not sts:AssumeRole back into the writer's execution role`,
          caller,
          action: "sts:AssumeRole",
          target: () => assumeTarget(writerRole),
          sameAccount: false,
        },
        {
          expected: "ExplicitlyDenied",
          what: `${who} may not s3:PutObject under ${names.bucketPrefix}/ without TLS (aws:SecureTransport=false): the bucket policy denies (S3.5)`,
          caller,
          action: "s3:PutObject",
          target: onObject(inPrefix),
          context: { "aws:SecureTransport": "false" },
          sameAccount: true,
          resourcePolicyResult: "ExplicitlyDenied",
        },
      ]);
    });
  }
});

describe("IAM matrix: the bucket against anyone else", () => {
  const { bucket, names } = base;
  const inPrefix = `${names.bucketPrefix}/0b6f3c1e-3d2a-4d0e-9a57-1f6d2c9a8b7e.json`;

  matrix([
    {
      expected: "ImplicitlyDenied",
      what: "an anonymous s3:PutObject under the prefix over TLS is refused",
      caller: () => anonymous,
      action: "s3:PutObject",
      target: () => bucketTarget(bucket, inPrefix),
    },
    {
      expected: "ExplicitlyDenied",
      what: "an anonymous s3:PutObject without TLS is refused by the bucket policy's Deny",
      caller: () => anonymous,
      action: "s3:PutObject",
      target: () => bucketTarget(bucket, inPrefix),
      context: { "aws:SecureTransport": "false" },
      resourcePolicyResult: "ExplicitlyDenied",
    },
    {
      expected: "ImplicitlyDenied",
      what: `a principal of a third account (${THIRD_ACCOUNT_ID}) allowed * may not s3:PutObject under the prefix`,
      caller: () => principal(`arn:aws:iam::${THIRD_ACCOUNT_ID}:role/attacker`, [ADMINISTRATOR_ACCESS]),
      action: "s3:PutObject",
      target: () => bucketTarget(bucket, inPrefix),
      sameAccount: false,
    },
  ]);
});

describe("IAM matrix: externalId configured", () => {
  const { destinationRole, environment, writer, otherSourceRole } = actors(resolveStack({ ...REAL_ACCOUNTS, externalId: EXTERNAL_ID }));
  const assumeDestination = () => assumeTarget(destinationRole);

  test("the writer's environment carries the configured ExternalId (the value the ALLOWED case sends)", () => {
    expect(environment[WRITER_ENVIRONMENT.externalId]).toBe(EXTERNAL_ID);
  });

  matrix([
    {
      expected: "Allowed",
      what: "the writer sending the right sts:ExternalId assumes the destination role",
      caller: () => writer(),
      action: "sts:AssumeRole",
      target: assumeDestination,
      context: { "sts:ExternalId": EXTERNAL_ID },
    },
    {
      expected: "ImplicitlyDenied",
      what: "the writer sending a wrong sts:ExternalId may not assume it",
      caller: () => writer(),
      action: "sts:AssumeRole",
      target: assumeDestination,
      context: { "sts:ExternalId": `${EXTERNAL_ID}-wrong` },
    },
    {
      expected: "ImplicitlyDenied",
      what: "the writer sending no sts:ExternalId may not assume it",
      caller: () => writer(),
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
    {
      expected: "ImplicitlyDenied",
      what: "another source role sending the right sts:ExternalId may not assume it (the ExternalId is no credential)",
      caller: () => otherSourceRole(),
      action: "sts:AssumeRole",
      target: assumeDestination,
      context: { "sts:ExternalId": EXTERNAL_ID },
    },
  ]);
});

describe("IAM matrix: trustMode account-with-principal-arn", () => {
  const { source, destinationRole, writer, otherSourceRole, sourceAdministrator } =
    actors(resolveStack({ ...REAL_ACCOUNTS, trustMode: "account-with-principal-arn" }));
  const assumeDestination = () => assumeTarget(destinationRole);

  matrix([
    {
      expected: "Allowed",
      what: "the writer (aws:PrincipalArn = its role ARN) assumes the destination role",
      caller: () => writer(),
      action: "sts:AssumeRole",
      target: assumeDestination,
      sameAccount: false,
    },
    {
      expected: "ImplicitlyDenied",
      what: "another source role allowed sts:AssumeRole on * (aws:PrincipalArn = its own ARN) may not assume it",
      caller: () => otherSourceRole(),
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
    {
      expected: "ImplicitlyDenied",
      what: "an IAM user of the source account with AdministratorAccess may not assume it",
      caller: () => sourceAdministrator(),
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
    {
      expected: "ImplicitlyDenied",
      what: "the source account's root user may not assume it",
      caller: () => principal(`arn:aws:iam::${source.accountId}:root`, [ADMINISTRATOR_ACCESS]),
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
  ]);
});

describe("IAM matrix: organizationId configured", () => {
  const { destinationRole, writer, otherSourceRole } = actors(resolveStack({ ...REAL_ACCOUNTS, organizationId: ORGANIZATION_ID }));
  const assumeDestination = () => assumeTarget(destinationRole);

  matrix([
    {
      expected: "Allowed",
      what: "the writer in the configured organization (aws:PrincipalOrgID matches) assumes the destination role",
      caller: () => writer({ "aws:PrincipalOrgID": ORGANIZATION_ID }),
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
    {
      expected: "ImplicitlyDenied",
      what: "the writer in another organization may not assume it",
      caller: () => writer({ "aws:PrincipalOrgID": "o-zzzzzzzzzz" }),
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
    {
      expected: "ImplicitlyDenied",
      what: "the writer in no organization (no aws:PrincipalOrgID) may not assume it",
      caller: () => writer(),
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
    {
      expected: "ImplicitlyDenied",
      what: "another source role of the same organization may not assume it",
      caller: () => otherSourceRole({ "aws:PrincipalOrgID": ORGANIZATION_ID }),
      action: "sts:AssumeRole",
      target: assumeDestination,
    },
  ]);
});

describe("IAM matrix: who may assume the writer's execution role", () => {
  const { source, writerRole, otherSourceRole } = base;
  const assumeWriterRole = () => assumeTarget(writerRole);

  matrix([
    {
      expected: "Allowed",
      what: "lambda.amazonaws.com on behalf of the source account (aws:SourceAccount) assumes the writer's execution role",
      caller: () => servicePrincipal("lambda.amazonaws.com", { "aws:SourceAccount": source.accountId }),
      action: "sts:AssumeRole",
      target: assumeWriterRole,
    },
    {
      expected: "ImplicitlyDenied",
      what: `lambda.amazonaws.com on behalf of another account (aws:SourceAccount ${THIRD_ACCOUNT_ID}) may not assume it`,
      caller: () => servicePrincipal("lambda.amazonaws.com", { "aws:SourceAccount": THIRD_ACCOUNT_ID }),
      action: "sts:AssumeRole",
      target: assumeWriterRole,
    },
    {
      expected: "ImplicitlyDenied",
      what: "lambda.amazonaws.com without aws:SourceAccount may not assume it",
      caller: () => servicePrincipal("lambda.amazonaws.com"),
      action: "sts:AssumeRole",
      target: assumeWriterRole,
    },
    {
      expected: "ImplicitlyDenied",
      what: "ec2.amazonaws.com on behalf of the source account may not assume it",
      caller: () => servicePrincipal("ec2.amazonaws.com", { "aws:SourceAccount": source.accountId }),
      action: "sts:AssumeRole",
      target: assumeWriterRole,
    },
    {
      expected: "ImplicitlyDenied",
      what: "another role of the source account allowed sts:AssumeRole on * may not assume it",
      caller: () => otherSourceRole(),
      action: "sts:AssumeRole",
      target: assumeWriterRole,
      sameAccount: true,
    },
  ]);
});

describe("IAM matrix: the policies evaluated are the synthesized ones, resolved", () => {
  const stack = matrixStack;
  const { source, destination, writerRole, destinationRole, table, bucket, logGroup, environment, names } = base;
  const writerRoleArn = `arn:aws:iam::${source.accountId}:role/${names.writerRole}`;
  const destinationRoleArn = `arn:aws:iam::${destination.accountId}:role/${destination.role}`;

  test("each role carries exactly the aws_iam_role_policy blocks that name it", () => {
    expect(writerRole.identityPolicies.map(({ name }) => name).sort()).toEqual([`sts-access-to-${destination.accountId}`, "write-own-logs"]);
    expect(destinationRole.identityPolicies.map(({ name }) => name)).toEqual(["put-records"]);
  });

  test("references resolve to the ARNs of each resource's provider account and region", () => {
    expect(writerRole.arn).toBe(writerRoleArn);
    expect(destinationRole.arn).toBe(destinationRoleArn);
    expect(table.arn).toBe(`arn:aws:dynamodb:${destination.region}:${destination.accountId}:table/${destination.table}`);
    expect(bucket.arn).toBe(`arn:aws:s3:::${destination.bucket}`);
    expect(logGroup.arn).toBe(`arn:aws:logs:${source.region}:${source.accountId}:log-group:/aws/lambda/${names.writerFunction}`);
    expect(destinationRole.trustPolicy.Statement[0].Principal).toEqual({ AWS: writerRoleArn });
    const destinations = JSON.parse(environment[WRITER_ENVIRONMENT.destinations]) as { roleArn: string }[];
    expect(destinations.map((entry) => stack.resolve(entry.roleArn))).toEqual([destinationRoleArn]);
    const resources = destinationRole.identityPolicies.flatMap(({ policy }) => policy.Statement.map((statement) => statement.Resource));
    expect(resources).toEqual([table.arn, `${bucket.arn}/${names.bucketPrefix}/*`]);
    expect(bucket.policy?.Statement[0].Resource).toEqual([bucket.arn, `${bucket.arn}/*`]);
    expect(bucket.restrictPublicBuckets).toBe(true);
  });

  test("no Terraform reference is left in any evaluated document", () => {
    const documents = [writerRole, destinationRole].flatMap((role) => [role.trustPolicy, ...role.identityPolicies.map(({ policy }) => policy)]);
    expect(JSON.stringify([...documents, bucket.policy])).not.toContain("${");
  });

  test("a request the evaluator rejects fails the test instead of counting as a deny", async () => {
    await expect(evaluate(roleItself(destinationRole), "dynamodb:PutItems", resourceTarget(table, table.arn))).rejects.toThrow(/evaluator rejected/);
  });

  test("a context key the evaluator would ignore fails the test instead of silently not applying", async () => {
    await expect(evaluate(roleItself(destinationRole), "dynamodb:PutItem", resourceTarget(table, table.arn), { "sts:ExternalId": "x" }))
      .rejects.toThrow(/ignored context keys sts:ExternalId/);
  });

  test("the resolver throws on a reference it cannot resolve", () => {
    const role = stack.synth.resource("aws_iam_role", "name", names.writerRole);
    expect(() => stack.resolve("${aws_lambda_function.writer_function_1234.arn}")).toThrow(/no such resource|unsupported/);
    expect(() => stack.resolve(`\${aws_iam_role.${role.id}.id}`)).toThrow(/cannot resolve Terraform reference/);
    expect(() => stack.resolve(`\${aws_iam_role.${role.id}-missing.arn}`)).toThrow(/no such resource/);
    expect(() => stack.resolve("${var.role_arn}")).toThrow(/cannot resolve Terraform reference/);
    expect(() => stack.resolve(`\${aws_lambda_function.${stack.synth.resource("aws_lambda_function").id}.arn}`)).toThrow(/unsupported resource type/);
  });
});

describe("IAM matrix, trustedPrincipals: an operator user with MFA and an EC2 instance role", () => {
  const OPERATOR = "arn:aws:iam::333333333333:user/alice";
  const INSTANCE_ROLE = "arn:aws:iam::111111111111:role/batch-ec2";
  const { destinationRole, writer, otherSourceRole } = actors(resolveStack({
    ...REAL_ACCOUNTS,
    trustedPrincipals: [{ arn: OPERATOR, requireMfa: true }, { arn: INSTANCE_ROLE }],
  }));
  const assumeDestination = () => assumeTarget(destinationRole);
  const assumeOnly = [ASSUME_ANY_ROLE];

  matrix([
    { expected: "Allowed", what: "the operator user assumes the destination role with MFA", caller: () => principal(OPERATOR, assumeOnly, { "aws:MultiFactorAuthPresent": "true" }), action: "sts:AssumeRole", target: assumeDestination, sameAccount: false },
    { expected: "ImplicitlyDenied", what: "the operator user may not assume it without MFA", caller: () => principal(OPERATOR, assumeOnly, { "aws:MultiFactorAuthPresent": "false" }), action: "sts:AssumeRole", target: assumeDestination },
    { expected: "ImplicitlyDenied", what: "another user of the operator's account, with MFA, may not assume it", caller: () => principal("arn:aws:iam::333333333333:user/mallory", assumeOnly, { "aws:MultiFactorAuthPresent": "true" }), action: "sts:AssumeRole", target: assumeDestination },
    { expected: "Allowed", what: "the EC2 instance role assumes it (no MFA asked of a role)", caller: () => principal(INSTANCE_ROLE, assumeOnly), action: "sts:AssumeRole", target: assumeDestination, sameAccount: false },
    { expected: "Allowed", what: "the writer still assumes it", caller: () => writer(), action: "sts:AssumeRole", target: assumeDestination },
    { expected: "ImplicitlyDenied", what: "another source role still may not", caller: () => otherSourceRole(), action: "sts:AssumeRole", target: assumeDestination },
  ]);
});

describe("IAM matrix: many destinations (3 in 2 regions, two sharing an account), no role serves another", () => {
  // analytics also trusts an analyst role of a fourth account, by its own trustedPrincipals.
  const ANALYST = "arn:aws:iam::444444444444:role/analyst";
  const stack = resolveStack({
    ...THREE_DESTINATIONS,
    destinations: THREE_DESTINATIONS.destinations!.map((destination) => (destination.name === "analytics" ? { ...destination, trustedPrincipals: [{ arn: ANALYST }] } : destination)),
  });
  const analyst = () => principal(ANALYST, [ASSUME_ANY_ROLE]);
  const { names } = stack.config;
  const writerRole = stack.role(names.writerRole);
  const writer = () => roleSession(writerRole, names.writerFunction);
  const destinations = stack.config.destinations.map((destination) => {
    const role = stack.role(destination.role);
    return {
      name: destination.name,
      access: destination.access,
      role,
      session: () => roleSession(role, names.writerFunction),
      table: stack.table(destination.table, destination),
      bucket: stack.bucket(destination.bucket),
    };
  });
  const key = `${names.bucketPrefix}/0b6f3c1e-3d2a-4d0e-9a57-1f6d2c9a8b7e.json`;
  const pairs = destinations.flatMap((from) => destinations.filter((to) => to !== from).map((to) => ({ from, to })));

  test("the tables of analytics and analytics-eu share a name and an account but not a region, so not an ARN", () => {
    const [analytics, analyticsEu] = destinations;
    expect([analytics.table.accountId, analyticsEu.table.accountId]).toEqual(["222222222222", "222222222222"]);
    expect(analytics.table.arn).toBe("arn:aws:dynamodb:us-east-1:222222222222:table/wd-ddb-table");
    expect(analyticsEu.table.arn).toBe("arn:aws:dynamodb:eu-west-1:222222222222:table/wd-ddb-table");
  });

  matrix([
    ...destinations.map(({ name, role }): Case => ({
      expected: "Allowed",
      what: `the writer assumes the ${name} role`,
      caller: () => writer(),
      action: "sts:AssumeRole",
      target: () => assumeTarget(role),
      sameAccount: false,
    })),
    ...destinations.map(({ name, role }): Case => ({
      expected: name === "analytics" ? "Allowed" : "ImplicitlyDenied",
      what: `an analyst role trusted by analytics alone ${name === "analytics" ? "assumes" : "may not assume"} the ${name} role, though its own policy allows sts:AssumeRole on *`,
      caller: analyst,
      action: "sts:AssumeRole",
      target: () => assumeTarget(role),
    })),
    ...pairs.map(({ from, to }): Case => ({
      expected: "ImplicitlyDenied",
      what: `a session of the ${from.name} role may not assume the ${to.name} role`,
      caller: from.session,
      action: "sts:AssumeRole",
      target: () => assumeTarget(to.role),
    })),
    ...destinations.flatMap(({ name, session, table, bucket }): Case[] => [
      { expected: "Allowed", what: `the ${name} role puts items into its own table`, caller: session, action: "dynamodb:PutItem", target: () => resourceTarget(table, table.arn), sameAccount: true },
      { expected: "Allowed", what: `the ${name} role puts objects under its own bucket's prefix`, caller: session, action: "s3:PutObject", target: () => bucketTarget(bucket, key), sameAccount: true },
    ]),
    ...pairs.flatMap(({ from, to }): Case[] => [
      { expected: "ImplicitlyDenied", what: `the ${from.name} role may not put items into ${to.name}'s table`, caller: from.session, action: "dynamodb:PutItem", target: () => resourceTarget(to.table, to.table.arn) },
      { expected: "ImplicitlyDenied", what: `the ${from.name} role may not put objects into ${to.name}'s bucket`, caller: from.session, action: "s3:PutObject", target: () => bucketTarget(to.bucket, key) },
    ]),
    ...destinations.flatMap(({ name, access, session, table, bucket }): Case[] => {
      const expected = access === "read-write" ? "Allowed" : "ImplicitlyDenied";
      const verb = access === "read-write" ? "reads" : "may not read (write access)";
      return [
        { expected, what: `the ${name} role ${verb} items of its own table (GetItem)`, caller: session, action: "dynamodb:GetItem", target: () => resourceTarget(table, table.arn) },
        { expected, what: `the ${name} role ${verb} items of its own table (Query)`, caller: session, action: "dynamodb:Query", target: () => resourceTarget(table, table.arn) },
        { expected, what: `the ${name} role ${verb} objects under its own prefix`, caller: session, action: "s3:GetObject", target: () => bucketTarget(bucket, key) },
        { expected, what: `the ${name} role ${verb} the listing of its own prefix`, caller: session, action: "s3:ListBucket", target: () => bucketTarget(bucket), context: { "s3:prefix": `${names.bucketPrefix}/` } },
      ];
    }),
    {
      expected: "ImplicitlyDenied",
      what: "the read-write analytics-eu role may not list its bucket outside the prefix",
      caller: () => destinations[1].session(),
      action: "s3:ListBucket",
      target: () => bucketTarget(destinations[1].bucket),
      context: { "s3:prefix": "" },
    },
    {
      expected: "ImplicitlyDenied",
      what: "the read-write analytics-eu role may not read analytics' table in the same account",
      caller: () => destinations[1].session(),
      action: "dynamodb:GetItem",
      target: () => resourceTarget(destinations[0].table, destinations[0].table.arn),
    },
    {
      expected: "ImplicitlyDenied",
      what: "the read-write analytics-eu role may not delete items of its own table",
      caller: () => destinations[1].session(),
      action: "dynamodb:DeleteItem",
      target: () => resourceTarget(destinations[1].table, destinations[1].table.arn),
    },
  ]);
});

describe("IAM matrix: a destination with its own ExternalId", () => {
  const stack = resolveStack({
    ...THREE_DESTINATIONS,
    externalId: EXTERNAL_ID,
    destinations: THREE_DESTINATIONS.destinations!.map((destination) => (destination.name === "archive" ? { ...destination, externalId: "archive-only" } : destination)),
  });
  const writerRole = stack.role(stack.config.names.writerRole);
  const writer = (externalId: string) => roleSession(writerRole, stack.config.names.writerFunction, { "sts:ExternalId": externalId });
  const role = (name: string) => stack.role(`assume-role-via-111111111111-${name}`);

  matrix([
    { expected: "Allowed", what: "the writer assumes the archive role with archive's own ExternalId", caller: () => writer("archive-only"), action: "sts:AssumeRole", target: () => assumeTarget(role("archive")) },
    { expected: "ImplicitlyDenied", what: "the writer may not assume the archive role with the config-wide ExternalId", caller: () => writer(EXTERNAL_ID), action: "sts:AssumeRole", target: () => assumeTarget(role("archive")) },
    { expected: "Allowed", what: "the writer assumes the analytics role with the config-wide ExternalId", caller: () => writer(EXTERNAL_ID), action: "sts:AssumeRole", target: () => assumeTarget(role("analytics")) },
    { expected: "ImplicitlyDenied", what: "the writer may not assume the analytics role with archive's ExternalId", caller: () => writer("archive-only"), action: "sts:AssumeRole", target: () => assumeTarget(role("analytics")) },
  ]);
});
