import { INVENTORY_ENVIRONMENT } from "../functions/inventory/environment";
import { INVENTORY_NAMES } from "../stacks/config";
import { problemsOf } from "./config-fixtures";
import {
  inventoryWith,
  LISTED_ACCOUNT_ID,
  MANAGEMENT_ACCOUNT_ID,
  ORGANIZATION_ID,
  UNIT_ID,
  WITH_INVENTORY,
} from "./inventory-fixtures-stack";
import { REAL_ACCOUNTS, synthesize } from "./synth";

const stack = synthesize(WITH_INVENTORY);
const executionRole = stack.resource("aws_iam_role", "name", INVENTORY_NAMES.executionRole);
const executionRoleArn = stack.reference("aws_iam_role", executionRole.id, "arn");
const organizationRole = stack.resource("aws_iam_role", "name", INVENTORY_NAMES.organizationRole);
const stackSet = stack.resource("aws_cloudformation_stack_set");
const template = JSON.parse(stackSet.block.template_body);
const templateRole = template.Resources.ListFunctionsRole;
const inventoryFunction = stack.resource("aws_lambda_function", "function_name", INVENTORY_NAMES.functionName);
const providerAliases = (json = stack.json) => (json.provider?.aws ?? []).map((provider) => provider.alias);

describe("Inventory: the read-only role by StackSet", () => {
  test("a service-managed StackSet with auto-deployment, named IAM capability and the execution role ARN by reference [aws-rule stackset-service-managed-auto-deployment] [aws-rule stackset-named-iam-capability]", () => {
    expect(stackSet.block).toMatchObject({
      name: INVENTORY_NAMES.stackSet,
      permission_model: "SERVICE_MANAGED",
      call_as: "SELF",
      auto_deployment: { enabled: true, retain_stacks_on_account_removal: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
      parameters: { InventoryRoleArn: executionRoleArn },
      provider: "aws.organization",
    });
  });

  test("its instances target the OUs in the organization account's one region (IAM is global) [aws-rule stackset-ou-instances]", () => {
    expect(stack.resource("aws_cloudformation_stack_set_instance").block).toMatchObject({
      stack_set_name: stack.reference("aws_cloudformation_stack_set", stackSet.id, "name"),
      deployment_targets: { organizational_unit_ids: [UNIT_ID] },
      region: "us-east-1",
      retain_stack: false,
      provider: "aws.organization",
    });
  });

  test("the template's role trusts exactly the parameter and may list functions and regions, nothing else", () => {
    expect(template.Parameters).toEqual({ InventoryRoleArn: expect.objectContaining({ Type: "String" }) });
    expect(Object.keys(template.Resources)).toEqual(["ListFunctionsRole"]);
    expect(templateRole.Type).toBe("AWS::IAM::Role");
    expect(templateRole.Properties.RoleName).toBe("CrossAccountListFunctionsRole");
    expect(templateRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Sid: "TheInventoryRoleOnly",
        Effect: "Allow",
        Principal: { AWS: { Ref: "InventoryRoleArn" } },
        Action: "sts:AssumeRole",
      },
    ]);
    expect(templateRole.Properties.Policies).toEqual([
      {
        PolicyName: "list-functions",
        PolicyDocument: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ListOnly",
              Effect: "Allow",
              Action: ["lambda:ListFunctions", "ec2:DescribeRegions"],
              Resource: "*",
            },
          ],
        },
      },
    ]);
  });

  test("with a region list the role may not call ec2:DescribeRegions", () => {
    const listed = synthesize(inventoryWith({ regions: ["us-east-1", "eu-west-1"], roleName: "InventoryReader" }));
    const body = JSON.parse(listed.resource("aws_cloudformation_stack_set").block.template_body);
    expect(body.Resources.ListFunctionsRole.Properties.RoleName).toBe("InventoryReader");
    expect(body.Resources.ListFunctionsRole.Properties.Policies[0].PolicyDocument.Statement[0].Action).toEqual([
      "lambda:ListFunctions",
    ]);
  });

  test("one provider for the organization, whatever its size: 50 OUs and 50 accounts add none", () => {
    expect(providerAliases()).toEqual(["source", "destination", "organization"]);
    expect(stack.json.provider?.aws?.[2]).toMatchObject({
      allowed_account_ids: [MANAGEMENT_ACCOUNT_ID],
      profile: "management",
    });
    const many = (prefix: string) =>
      Array.from({ length: 50 }, (_, index) => `${prefix}${String(index).padStart(2, "0")}`);
    const large = synthesize(
      inventoryWith({ organizationalUnitIds: many("ou-ab12-cdef34"), accountIds: many("4444444444") }),
    );
    expect(providerAliases(large.json)).toEqual(["source", "destination", "organization"]);
    expect(Object.keys(large.resources("aws_cloudformation_stack_set_instance"))).toHaveLength(1);
  });

  test("a delegated administrator calls as DELEGATED_ADMIN [aws-rule stacksets-delegated-admin]", () => {
    const delegated = synthesize(
      inventoryWith({
        organization: { accountId: MANAGEMENT_ACCOUNT_ID, region: "eu-west-1", delegatedAdministrator: true },
      }),
    );
    expect(delegated.resource("aws_cloudformation_stack_set").block.call_as).toBe("DELEGATED_ADMIN");
    expect(delegated.resource("aws_cloudformation_stack_set_instance").block).toMatchObject({
      call_as: "DELEGATED_ADMIN",
      region: "eu-west-1",
    });
  });

  test("the report bucket is TLS-only against AWS; in emulator mode alone it goes without that policy (moto cannot match it) [aws-rule s3-deny-insecure-transport]", () => {
    const emulated = synthesize({ ...WITH_INVENTORY, emulator: { endpoint: "http://127.0.0.1:5000" } });
    const reportBucketPolicies = (synthesized: typeof stack) =>
      Object.values(synthesized.resources("aws_s3_bucket_policy")).filter((policy) =>
        String(policy.bucket).startsWith("${aws_s3_bucket.inventory_report-bucket"),
      );
    expect(reportBucketPolicies(emulated)).toEqual([]);
    const [tlsOnly] = reportBucketPolicies(stack);
    expect(stack.policy(tlsOnly).Statement).toEqual([
      expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    ]);
  });
});

describe("Inventory: who may assume what", () => {
  const policy = stack.policy(
    stack.resource("aws_iam_role_policy", "name", "assume-read-roles-and-write-report").block,
  );

  test("the execution role assumes the read-only role by name in its organization, by ARN in listed accounts, and the organization read role", () => {
    expect(policy.Statement).toEqual([
      {
        Sid: "AssumeTheReadRoleInTheOrganization",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: "arn:aws:iam::*:role/CrossAccountListFunctionsRole",
        Condition: { StringEquals: { "aws:ResourceOrgID": ORGANIZATION_ID } },
      },
      {
        Sid: "AssumeTheReadRoleInListedAccounts",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: [`arn:aws:iam::${LISTED_ACCOUNT_ID}:role/CrossAccountListFunctionsRole`],
      },
      {
        Sid: "AssumeTheOrganizationReadRole",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: stack.reference("aws_iam_role", organizationRole.id, "arn"),
      },
      {
        Sid: "PutObjectsUnderPrefix",
        Effect: "Allow",
        Action: ["s3:PutObject"],
        Resource: expect.stringMatching(/^\$\{aws_s3_bucket\.[^.]+\.arn\}\/inventory\/\*$/),
      },
    ]);
  });

  test("the organization read role trusts exactly the execution role and lists accounts and OUs of its organization", () => {
    expect(organizationRole.block.provider).toBe("aws.organization");
    expect(stack.policy(organizationRole.block, "assume_role_policy").Statement).toEqual([
      { Sid: "TheInventoryRoleOnly", Effect: "Allow", Principal: { AWS: executionRoleArn }, Action: "sts:AssumeRole" },
    ]);
    const { block } = stack.resource("aws_iam_role_policy", "name", "list-organization-accounts");
    expect(stack.policy(block).Statement).toEqual([
      {
        Sid: "ListAccountsAndUnitsOfParents",
        Effect: "Allow",
        Action: ["organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"],
        Resource: [
          `arn:aws:organizations::${MANAGEMENT_ACCOUNT_ID}:root/${ORGANIZATION_ID}/*`,
          `arn:aws:organizations::${MANAGEMENT_ACCOUNT_ID}:ou/${ORGANIZATION_ID}/*`,
        ],
      },
    ]);
  });

  test("listed accounts only: exact role ARNs, no StackSet, no organization provider or role", () => {
    const only = synthesize({
      ...REAL_ACCOUNTS,
      inventory: { accountIds: [LISTED_ACCOUNT_ID], regions: ["us-east-1"] },
    });
    expect(only.resources("aws_cloudformation_stack_set")).toEqual({});
    expect(providerAliases(only.json)).toEqual(["source", "destination"]);
    const statements = only.policy(
      only.resource("aws_iam_role_policy", "name", "assume-read-roles-and-write-report").block,
    ).Statement;
    expect(statements.filter((statement) => statement.Action === "sts:AssumeRole")).toEqual([
      expect.objectContaining({ Resource: [`arn:aws:iam::${LISTED_ACCOUNT_ID}:role/CrossAccountListFunctionsRole`] }),
    ]);
  });
});

describe("Inventory: the read-only role made directly in listed accounts the stack reaches", () => {
  const destinationAccount = String(REAL_ACCOUNTS.destination?.accountId);
  const reaching = synthesize(
    inventoryWith({ accountIds: [LISTED_ACCOUNT_ID, destinationAccount, MANAGEMENT_ACCOUNT_ID] }),
  );
  const roles = Object.entries(reaching.resources("aws_iam_role")).filter(
    ([, role]) => role.name === "CrossAccountListFunctionsRole",
  );
  const trustedArn = reaching.reference(
    "aws_iam_role",
    reaching.resource("aws_iam_role", "name", INVENTORY_NAMES.executionRole).id,
    "arn",
  );
  const stackSetOf = (synthesized: typeof reaching) =>
    JSON.parse(synthesized.resource("aws_cloudformation_stack_set").block.template_body);

  test("through the destination's and the organization's providers, none for an account the stack does not reach", () => {
    expect(roles).toHaveLength(2);
    expect(roles.map(([, role]) => role.provider).sort()).toEqual(["aws.destination", "aws.organization"]);
    expect(providerAliases(reaching.json)).toEqual(providerAliases());
  });

  test("each is the template's role: trusts exactly the execution role, may list functions and regions only", () => {
    const { Properties: role } = stackSetOf(reaching).Resources.ListFunctionsRole;
    for (const [id, block] of roles) {
      expect(block).toMatchObject({ description: role.Description, max_session_duration: 3600 });
      expect(reaching.policy(block, "assume_role_policy").Statement).toEqual([
        { ...role.AssumeRolePolicyDocument.Statement[0], Principal: { AWS: trustedArn } },
      ]);
      const policies = Object.values(reaching.resources("aws_iam_role_policy")).filter(
        (policy) => policy.role === reaching.reference("aws_iam_role", id, "id"),
      );
      expect(policies.map((policy) => [policy.name, reaching.policy(policy)])).toEqual([
        ["list-functions", role.Policies[0].PolicyDocument],
      ]);
      expect(role.Policies[0].PolicyDocument.Statement[0].Action).toEqual([
        "lambda:ListFunctions",
        "ec2:DescribeRegions",
      ]);
    }
  });

  test("the plan fails if a listed account it reaches is in a targeted OU (not the management account: StackSets skip it) [aws-rule stackset-skips-management-account]", () => {
    const [[unitId, unit]] = Object.entries(
      reaching.json.data?.aws_organizations_organizational_unit_descendant_accounts ?? {},
    );
    expect(unit).toEqual({ parent_id: UNIT_ID, provider: "aws.organization" });
    const [destinationRole, managementRole] = ["aws.destination", "aws.organization"].map(
      (provider) => roles.find(([, role]) => role.provider === provider)?.[1],
    );
    expect(destinationRole?.lifecycle.precondition).toEqual([
      {
        condition: `\${!contains(flatten([data.aws_organizations_organizational_unit_descendant_accounts.${unitId}.accounts[*].id]), "${destinationAccount}")}`,
        error_message: expect.stringContaining(
          `inventory.accountIds lists ${destinationAccount}, which is in one of the targeted OUs (${UNIT_ID})`,
        ),
      },
    ]);
    expect(managementRole?.lifecycle).toBeUndefined();
  });

  test("the template is an output, for the listed accounts the stack does not reach", () => {
    const output = reaching.json.output?.["inventory-read-role-template"] as { value: string } | undefined;
    expect(JSON.parse(String(output?.value))).toEqual(stackSetOf(reaching));
  });
});

describe("Inventory: the function, its report bucket and schedule", () => {
  test("the bundled function runs as the execution role with the environment contract", () => {
    const variables = inventoryFunction.block.environment.variables;
    expect(inventoryFunction.block).toMatchObject({ runtime: "nodejs22.x", role: executionRoleArn, timeout: 900 });
    expect(JSON.parse(variables[INVENTORY_ENVIRONMENT.targets])).toEqual({
      organizationalUnitIds: [UNIT_ID],
      accountIds: [LISTED_ACCOUNT_ID],
    });
    expect(variables).toMatchObject({
      [INVENTORY_ENVIRONMENT.roleName]: "CrossAccountListFunctionsRole",
      [INVENTORY_ENVIRONMENT.organizationRoleArn]: stack.reference("aws_iam_role", organizationRole.id, "arn"),
      [INVENTORY_ENVIRONMENT.reportPrefix]: "inventory",
      [INVENTORY_ENVIRONMENT.concurrency]: "8",
      [INVENTORY_ENVIRONMENT.stsRegion]: "eu-west-1",
    });
    expect(variables[INVENTORY_ENVIRONMENT.regions]).toBeUndefined();
    const bucket = stack.resource("aws_s3_bucket", "bucket", "inventory-reports-123456789012-eu-west-1");
    expect(variables[INVENTORY_ENVIRONMENT.reportBucket]).toBe(stack.reference("aws_s3_bucket", bucket.id, "bucket"));
    expect(bucket.block.force_destroy).toBe(false);
  });

  test("no schedule by default; a schedule adds a rule, its target and a permission for that rule only [aws-rule eventbridge-lambda-permission]", () => {
    expect(stack.resources("aws_cloudwatch_event_rule")).toEqual({});
    const scheduled = synthesize(inventoryWith({ schedule: "rate(1 day)" }));
    const rule = scheduled.resource("aws_cloudwatch_event_rule");
    const fn = scheduled.resource("aws_lambda_function", "function_name", INVENTORY_NAMES.functionName);
    expect(rule.block.schedule_expression).toBe("rate(1 day)");
    expect(scheduled.resource("aws_cloudwatch_event_target").block).toMatchObject({
      rule: scheduled.reference("aws_cloudwatch_event_rule", rule.id, "name"),
      arn: scheduled.reference("aws_lambda_function", fn.id, "arn"),
    });
    expect(scheduled.resource("aws_lambda_permission").block).toMatchObject({
      action: "lambda:InvokeFunction",
      principal: "events.amazonaws.com",
      source_arn: scheduled.reference("aws_cloudwatch_event_rule", rule.id, "arn"),
    });
  });

  test("off unless configured: the example stack has no inventory resource", () => {
    const plain = synthesize(REAL_ACCOUNTS);
    expect(Object.values(plain.resources("aws_lambda_function")).map((block) => block.function_name)).toEqual([
      "cross-account-dynamodb-write",
    ]);
    expect(plain.resources("aws_cloudformation_stack_set")).toEqual({});
  });
});

describe("Inventory config fails with the bad value and what is allowed", () => {
  test.each([
    [
      { organizationalUnitIds: ["ou-bad"] },
      'inventory.organizationalUnitIds.0 must be an array of OU ids (ou-xxxx-xxxxxxxx) or root ids (r-xxxx), got "ou-bad"',
    ],
    [{ accountIds: ["12345"] }, 'inventory.accountIds.0 must be an array of 12-digit account ids, got "12345"'],
    [
      { accountIds: [LISTED_ACCOUNT_ID, LISTED_ACCOUNT_ID] },
      `inventory.accountIds names "${LISTED_ACCOUNT_ID}" twice; give each id once`,
    ],
    [
      { roleName: "bad role/name" },
      'inventory.roleName must be an IAM role name of 1-64 letters, digits and +=,.@_-, got "bad role/name"',
    ],
    [
      { concurrency: 0 },
      "inventory.concurrency must be a whole number of account-region pairs scanned at once from 1 to 64, got 0",
    ],
    [
      { concurrency: 65 },
      "inventory.concurrency must be a whole number of account-region pairs scanned at once from 1 to 64, got 65",
    ],
    [
      { schedule: "every day" },
      'inventory.schedule must be an EventBridge schedule expression such as "rate(1 day)" or "cron(0 6 * * ? *)", got "every day"',
    ],
    [
      { regions: [] },
      'inventory.regions must be "enabled" (every region enabled in each account) or a non-empty array of distinct regions such as ["us-east-1"], got []',
    ],
    [
      { regions: ["us-east-1", "us-east-1"] },
      'inventory.regions must be "enabled" (every region enabled in each account) or a non-empty array of distinct regions such as ["us-east-1"], got ["us-east-1","us-east-1"]',
    ],
    [
      { regions: ["mars-1"] },
      expect.stringMatching(/^inventory\.regions\.0 must be an AWS region name .*, got "mars-1"$/),
    ],
  ])("%j", (overrides, problem) => {
    expect(problemsOf(inventoryWith(overrides))).toEqual([problem]);
  });

  test("an empty target list", () => {
    expect(problemsOf({ ...REAL_ACCOUNTS, inventory: { organizationalUnitIds: [], accountIds: [] } })).toEqual([
      'inventory names no target: give organizationalUnitIds (ou-xxxx-xxxxxxxx or r-xxxx), accountIds (12 digits), or both, got {"organizationalUnitIds":[],"accountIds":[]}',
    ]);
  });

  test("OUs without the organization account and id", () => {
    expect(problemsOf({ ...REAL_ACCOUNTS, inventory: { organizationalUnitIds: [UNIT_ID] } })).toEqual([
      expect.stringContaining(`inventory.organization is required with organizationalUnitIds ["${UNIT_ID}"]`),
      expect.stringContaining(
        `inventory.organizationId (or organizationId) is required with organizationalUnitIds ["${UNIT_ID}"]`,
      ),
    ]);
  });
});
