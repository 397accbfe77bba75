import { ACCOUNT_TAG } from "../../functions/organization-writer/environment";
import {
  ASSUME_ANY_ROLE,
  assumeTarget,
  bucketTarget,
  type Caller,
  type ContextValues,
  principal,
  resourceTarget,
  roleSession,
  servicePrincipal,
} from "../../scripts/access-map/evaluate";
import { ORGANIZATION_WRITER_NAMES } from "../../stacks/config";
import {
  CENTRAL_ROLE_PARAMETER,
  inAccount,
  MEMBER_ROLE_RESOURCE,
} from "../../stacks/organization-writer/member-role-template";
import type { PolicyDocument } from "../../stacks/policy-document";
import { ORGANIZATION_ID, ROOT_ID, UNIT_PATH, WITH_ORGANIZATION_WRITER } from "../organization-writer-fixtures";
import { allowed, denied, matrix, request } from "./matrix";
import { resolveStack } from "./resolve-stack";
import type { ResolvedRole } from "./resolved-stack";

const stack = resolveStack(WITH_ORGANIZATION_WRITER);
const MEMBER = "555555555555";
const OTHER_MEMBER = "666666666666";
const OUTSIDE_UNIT_ACCOUNT = "777777777777";
const centralRole = stack.role(ORGANIZATION_WRITER_NAMES.centralRole);
const table = stack.table(ORGANIZATION_WRITER_NAMES.table);
const bucket = stack.bucket(`organization-records-${centralRole.accountId}-eu-west-1`);

/** The member role the StackSet makes in an account, as CloudFormation fills the template in there. */
function memberRoleIn(accountId: string): ResolvedRole {
  const template = JSON.parse(stack.synth.resource("aws_cloudformation_stack_set").block.template_body);
  const properties = inAccount(template.Resources[MEMBER_ROLE_RESOURCE].Properties, {
    [CENTRAL_ROLE_PARAMETER]: centralRole.arn,
    "AWS::AccountId": accountId,
  }) as {
    RoleName: string;
    AssumeRolePolicyDocument: PolicyDocument;
    Policies: { PolicyName: string; PolicyDocument: PolicyDocument }[];
  };
  return {
    accountId,
    region: "us-east-1",
    partition: "aws",
    name: properties.RoleName,
    arn: `arn:aws:iam::${accountId}:role/${properties.RoleName}`,
    trustPolicy: properties.AssumeRolePolicyDocument,
    identityPolicies: properties.Policies.map(({ PolicyName, PolicyDocument }) => ({
      name: PolicyName,
      policy: PolicyDocument,
    })),
  };
}

/** What AWS sets for a principal of the organization: its org id and its entity path (a multivalued key). */
const inOrganization = (accountId: string, unitPath = UNIT_PATH): ContextValues => ({
  "aws:PrincipalOrgID": ORGANIZATION_ID,
  "aws:PrincipalOrgPaths": [`${unitPath}/`],
  "aws:PrincipalAccount": accountId,
});
/** The session tag the client sets: its own account. */
const tagged = (account: string, keys: string[] = [ACCOUNT_TAG]): ContextValues => ({
  [`aws:RequestTag/${ACCOUNT_TAG}`]: account,
  "aws:TagKeys": keys,
});
const memberSession = (accountId: string, context: ContextValues): Caller =>
  roleSession(memberRoleIn(accountId), "orders-api", context);
const assumeCentral = request("sts:AssumeRole", () => assumeTarget(centralRole));
/** The central role's session a member opened, carrying the member's account tag. */
const centralSession = (account: string) =>
  roleSession(centralRole, "orders-api", { [`aws:PrincipalTag/${ACCOUNT_TAG}`]: account });
const putItem = (keys: string[]) => ({ context: { "dynamodb:LeadingKeys": keys } });

describe("IAM matrix: the central role's trust [aws-rule iam-principal-org-paths] [aws-rule iam-policy-variables-principal-account]", () => {
  matrix([
    assumeCentral.allowed(
      "a member's role assumes the central role, tagging its session with its own account",
      () => memberSession(MEMBER, inOrganization(MEMBER)),
      { context: tagged(MEMBER), sameAccount: false },
    ),
    assumeCentral.denied(
      "a role of that name in another organization is refused",
      () =>
        memberSession(OTHER_MEMBER, {
          "aws:PrincipalOrgID": "o-z9y8x7w6v5",
          "aws:PrincipalOrgPaths": ["o-z9y8x7w6v5/r-zz99/"],
        }),
      { context: tagged(OTHER_MEMBER) },
    ),
    assumeCentral.denied(
      "another role of a member account that may assume any role is refused (aws:PrincipalArn)",
      () => principal(`arn:aws:iam::${MEMBER}:role/admin`, [ASSUME_ANY_ROLE], inOrganization(MEMBER)),
      { context: tagged(MEMBER) },
    ),
    assumeCentral.denied(
      "the member role of an account of the organization outside the OUs is refused (aws:PrincipalOrgPaths)",
      () =>
        memberSession(
          OUTSIDE_UNIT_ACCOUNT,
          inOrganization(OUTSIDE_UNIT_ACCOUNT, `${ORGANIZATION_ID}/${ROOT_ID}/ou-ab12-zzzz9999`),
        ),
      { context: tagged(OUTSIDE_UNIT_ACCOUNT) },
    ),
    assumeCentral.denied(
      "a member tagging its session with another account's id is refused",
      () => memberSession(MEMBER, inOrganization(MEMBER)),
      { context: tagged(OTHER_MEMBER) },
    ),
    assumeCentral.denied("a member without the session tag is refused", () =>
      memberSession(MEMBER, inOrganization(MEMBER)),
    ),
    assumeCentral.denied(
      "a member adding a tag of its own besides the account tag is refused",
      () => memberSession(MEMBER, inOrganization(MEMBER)),
      { context: { ...tagged(MEMBER, [ACCOUNT_TAG, "team"]), "aws:RequestTag/team": "x" } },
    ),
  ]);
});

describe("IAM matrix: writes partitioned by the caller's account [aws-rule dynamodb-leading-keys] [aws-rule iam-policy-variables-principal-account]", () => {
  const own = `records/${MEMBER}/0b6f3c1e.json`;
  const others = `records/${OTHER_MEMBER}/0b6f3c1e.json`;
  matrix([
    allowed(
      "a member puts an item under its own account",
      () => centralSession(MEMBER),
      "dynamodb:PutItem",
      () => resourceTarget(table, table.arn),
      putItem([MEMBER]),
    ),
    denied(
      "a member may not put an item under another account's partition",
      () => centralSession(MEMBER),
      "dynamodb:PutItem",
      () => resourceTarget(table, table.arn),
      putItem([OTHER_MEMBER]),
    ),
    denied(
      "a member may not read another account's items",
      () => centralSession(MEMBER),
      "dynamodb:GetItem",
      () => resourceTarget(table, table.arn),
      putItem([OTHER_MEMBER]),
    ),
    allowed(
      "a member puts an object under its own account's prefix",
      () => centralSession(MEMBER),
      "s3:PutObject",
      () => bucketTarget(bucket, own),
    ),
    denied(
      "a member may not put an object under another account's prefix",
      () => centralSession(MEMBER),
      "s3:PutObject",
      () => bucketTarget(bucket, others),
    ),
    denied(
      "a member may not read another account's objects",
      () => centralSession(MEMBER),
      "s3:GetObject",
      () => bucketTarget(bucket, others),
    ),
  ]);
});

describe("IAM matrix: the member role's trust (its own account's workloads only)", () => {
  const assumeMember = request("sts:AssumeRole", () => assumeTarget(memberRoleIn(MEMBER)));
  matrix([
    assumeMember.allowed("Lambda of the member account", () =>
      servicePrincipal("lambda.amazonaws.com", { "aws:SourceAccount": MEMBER }),
    ),
    assumeMember.denied("Lambda on behalf of another account (confused deputy)", () =>
      servicePrincipal("lambda.amazonaws.com", { "aws:SourceAccount": OTHER_MEMBER }),
    ),
    assumeMember.allowed("a role of the member account matching app-*", () =>
      principal(`arn:aws:iam::${MEMBER}:role/app-orders`, [ASSUME_ANY_ROLE]),
    ),
    assumeMember.denied("a role named app-* in another account", () =>
      principal(`arn:aws:iam::${OTHER_MEMBER}:role/app-orders`, [ASSUME_ANY_ROLE]),
    ),
    assumeMember.denied("another role of the member account", () =>
      principal(`arn:aws:iam::${MEMBER}:role/admin`, [ASSUME_ANY_ROLE]),
    ),
    denied(
      "the member role may assume no role but the central one",
      () => memberSession(MEMBER, {}),
      "sts:AssumeRole",
      () =>
        assumeTarget({
          ...centralRole,
          arn: `arn:aws:iam::${centralRole.accountId}:role/admin`,
          trustPolicy: undefined as never,
        }),
    ),
  ]);
});
