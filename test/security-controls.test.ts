import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CrossAccountConfigInput, EXAMPLE_CONFIG } from "../stacks/config";
import * as controls from "./controls/rules";
import { Rule } from "./controls/rules";
import { REAL_ACCOUNTS, SynthesizedStack, THREE_DESTINATIONS, TerraformBlock, TerraformJson, synthesize } from "./synth";

// Each config is synthesized once, and only when a test needs it.
function once(input: CrossAccountConfigInput): () => SynthesizedStack {
  let synth: SynthesizedStack | undefined;
  return () => (synth ??= synthesize(input));
}
const realStack = once(REAL_ACCOUNTS);
const emulatorStack = once(EXAMPLE_CONFIG);
const rootedStack = once({ ...REAL_ACCOUNTS, trustMode: "account-with-principal-arn", externalId: "partner-7f3a", organizationId: "o-a1b2c3d4e5" });
const deletableStack = once({ ...REAL_ACCOUNTS, allowDataDeletion: true });
const untracedStack = once({ ...REAL_ACCOUNTS, tracing: false });

const SOURCE_ACCOUNT = REAL_ACCOUNTS.source.accountId;
const DESTINATION_ACCOUNT = REAL_ACCOUNTS.destination!.accountId;
const MET_RULES = controls.ALL_RULES.filter((rule) => rule.notMet === undefined);

/** A deep copy of a synthesized stack with one change: the non-compliant case next to the compliant one. */
function mutated(change: (copy: SynthesizedStack) => void, base: SynthesizedStack = realStack()): TerraformJson {
  const copy = new SynthesizedStack(structuredClone(base.json), base.stack);
  change(copy);
  return copy.json;
}

type Statement = Record<string, unknown>;

/** Rewrites the statements of a policy argument (a JSON string with Terraform references inside). */
function editPolicy(block: TerraformBlock, argument: string, edit: (statements: Statement[]) => void): void {
  const document = JSON.parse(block[argument] as string) as { Statement: Statement[] };
  edit(document.Statement);
  block[argument] = JSON.stringify(document);
}

function bySid(statements: Statement[], sid: string): Statement {
  const statement = statements.find((candidate) => candidate.Sid === sid);
  if (!statement) throw new Error(`no statement ${sid}`);
  return statement;
}

function addResource(copy: SynthesizedStack, type: string, id: string, block: TerraformBlock): void {
  const json = copy.json as { resource: Record<string, Record<string, TerraformBlock>> };
  json.resource[type] = { ...json.resource[type], [id]: block };
}

function removeResources(copy: SynthesizedStack, type: string): void {
  delete (copy.json.resource ?? {})[type];
}

/** Terraform address (`type.id`) of the single resource of a type (with an attribute value) in the real stack. */
function address(type: string, attribute = "", value?: unknown): string {
  return `${type}.${realStack().resource(type, attribute, value).id}`;
}

/** The finding a rule should report: its id, the resource's address and a part of the message. */
function finding(rule: Rule, resource: string, message: string) {
  return { rule: rule.id, resource, message: expect.stringContaining(message) };
}

const destinationRole = () => realStack().resource("aws_iam_role", "name", `assume-role-via-${SOURCE_ACCOUNT}`);
const writerRole = () => realStack().resource("aws_iam_role", "name", `cross-account-write-to-${DESTINATION_ACCOUNT}`);
const writerRoleArn = () => realStack().reference("aws_iam_role", writerRole().id, "arn");
const destinationRoleArn = () => realStack().reference("aws_iam_role", destinationRole().id, "arn");
const DESTINATION_ROLE = () => address("aws_iam_role", "name", `assume-role-via-${SOURCE_ACCOUNT}`);
const WRITER_ROLE = () => address("aws_iam_role", "name", `cross-account-write-to-${DESTINATION_ACCOUNT}`);
const PUT_RECORDS_POLICY = () => address("aws_iam_role_policy", "name", "put-records");
const LOGS_POLICY = () => address("aws_iam_role_policy", "name", "write-own-logs");
const ASSUME_POLICY = () => address("aws_iam_role_policy", "name", `sts-access-to-${DESTINATION_ACCOUNT}`);
const BUCKET = () => address("aws_s3_bucket");
const TABLE = () => address("aws_dynamodb_table");
const FUNCTION = () => address("aws_lambda_function");

function trust(copy: SynthesizedStack, edit: (statement: Statement) => void): void {
  editPolicy(copy.resource("aws_iam_role", "name", `assume-role-via-${SOURCE_ACCOUNT}`).block, "assume_role_policy", ([statement]) => edit(statement));
}

function policyOf(copy: SynthesizedStack, name: string, sid: string, edit: (statement: Statement) => void): void {
  editPolicy(copy.resource("aws_iam_role_policy", "name", name).block, "policy", (statements) => edit(bySid(statements, sid)));
}

describe("cross-account trust and IAM", () => {
  const rule = controls.trustsExactlyTheWriterRole;
  test.each([
    ["the guides' trust of the whole source account (its :root, no condition)", (copy: SynthesizedStack) => trust(copy, (statement) => {
      statement.Principal = { AWS: `arn:aws:iam::${SOURCE_ACCOUNT}:root` };
    }), () => [finding(rule, DESTINATION_ROLE(), `trusts the whole account arn:aws:iam::${SOURCE_ACCOUNT}:root`)]],
    ["Principal \"*\"", (copy: SynthesizedStack) => trust(copy, (statement) => {
      statement.Principal = "*";
    }), () => [finding(rule, DESTINATION_ROLE(), "trusts Principal \"*\"")]],
    ["the source account's :root with ArnLike aws:PrincipalArn role/*", (copy: SynthesizedStack) => trust(copy, (statement) => {
      statement.Principal = { AWS: `arn:aws:iam::${SOURCE_ACCOUNT}:root` };
      statement.Condition = { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${SOURCE_ACCOUNT}:role/*` } };
    }), () => [finding(rule, DESTINATION_ROLE(), "a pattern that matches more than one role")]],
    ["another role of the source account next to the writer's", (copy: SynthesizedStack) => trust(copy, (statement) => {
      statement.Principal = { AWS: [writerRoleArn(), `arn:aws:iam::${SOURCE_ACCOUNT}:role/admin`] };
    }), () => [
      finding(rule, DESTINATION_ROLE(), "trusts 2 principals"),
      finding(rule, DESTINATION_ROLE(), `role/admin, which is not the execution role of a Lambda function of this stack`),
    ]],
    ["a service principal next to the writer's role", (copy: SynthesizedStack) => trust(copy, (statement) => {
      statement.Principal = { AWS: writerRoleArn(), Service: "ec2.amazonaws.com" };
    }), () => [finding(rule, DESTINATION_ROLE(), "also trusts Service ec2.amazonaws.com")]],
    ["sts:TagSession, which the writer does not send", (copy: SynthesizedStack) => trust(copy, (statement) => {
      statement.Action = ["sts:AssumeRole", "sts:TagSession"];
    }), () => [finding(rule, DESTINATION_ROLE(), "allows sts:TagSession")]],
  ])("CKV_AWS_60/61: the destination role trusts exactly the writer's role — compliant: the stack, and the source :root restricted by ArnEquals aws:PrincipalArn (+ ExternalId, org id); non-compliant: %s", (_, change, expected) => {
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(rootedStack().json)).toEqual([]);
    expect(rule.check(mutated(change))).toEqual(expected());
  });

  test.each([
    ["Resource \"*\"", (copy: SynthesizedStack) => policyOf(copy, `sts-access-to-${DESTINATION_ACCOUNT}`, "AssumeTheDestinationRoleOnly", (statement) => {
      statement.Resource = "*";
    }), () => [
      finding(controls.sourceAssumesOnlyOneRole, ASSUME_POLICY(), "on *, a pattern that matches more than one role"),
      finding(controls.sourceAssumesOnlyOneRole, WRITER_ROLE(), "may assume *, which its function does not write through"),
    ]],
    ["every role of the destination account (role/*)", (copy: SynthesizedStack) => policyOf(copy, `sts-access-to-${DESTINATION_ACCOUNT}`, "AssumeTheDestinationRoleOnly", (statement) => {
      statement.Resource = `arn:aws:iam::${DESTINATION_ACCOUNT}:role/*`;
    }), () => [
      finding(controls.sourceAssumesOnlyOneRole, ASSUME_POLICY(), "a pattern that matches more than one role"),
      finding(controls.sourceAssumesOnlyOneRole, WRITER_ROLE(), `may assume arn:aws:iam::${DESTINATION_ACCOUNT}:role/*, which its function does not write through`),
    ]],
    ["a second policy that also lets the writer assume OrganizationAccountAccessRole", (copy: SynthesizedStack) => addResource(copy, "aws_iam_role_policy", "extra", {
      name: "assume-admin",
      role: copy.reference("aws_iam_role", writerRole().id, "id"),
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::${DESTINATION_ACCOUNT}:role/OrganizationAccountAccessRole` }] }),
    }), () => [
      finding(controls.sourceAssumesOnlyOneRole, "aws_iam_role_policy.extra", "OrganizationAccountAccessRole, which is not a role of this stack by reference"),
      finding(controls.sourceAssumesOnlyOneRole, WRITER_ROLE(), "OrganizationAccountAccessRole, which its function does not write through"),
    ]],
  ])("source may sts:AssumeRole only on its destination roles by reference — compliant: the stack; non-compliant: %s", (_, change, expected) => {
    const rule = controls.sourceAssumesOnlyOneRole;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(realStack().policy(realStack().resource("aws_iam_role_policy", "name", `sts-access-to-${DESTINATION_ACCOUNT}`).block).Statement[0].Resource).toBe(destinationRoleArn());
    expect(rule.check(mutated(change))).toEqual(expected());
  });

  test.each([
    ["dynamodb:* instead of dynamodb:PutItem (the guides' DynamoDB access)", (copy: SynthesizedStack) => policyOf(copy, "put-records", "PutItemsIntoTable", (statement) => {
      statement.Action = ["dynamodb:*"];
    }), () => [finding(controls.noWildcardActions, PUT_RECORDS_POLICY(), "the wildcard action dynamodb:*")]],
    ["Action \"*\"", (copy: SynthesizedStack) => policyOf(copy, "put-records", "PutObjectsUnderPrefix", (statement) => {
      statement.Action = "*";
    }), () => [finding(controls.noWildcardActions, PUT_RECORDS_POLICY(), "the wildcard action *")]],
    ["NotAction in an Allow", (copy: SynthesizedStack) => policyOf(copy, "put-records", "PutObjectsUnderPrefix", (statement) => {
      statement.NotAction = "s3:DeleteObject";
      delete statement.Action;
    }), () => [finding(controls.noWildcardActions, PUT_RECORDS_POLICY(), "allows NotAction")]],
    ["a customer-managed aws_iam_policy allowing s3:*", (copy: SynthesizedStack) => addResource(copy, "aws_iam_policy", "bucket-admin", {
      name: "bucket-admin",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: `${copy.reference("aws_s3_bucket", copy.resource("aws_s3_bucket").id, "arn")}/*` }] }),
    }), () => [finding(controls.noWildcardActions, "aws_iam_policy.bucket-admin", "the wildcard action s3:*")]],
    ["a policy that is a data source expression, not JSON (cannot be checked, so it fails)", (copy: SynthesizedStack) => {
      copy.resource("aws_iam_role_policy", "name", "put-records").block.policy = "${data.aws_iam_policy_document.put.json}";
    }, () => [finding(controls.noWildcardActions, PUT_RECORDS_POLICY(), "not a JSON document")]],
  ])("CKV_AWS_63: no \"*\" or \"service:*\" action in any IAM policy — compliant: the stack (its TLS bucket policy's s3:* is a Deny); non-compliant: %s", (_, change, expected) => {
    const rule = controls.noWildcardActions;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(realStack().policy(realStack().resource("aws_s3_bucket_policy").block).Statement[0]).toEqual(expect.objectContaining({ Effect: "Deny", Action: "s3:*" }));
    expect(rule.check(mutated(change))).toEqual(expected());
  });

  test.each([
    ["PutItem on Resource \"*\"", (copy: SynthesizedStack) => policyOf(copy, "put-records", "PutItemsIntoTable", (statement) => {
      statement.Resource = "*";
    }), () => [finding(controls.noWildcardResources, PUT_RECORDS_POLICY(), "allows dynamodb:PutItem, dynamodb:BatchWriteItem on *")]],
    ["PutItem on every table (arn:aws:dynamodb:*:*:table/*)", (copy: SynthesizedStack) => policyOf(copy, "put-records", "PutItemsIntoTable", (statement) => {
      statement.Resource = "arn:aws:dynamodb:*:*:table/*";
    }), () => [finding(controls.noWildcardResources, PUT_RECORDS_POLICY(), "allows dynamodb:PutItem, dynamodb:BatchWriteItem on arn:aws:dynamodb:*:*:table/*")]],
    ["logs:PutLogEvents slipped into the X-Ray statement on \"*\"", (copy: SynthesizedStack) => policyOf(copy, "write-own-logs", "SendTraces", (statement) => {
      statement.Action = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "logs:PutLogEvents"];
    }), () => [finding(controls.noWildcardResources, LOGS_POLICY(), "statement SendTraces allows logs:PutLogEvents on *")]],
    ["NotResource in an Allow", (copy: SynthesizedStack) => policyOf(copy, "put-records", "PutItemsIntoTable", (statement) => {
      statement.NotResource = "arn:aws:dynamodb:eu-central-1:210987654321:table/other";
      delete statement.Resource;
    }), () => [finding(controls.noWildcardResources, PUT_RECORDS_POLICY(), "allows NotResource")]],
  ])("CKV_AWS_355: no \"*\" resource but for actions without resource-level permissions (X-Ray) — compliant: the stack; non-compliant: %s", (_, change, expected) => {
    const rule = controls.noWildcardResources;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(bySid(realStack().policy(realStack().resource("aws_iam_role_policy", "name", "write-own-logs").block).Statement as unknown as Statement[], "SendTraces").Resource).toBe("*");
    expect(rule.check(mutated(change))).toEqual(expected());
  });

  test.each([
    ["AmazonDynamoDBFullAccess attached to the destination role (the guides' policy)", "aws_iam_role_policy_attachment", "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"],
    ["AmazonS3FullAccess attached to the destination role (the guides' policy)", "aws_iam_role_policy_attachment", "arn:aws:iam::aws:policy/AmazonS3FullAccess"],
    ["AdministratorAccess in the writer role's managed_policy_arns", "aws_iam_role", "arn:aws:iam::aws:policy/AdministratorAccess"],
  ])("IAM.21: no *FullAccess managed policy — compliant: the stack (no managed policies at all); non-compliant: %s", (_, type, policyArn) => {
    const rule = controls.noFullAccessPolicies;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(realStack().resources("aws_iam_role_policy_attachment")).toEqual({});
    const nonCompliant = mutated((copy) => {
      if (type === "aws_iam_role") copy.resource("aws_iam_role", "name", `cross-account-write-to-${DESTINATION_ACCOUNT}`).block.managed_policy_arns = [policyArn];
      else addResource(copy, type, "guide", { role: copy.reference("aws_iam_role", destinationRole().id, "name"), policy_arn: policyArn });
    });
    expect(rule.check(nonCompliant)).toEqual([finding(rule, type === "aws_iam_role" ? WRITER_ROLE() : `${type}.guide`, `attaches ${policyArn}`)]);
  });

  const lambdaTrust = (edit: (statement: Statement) => void) => (copy: SynthesizedStack) =>
    editPolicy(copy.resource("aws_iam_role", "name", `cross-account-write-to-${DESTINATION_ACCOUNT}`).block, "assume_role_policy", ([statement]) => edit(statement));
  test.each([
    ["no aws:SourceAccount condition", lambdaTrust((statement) => {
      delete statement.Condition;
    }), () => [finding(controls.lambdaTrustWithSourceAccount, WRITER_ROLE(), "no StringEquals aws:SourceAccount")]],
    ["aws:SourceAccount of the destination account", lambdaTrust((statement) => {
      statement.Condition = { StringEquals: { "aws:SourceAccount": DESTINATION_ACCOUNT } };
    }), () => [finding(controls.lambdaTrustWithSourceAccount, WRITER_ROLE(), `requires aws:SourceAccount ${DESTINATION_ACCOUNT}, not the role's own account ${SOURCE_ACCOUNT}`)]],
    ["ec2.amazonaws.com trusted as well", lambdaTrust((statement) => {
      statement.Principal = { Service: ["lambda.amazonaws.com", "ec2.amazonaws.com"] };
    }), () => [finding(controls.lambdaTrustWithSourceAccount, WRITER_ROLE(), "only {\"Service\":\"lambda.amazonaws.com\"} is allowed")]],
  ])("Lambda execution role trusts lambda.amazonaws.com with aws:SourceAccount — compliant: the stack; non-compliant: %s", (_, change, expected) => {
    const rule = controls.lambdaTrustWithSourceAccount;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(mutated(change))).toEqual(expected());
  });

  test("role chaining: the writer asks for at most 3600 s — compliant: the stack; non-compliant: SESSION_DURATION_SECONDS 7200", () => {
    const rule = controls.roleChainingSessionAtMostOneHour;
    expect(rule.check(realStack().json)).toEqual([]);
    const nonCompliant = mutated((copy) => {
      copy.resource("aws_lambda_function").block.environment.variables.SESSION_DURATION_SECONDS = "7200";
    });
    expect(rule.check(nonCompliant)).toEqual([finding(rule, FUNCTION(), "SESSION_DURATION_SECONDS is \"7200\"; a chained session")]);
  });
});

describe("destination bucket", () => {
  test.each(["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"])(
    "S3.1/S3.8 / CKV_AWS_53-56: all four public access block flags — compliant: the stack; non-compliant: a block with %s false",
    (flag) => {
      const rule = controls.bucketPublicAccessBlocked;
      expect(rule.check(realStack().json)).toEqual([]);
      const nonCompliant = mutated((copy) => {
        copy.resource("aws_s3_bucket_public_access_block").block[flag] = false;
      });
      expect(rule.check(nonCompliant)).toEqual([finding(rule, address("aws_s3_bucket_public_access_block"), `${flag} is false, not true`)]);
    },
  );

  test("S3.1/S3.8 / CKV_AWS_53-56: one public access block per bucket — compliant: the stack; non-compliant: none, and two", () => {
    const rule = controls.bucketPublicAccessBlocked;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(mutated((copy) => removeResources(copy, "aws_s3_bucket_public_access_block")))).toEqual([finding(rule, BUCKET(), "has 0 public access blocks")]);
    const twice = mutated((copy) => addResource(copy, "aws_s3_bucket_public_access_block", "second", { ...copy.resource("aws_s3_bucket_public_access_block").block }));
    expect(rule.check(twice)).toEqual([finding(rule, BUCKET(), "has 2 public access blocks")]);
  });

  test.each(["ObjectWriter", "BucketOwnerPreferred"])(
    "S3.12 / CKV2_AWS_65: ownership controls BucketOwnerEnforced — compliant: the stack; non-compliant: %s (ACLs enabled)",
    (ownership) => {
      const rule = controls.bucketOwnerEnforced;
      expect(rule.check(realStack().json)).toEqual([]);
      const nonCompliant = mutated((copy) => {
        copy.resource("aws_s3_bucket_ownership_controls").block.rule = { object_ownership: ownership };
      });
      expect(rule.check(nonCompliant)).toEqual([finding(rule, address("aws_s3_bucket_ownership_controls"), `["${ownership}"], not BucketOwnerEnforced`)]);
      expect(rule.check(mutated((copy) => removeResources(copy, "aws_s3_bucket_ownership_controls")))).toEqual([finding(rule, BUCKET(), "has no ownership controls")]);
    },
  );

  const tlsPolicy = (edit: (statement: Statement) => void) => (copy: SynthesizedStack) =>
    editPolicy(copy.resource("aws_s3_bucket_policy").block, "policy", ([statement]) => edit(statement));
  test.each([
    ["a Deny that covers only bucket/*, not the bucket", tlsPolicy((statement) => {
      statement.Resource = (statement.Resource as string[])[1];
    }), () => [finding(controls.bucketDeniesInsecureTransport, address("aws_s3_bucket_policy"), "on the bucket itself")]],
    ["Allow instead of Deny", tlsPolicy((statement) => {
      statement.Effect = "Allow";
    }), () => [
      finding(controls.bucketDeniesInsecureTransport, address("aws_s3_bucket_policy"), "on the bucket itself"),
      finding(controls.bucketDeniesInsecureTransport, address("aws_s3_bucket_policy"), "on the bucket's objects"),
    ]],
    ["aws:SecureTransport true (denies TLS requests instead)", tlsPolicy((statement) => {
      statement.Condition = { Bool: { "aws:SecureTransport": "true" } };
    }), () => [
      finding(controls.bucketDeniesInsecureTransport, address("aws_s3_bucket_policy"), "on the bucket itself"),
      finding(controls.bucketDeniesInsecureTransport, address("aws_s3_bucket_policy"), "on the bucket's objects"),
    ]],
    ["no bucket policy", (copy: SynthesizedStack) => removeResources(copy, "aws_s3_bucket_policy"),
      () => [finding(controls.bucketDeniesInsecureTransport, BUCKET(), "has 0 bucket policies")]],
  ])("S3.5: the bucket policy denies aws:SecureTransport false on bucket and bucket/* — compliant: the stack for real accounts; non-compliant: %s", (_, change, expected) => {
    const rule = controls.bucketDeniesInsecureTransport;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(mutated(change))).toEqual(expected());
  });

  test("S3.5 exception: the emulator config (no TLS policy: moto applies its Deny without the Bool condition) is flagged by S3.5 and by no other met control", () => {
    const emulator = emulatorStack();
    expect(controls.check(emulator.json, MET_RULES)).toEqual([
      finding(controls.bucketDeniesInsecureTransport, `aws_s3_bucket.${emulator.resource("aws_s3_bucket").id}`, "has 0 bucket policies"),
    ]);
  });

  test.each([
    ["versioning Suspended", (copy: SynthesizedStack) => {
      copy.resource("aws_s3_bucket_versioning").block.versioning_configuration = { status: "Suspended" };
    }, "versioning is [\"Suspended\"], not Enabled"],
    ["no versioning resource", (copy: SynthesizedStack) => removeResources(copy, "aws_s3_bucket_versioning"), "versioning is [], not Enabled"],
  ])("S3.14 / CKV_AWS_21: versioning Enabled — compliant: the stack; non-compliant: %s", (_, change, message) => {
    const rule = controls.bucketVersioned;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(mutated(change))).toEqual([finding(rule, BUCKET(), message)]);
  });

  test("CKV_AWS_19: default encryption (SSE-S3) — compliant: the stack; non-compliant: no encryption configuration, and one without sse_algorithm", () => {
    const rule = controls.bucketEncrypted;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(mutated((copy) => removeResources(copy, "aws_s3_bucket_server_side_encryption_configuration")))).toEqual([finding(rule, BUCKET(), "has no default encryption")]);
    const empty = mutated((copy) => {
      copy.resource("aws_s3_bucket_server_side_encryption_configuration").block.rule = [{ bucket_key_enabled: true }];
    });
    expect(rule.check(empty)).toEqual([finding(rule, BUCKET(), "has no default encryption")]);
  });

  const lifecycle = (edit: (rule: TerraformBlock) => void) => (copy: SynthesizedStack) => edit(copy.resource("aws_s3_bucket_lifecycle_configuration").block.rule[0]);
  test.each([
    ["no abort_incomplete_multipart_upload", lifecycle((rule) => {
      delete rule.abort_incomplete_multipart_upload;
    })],
    ["the rule Disabled", lifecycle((rule) => {
      rule.status = "Disabled";
    })],
    ["the rule filtered to records/ only", lifecycle((rule) => {
      rule.filter = [{ prefix: "records/" }];
    })],
  ])("S3.13 / CKV_AWS_300: lifecycle aborts incomplete multipart uploads — compliant: the stack; non-compliant: %s", (_, change) => {
    const rule = controls.bucketLifecycleAbortsIncompleteUploads;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(mutated(change))).toEqual([finding(rule, BUCKET(), "no enabled lifecycle rule over the whole bucket")]);
  });
});

describe("destination table", () => {
  test.each([
    ["billing_mode PROVISIONED", (table: TerraformBlock) => {
      table.billing_mode = "PROVISIONED";
    }],
    ["billing_mode left out (PROVISIONED by default)", (table: TerraformBlock) => {
      delete table.billing_mode;
    }],
  ])("DynamoDB.1: on-demand capacity (PAY_PER_REQUEST) — compliant: the stack; non-compliant: %s", (_, change) => {
    const rule = controls.tableOnDemand;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(mutated((copy) => change(copy.resource("aws_dynamodb_table").block)))).toEqual([finding(rule, TABLE(), "not PAY_PER_REQUEST")]);
  });

  test.each([
    ["point_in_time_recovery enabled false", (table: TerraformBlock) => {
      table.point_in_time_recovery = { enabled: false };
    }],
    ["point_in_time_recovery left out", (table: TerraformBlock) => {
      delete table.point_in_time_recovery;
    }],
  ])("DynamoDB.2 / CKV_AWS_28: point-in-time recovery — compliant: the stack; non-compliant: %s", (_, change) => {
    const rule = controls.tablePointInTimeRecovery;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(mutated((copy) => change(copy.resource("aws_dynamodb_table").block)))).toEqual([finding(rule, TABLE(), "point-in-time recovery is not enabled")]);
  });

  test("DynamoDB.6: deletion protection — compliant: the stack (on by default); non-compliant: deletion_protection_enabled false", () => {
    const rule = controls.tableDeletionProtection;
    expect(rule.check(realStack().json)).toEqual([]);
    const nonCompliant = mutated((copy) => {
      copy.resource("aws_dynamodb_table").block.deletion_protection_enabled = false;
    });
    expect(rule.check(nonCompliant)).toEqual([finding(rule, TABLE(), "deletion_protection_enabled is false")]);
  });

  test("DynamoDB.6 opt-out: the documented opt-in allowDataDeletion:true is flagged by DynamoDB.6 and by no other met control", () => {
    const deletable = deletableStack();
    expect(controls.check(deletable.json, MET_RULES)).toEqual([
      finding(controls.tableDeletionProtection, `aws_dynamodb_table.${deletable.resource("aws_dynamodb_table").id}`, "deletion_protection_enabled is false"),
    ]);
  });
});

describe("writer Lambda", () => {
  test.each(["nodejs20.x", "nodejs18.x"])("Lambda.2 / CKV_AWS_363: supported runtime (nodejs22.x) — compliant: the stack; non-compliant: runtime %s", (runtime) => {
    const rule = controls.lambdaSupportedRuntime;
    expect(rule.check(realStack().json)).toEqual([]);
    const nonCompliant = mutated((copy) => {
      copy.resource("aws_lambda_function").block.runtime = runtime;
    });
    expect(rule.check(nonCompliant)).toEqual([finding(rule, FUNCTION(), `runtime "${runtime}" is not a supported runtime`)]);
  });

  test.each([
    ["a permission for one account", "an aws_lambda_permission for principal \"*\"", "aws_lambda_permission",
      { action: "lambda:InvokeFunction", principal: SOURCE_ACCOUNT }, { action: "lambda:InvokeFunction", principal: "*" }, "to principal \"*\""],
    ["a function URL with AWS_IAM auth", "a function URL with authorization_type NONE", "aws_lambda_function_url",
      { authorization_type: "AWS_IAM" }, { authorization_type: "NONE" }, "authorization_type \"NONE\""],
  ])("Lambda.1: not public — compliant: the stack (no resource policy, no URL), and %s; non-compliant: %s", (_, __, type, compliant, nonCompliant, message) => {
    const rule = controls.lambdaNotPublic;
    const withResource = (attributes: TerraformBlock) => mutated((copy) => addResource(copy, type, "exposed", {
      function_name: copy.reference("aws_lambda_function", copy.resource("aws_lambda_function").id, "function_name"),
      ...attributes,
    }));
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(withResource(compliant))).toEqual([]);
    expect(rule.check(withResource(nonCompliant))).toEqual([finding(rule, `${type}.exposed`, message)]);
  });

  test.each([
    ["retention_in_days left out", (copy: SynthesizedStack) => {
      delete copy.resource("aws_cloudwatch_log_group").block.retention_in_days;
    }, () => [finding(controls.logGroupRetention, address("aws_cloudwatch_log_group"), "retention_in_days is undefined: logs are kept forever")]],
    ["retention_in_days 0 (never expire)", (copy: SynthesizedStack) => {
      copy.resource("aws_cloudwatch_log_group").block.retention_in_days = 0;
    }, () => [finding(controls.logGroupRetention, address("aws_cloudwatch_log_group"), "retention_in_days is 0")]],
    ["the log group named for another function (Lambda would create its own, unretained)", (copy: SynthesizedStack) => {
      copy.resource("aws_cloudwatch_log_group").block.name = "/aws/lambda/another-function";
    }, () => [finding(controls.logGroupRetention, FUNCTION(), "logs into /aws/lambda/cross-account-dynamodb-write, which this stack does not create")]],
  ])("CKV_AWS_66: the writer's log group has a retention period — compliant: the stack (30 days); non-compliant: %s", (_, change, expected) => {
    const rule = controls.logGroupRetention;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(mutated(change))).toEqual(expected());
  });

  test.each([
    ["DB_PASSWORD", "hunter2", "DB_PASSWORD looks like a secret"],
    ["API_TOKEN", "t0k3n", "API_TOKEN looks like a secret"],
    ["AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_SECRET_ACCESS_KEY looks like a secret"],
    ["UPSTREAM", "AKIAIOSFODNN7EXAMPLE", "UPSTREAM holds what looks like an access key"],
  ])("CKV_AWS_45: no secrets in the environment — compliant: the stack, and its EXTERNAL_ID (not a secret); non-compliant: %s", (name, value, message) => {
    const rule = controls.lambdaNoSecretsInEnvironment;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rootedStack().resource("aws_lambda_function").block.environment.variables.EXTERNAL_ID).toBe("partner-7f3a");
    expect(rule.check(rootedStack().json)).toEqual([]);
    const nonCompliant = mutated((copy) => {
      copy.resource("aws_lambda_function").block.environment.variables[name] = value;
    });
    expect(rule.check(nonCompliant)).toEqual([finding(rule, FUNCTION(), message)]);
  });

  test("CKV_AWS_50: X-Ray active tracing — compliant: the stack (on by default); non-compliant: mode PassThrough", () => {
    const rule = controls.lambdaTracing;
    expect(rule.check(realStack().json)).toEqual([]);
    const nonCompliant = mutated((copy) => {
      copy.resource("aws_lambda_function").block.tracing_config = { mode: "PassThrough" };
    });
    expect(rule.check(nonCompliant)).toEqual([finding(rule, FUNCTION(), "tracing mode is \"PassThrough\", not Active")]);
  });

  test("CKV_AWS_50 opt-out: tracing:false is flagged by CKV_AWS_50 and by no other met control", () => {
    const untraced = untracedStack();
    expect(controls.check(untraced.json, MET_RULES)).toEqual([
      finding(controls.lambdaTracing, `aws_lambda_function.${untraced.resource("aws_lambda_function").id}`, "not Active"),
    ]);
  });
});

describe("controls deliberately not met (as documented in the README's security table)", () => {
  const readme = readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");
  const readmeRow = (id: string) => readme.split("\n").find((line) => line.startsWith(`| ${id}`)) ?? "";

  test("CKV_AWS_119 not met — AWS-owned key; a customer-managed key is not configurable yet: the table is encrypted without kms_key_arn", () => {
    const rule = controls.tableCustomerManagedKey;
    expect(readmeRow("CKV_AWS_119")).toContain(`| not met | ${rule.notMet} |`);
    expect(realStack().resource("aws_dynamodb_table").block.server_side_encryption).toEqual({ enabled: true });
    expect(rule.check(realStack().json)).toEqual([finding(rule, TABLE(), "AWS-owned key")]);
  });

  test("CKV_AWS_115 not set — reserving concurrency fails in new accounts whose limit is 10 (AWS keeps 10 unreserved): the writer has no reserved_concurrent_executions", () => {
    const rule = controls.lambdaReservedConcurrency;
    expect(readmeRow("CKV_AWS_115")).toContain(`| not set | ${rule.notMet} |`);
    expect(realStack().resource("aws_lambda_function").block.reserved_concurrent_executions).toBeUndefined();
    expect(rule.check(realStack().json)).toEqual([finding(rule, FUNCTION(), "no reserved concurrency")]);
  });

  test("CKV_AWS_116 not applicable — the writer is invoked synchronously and throws on failure: no DLQ, no on-failure destination", () => {
    const rule = controls.lambdaDeadLetterQueue;
    expect(readmeRow("CKV_AWS_116")).toContain(`| not applicable | ${rule.notMet} |`);
    expect(realStack().resource("aws_lambda_function").block.dead_letter_config).toBeUndefined();
    expect(realStack().resources("aws_lambda_function_event_invoke_config")).toEqual({});
    expect(rule.check(realStack().json)).toEqual([finding(rule, FUNCTION(), "no dead-letter queue or on-failure destination")]);
  });
});

describe("all controls", () => {
  test("all rules over the real stack: no finding but the documented not-met controls CKV_AWS_119, CKV_AWS_115, CKV_AWS_116", () => {
    const findings = controls.check(realStack().json);
    expect(findings.map(({ rule, resource }) => [rule, resource])).toEqual([
      ["CKV_AWS_119", TABLE()],
      ["CKV_AWS_115", FUNCTION()],
      ["CKV_AWS_116", FUNCTION()],
    ]);
    expect(controls.check(realStack().json, MET_RULES)).toEqual([]);
  });

  test("all met rules hold for 3 destinations in 2 regions (every role, table, bucket and assume policy)", () => {
    const many = synthesize(THREE_DESTINATIONS);
    expect(Object.keys(many.resources("aws_s3_bucket"))).toHaveLength(3);
    expect(controls.check(many.json, MET_RULES)).toEqual([]);
    // Non-compliant: the writer keeps its sts:AssumeRole on archive's role while no longer writing there.
    const dropped = mutated((copy) => {
      const variables = copy.resource("aws_lambda_function").block.environment.variables;
      variables.DESTINATIONS = JSON.stringify((JSON.parse(variables.DESTINATIONS) as { name: string }[]).filter((destination) => destination.name !== "archive"));
    }, many);
    const archiveRole = many.resource("aws_iam_role", "name", "assume-role-via-111111111111-archive");
    expect(controls.sourceAssumesOnlyOneRole.check(dropped)).toEqual([finding(
      controls.sourceAssumesOnlyOneRole,
      `aws_iam_role.${many.resource("aws_iam_role", "name", "cross-account-writer").id}`,
      `may assume ${many.reference("aws_iam_role", archiveRole.id, "arn")}, which its function does not write through`,
    )]);
  });

  test("CKV_AWS_60/61 opt-in: configured trustedPrincipals are reported on every destination role by that rule and no other", () => {
    const trusting = synthesize({ ...THREE_DESTINATIONS, trustedPrincipals: [{ arn: "arn:aws:iam::444444444444:user/alice", requireMfa: true }] });
    const roles = Object.values(trusting.resources("aws_iam_role")).filter((block) => String(block.name).startsWith("assume-role-via-"));
    expect(controls.check(trusting.json, MET_RULES)).toEqual(roles.map(() => ({
      rule: "CKV_AWS_60/61",
      resource: expect.stringMatching(/^aws_iam_role\.destination-/),
      message: expect.stringContaining("TrustedUsersWithMfa trusts arn:aws:iam::444444444444:user/alice"),
    })));
  });

  test("every control id of the README's security table has a rule", () => {
    const readme = readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Security"), readme.indexOf("**Deleting data is an opt-in.**"));
    const controlIds = (text: string) => text.match(/\b(CKV2?_AWS_\d+(?:[-/]\d+)?|(?:S3|IAM|DynamoDB|Lambda)\.\d+)\b/g) ?? [];
    const documented = table.split("\n").filter((line) => line.startsWith("| ")).flatMap((line) => controlIds(line.split("|")[1]));
    const implemented = new Set(controls.ALL_RULES.flatMap((rule) => controlIds(rule.id)));
    expect(documented.length).toBeGreaterThan(20);
    expect(documented.filter((id) => !implemented.has(id))).toEqual([]);
  });
});
