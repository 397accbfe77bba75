import {
  ASSUME_ANY_ROLE,
  assumeTarget,
  principal,
  resourceTarget,
  roleSession,
} from "../../scripts/access-map/evaluate";
import { INVENTORY_NAMES } from "../../stacks/config";
import { READ_ROLE_RESOURCE, TRUSTED_ROLE_PARAMETER, withParameters } from "../../stacks/inventory/role-template";
import type { PolicyDocument } from "../../stacks/policy-document";
import {
  inventoryWith,
  LISTED_ACCOUNT_ID,
  MANAGEMENT_ACCOUNT_ID,
  ORGANIZATION_ID,
  UNIT_ID,
  WITH_INVENTORY,
} from "../inventory-fixtures-stack";
import { administratorOf, allowed, denied, matrix, request } from "./matrix";
import { resolveStack } from "./resolve-stack";
import type { ResolvedRole } from "./resolved-stack";

const stack = resolveStack(WITH_INVENTORY);
const { source } = stack.config;
const [destination] = stack.config.destinations;
const MEMBER_ACCOUNT_ID = "555555555555";
const OUTSIDE_ORGANIZATION_ID = "o-z9y8x7w6v5";
const executionRole = stack.role(INVENTORY_NAMES.executionRole);
const organizationRole = stack.role(INVENTORY_NAMES.organizationRole);
const writerRole = stack.role(stack.config.names.writerRole);
const destinationRole = stack.role(destination.role);

/** The read-only role the StackSet makes in an account: the template's role, its parameter set to the execution role. */
function readRoleIn(accountId: string): ResolvedRole {
  const template = JSON.parse(stack.synth.resource("aws_cloudformation_stack_set").block.template_body);
  const properties = template.Resources[READ_ROLE_RESOURCE].Properties;
  const withParameter = (document: unknown) =>
    withParameters(document, { [TRUSTED_ROLE_PARAMETER]: executionRole.arn }) as PolicyDocument;
  return {
    accountId,
    region: "us-east-1",
    partition: "aws",
    name: properties.RoleName,
    arn: `arn:aws:iam::${accountId}:role/${properties.RoleName}`,
    trustPolicy: withParameter(properties.AssumeRolePolicyDocument),
    identityPolicies: properties.Policies.map((policy: { PolicyName: string; PolicyDocument: unknown }) => ({
      name: policy.PolicyName,
      policy: withParameter(policy.PolicyDocument),
    })),
  };
}

const memberRole = readRoleIn(MEMBER_ACCOUNT_ID);
const listedRole = readRoleIn(LISTED_ACCOUNT_ID);
const inventory = () => roleSession(executionRole, INVENTORY_NAMES.functionName);
const writer = () => roleSession(writerRole, stack.config.names.writerFunction);
const readSession = () => roleSession(memberRole, "inventory");
const inMember = { "aws:ResourceOrgID": ORGANIZATION_ID };
const assumeMemberRole = request("sts:AssumeRole", () => assumeTarget(memberRole));
const memberFunction = () =>
  resourceTarget(memberRole, `arn:aws:lambda:us-east-1:${MEMBER_ACCOUNT_ID}:function:payments-api`);
const unitArn = `arn:aws:organizations::${MANAGEMENT_ACCOUNT_ID}:ou/${ORGANIZATION_ID}/${UNIT_ID}`;

describe("IAM matrix: the inventory's read-only role (StackSet template) [aws-rule iam-resource-org-id]", () => {
  matrix([
    assumeMemberRole.allowed(
      "the inventory's execution role assumes the read-only role in a member account of its organization",
      inventory,
      { context: inMember, sameAccount: false },
    ),
    assumeMemberRole.denied(
      "the inventory may not assume a role of that name in an account of another organization",
      inventory,
      {
        context: { "aws:ResourceOrgID": OUTSIDE_ORGANIZATION_ID },
      },
    ),
    allowed(
      "the inventory assumes the read-only role of a listed account by its exact ARN",
      inventory,
      "sts:AssumeRole",
      () => assumeTarget(listedRole),
      { context: inMember },
    ),
    denied("the writer may not assume the inventory's read-only role", writer, "sts:AssumeRole", () =>
      assumeTarget(memberRole),
    ),
    assumeMemberRole.denied(
      "another role of the source account that may assume any role is refused by the read-only role's trust",
      () => principal(`arn:aws:iam::${source.accountId}:role/deploy-pipeline`, [ASSUME_ANY_ROLE]),
    ),
    assumeMemberRole.denied("an administrator of the member account itself is refused by the trust", () =>
      administratorOf(MEMBER_ACCOUNT_ID, "role/admin"),
    ),
    assumeMemberRole.denied(
      "an administrator of the management account (a person running npm run inventory) is refused by the trust: hence --role-name or --via-function",
      () => administratorOf(MANAGEMENT_ACCOUNT_ID, "user/alice"),
    ),
    assumeMemberRole.denied("a role of an account outside the organization is refused by the trust", () =>
      principal("arn:aws:iam::777777777777:role/intruder", [ASSUME_ANY_ROLE]),
    ),
    allowed("the read-only role lists the functions of its account", readSession, "lambda:ListFunctions", () =>
      resourceTarget(memberRole, "*"),
    ),
    allowed("the read-only role lists the enabled regions (regions: enabled)", readSession, "ec2:DescribeRegions", () =>
      resourceTarget(memberRole, "*"),
    ),
    denied("the read-only role may not get a function's code", readSession, "lambda:GetFunction", memberFunction),
    denied("the read-only role may not invoke a function", readSession, "lambda:InvokeFunction", memberFunction),
    denied(
      "the read-only role may not update a function's code",
      readSession,
      "lambda:UpdateFunctionCode",
      memberFunction,
    ),
    denied(
      "the read-only role may not read a function's environment through GetFunctionConfiguration",
      readSession,
      "lambda:GetFunctionConfiguration",
      memberFunction,
    ),
    denied("the read-only role may not touch IAM (CreateRole)", readSession, "iam:CreateRole", () =>
      resourceTarget(memberRole, `arn:aws:iam::${MEMBER_ACCOUNT_ID}:role/escalate`),
    ),
    denied("the read-only role may not pass roles", readSession, "iam:PassRole", () =>
      resourceTarget(memberRole, `arn:aws:iam::${MEMBER_ACCOUNT_ID}:role/admin`),
    ),
  ]);
});

describe("IAM matrix: the organization read role and the seams between patterns", () => {
  matrix([
    allowed(
      "the inventory assumes the organization read role",
      inventory,
      "sts:AssumeRole",
      () => assumeTarget(organizationRole),
      {
        sameAccount: false,
      },
    ),
    denied("the writer may not assume the organization read role", writer, "sts:AssumeRole", () =>
      assumeTarget(organizationRole),
    ),
    denied("the inventory may not assume the writer's destination role", inventory, "sts:AssumeRole", () =>
      assumeTarget(destinationRole),
    ),
    allowed(
      "the organization read role lists the accounts of an OU of its organization",
      () => roleSession(organizationRole, "inventory"),
      "organizations:ListAccountsForParent",
      () => resourceTarget(organizationRole, unitArn),
    ),
    denied(
      "the organization read role may not describe an account",
      () => roleSession(organizationRole, "inventory"),
      "organizations:DescribeAccount",
      () =>
        resourceTarget(
          organizationRole,
          `arn:aws:organizations::${MANAGEMENT_ACCOUNT_ID}:account/${ORGANIZATION_ID}/${MEMBER_ACCOUNT_ID}`,
        ),
    ),
    denied(
      "the organization read role may not create accounts",
      () => roleSession(organizationRole, "inventory"),
      "organizations:CreateAccount",
      () => resourceTarget(organizationRole, "*"),
    ),
  ]);
});

describe("IAM matrix: the read-only role made directly in a listed destination account", () => {
  const destinationAccount = destination.accountId;
  const reaching = resolveStack(inventoryWith({ accountIds: [LISTED_ACCOUNT_ID, destinationAccount] }));
  const directRole = reaching.role(String(reaching.config.inventory?.roleName), destinationAccount);
  const reachingInventory = () =>
    roleSession(reaching.role(INVENTORY_NAMES.executionRole), INVENTORY_NAMES.functionName);
  const directSession = () => roleSession(directRole, "inventory");
  const destinationFunction = () =>
    resourceTarget(directRole, `arn:aws:lambda:${destination.region}:${destinationAccount}:function:writer-target`);
  const assumeDirectRole = request("sts:AssumeRole", () => assumeTarget(directRole));

  matrix([
    assumeDirectRole.allowed("the inventory's execution role assumes it by its exact ARN", reachingInventory, {
      sameAccount: false,
    }),
    assumeDirectRole.denied("the writer may not assume it", () =>
      roleSession(reaching.role(reaching.config.names.writerRole), reaching.config.names.writerFunction),
    ),
    assumeDirectRole.denied("an administrator of the destination account is refused by its trust", () =>
      administratorOf(destinationAccount, "role/admin"),
    ),
    allowed("it lists the destination account's functions", directSession, "lambda:ListFunctions", () =>
      resourceTarget(directRole, "*"),
    ),
    denied("it may not read a function's environment", directSession, "lambda:GetFunctionConfiguration", () =>
      destinationFunction(),
    ),
    denied("it may not write to the destination's table", directSession, "dynamodb:PutItem", () =>
      resourceTarget(directRole, reaching.table(destination.table, destination).arn),
    ),
    denied(
      "the inventory may still not assume the writer's destination role",
      reachingInventory,
      "sts:AssumeRole",
      () => assumeTarget(reaching.role(destination.role)),
    ),
  ]);
});
