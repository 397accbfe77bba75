import { ENABLED_REGIONS, INVENTORY_DEFAULTS } from "../../functions/inventory/environment";
import { ACCOUNT_TAG } from "../../functions/organization-writer/environment";
import { policyDocument } from "../policy-document";
import { DEFAULTS } from "./defaults";
import { bucketArn, type IamEntity, lambdaTrust, logsPolicy, roleArn, tableArn } from "./iam-documents";
import { INVENTORY_NAMES, inventoryOf, inventoryReportBucketName } from "./inventory";
import { ORGANIZATION_WRITER_NAMES, organizationWriterOf } from "./organization-writer";
import type { ConfigFile } from "./schema";
import type { DestinationConfig } from "./types";

/** Any account of an OU: a StackSet's role reads the same in each (its ARNs hold a 12-digit account id). */
export const MEMBER_ACCOUNT_ID = "123456789012";
/** Where a StackSet's role lives, as the rules name it. */
export const stackSetAccounts = (stackSetName: string) => `every account of StackSet ${stackSetName}`;

/** An IAM policy variable as IAM holds it, filled in from the request: `${aws:PrincipalAccount}`. */
const policyVariable = (key: string) => `\${${key}}`;

/** A role trusted by exactly one role's ARN (the inventory's read roles, stacks/inventory/). */
const trustedBy = (arn: string) =>
  policyDocument({ Sid: "TheInventoryRoleOnly", Effect: "Allow", Principal: { AWS: arn }, Action: "sts:AssumeRole" });

/** The inventory's roles: its execution role, the organization read role and the read-only role of every target. */
function inventoryEntities(file: ConfigFile, destinations: readonly DestinationConfig[]): IamEntity[] {
  if (!file.inventory) return [];
  const inventory = inventoryOf(file.inventory, file.organizationId);
  const { organization, organizationId } = inventory;
  const { accountId: source, region } = file.source;
  const executionArn = roleArn(source, INVENTORY_NAMES.executionRole);
  const units = inventory.organizationalUnitIds.length > 0;
  // Without the organization the inventory rules refuse the config; its roles there are left out.
  const organizationRole = units && organization && organizationId;
  const readRole = (account: string): IamEntity => ({
    kind: "role",
    name: inventory.roleName,
    account,
    origin: "inventory.roleName",
    trustPolicy: trustedBy(executionArn),
    inlinePolicies: [
      policyDocument({
        Sid: "ListOnly",
        Effect: "Allow",
        Action: ["lambda:ListFunctions", ...(inventory.regions === ENABLED_REGIONS ? ["ec2:DescribeRegions"] : [])],
        Resource: "*",
      }),
    ],
  });
  const reached = new Set([source, ...destinations.map(({ accountId }) => accountId), organization?.accountId]);
  const entities: IamEntity[] = [
    {
      kind: "role",
      name: INVENTORY_NAMES.executionRole,
      account: source,
      origin: "inventory",
      trustPolicy: lambdaTrust(source),
      inlinePolicies: [
        logsPolicy(region, source, INVENTORY_NAMES.functionName, file.tracing ?? DEFAULTS.tracing),
        policyDocument(
          ...(units && organizationId
            ? [
                {
                  Sid: "AssumeTheReadRoleInTheOrganization",
                  Effect: "Allow" as const,
                  Action: "sts:AssumeRole",
                  Resource: roleArn("*", inventory.roleName),
                  Condition: { StringEquals: { "aws:ResourceOrgID": organizationId } },
                },
              ]
            : []),
          ...(inventory.accountIds.length > 0
            ? [
                {
                  Sid: "AssumeTheReadRoleInListedAccounts",
                  Effect: "Allow" as const,
                  Action: "sts:AssumeRole",
                  Resource: inventory.accountIds.map((account) => roleArn(account, inventory.roleName)),
                },
              ]
            : []),
          ...(organizationRole
            ? [
                {
                  Sid: "AssumeTheOrganizationReadRole",
                  Effect: "Allow" as const,
                  Action: "sts:AssumeRole",
                  Resource: roleArn(organization.accountId, INVENTORY_NAMES.organizationRole),
                },
              ]
            : []),
          {
            Sid: "PutObjectsUnderPrefix",
            Effect: "Allow",
            Action: ["s3:PutObject"],
            Resource: `${bucketArn(inventoryReportBucketName(file.source))}/${INVENTORY_DEFAULTS.reportPrefix}/*`,
          },
        ),
      ],
      shortenInline:
        "list fewer inventory.accountIds (an OU in organizationalUnitIds covers its accounts) or give a shorter inventory.roleName",
    },
    ...inventory.accountIds.filter((account) => reached.has(account)).map(readRole),
  ];
  if (organizationRole) {
    const parents = (type: "root" | "ou") =>
      `arn:aws:organizations::${organization.delegatedAdministrator ? "*" : organization.accountId}:${type}/${organizationId}/*`;
    entities.push(readRole(stackSetAccounts(INVENTORY_NAMES.stackSet)), {
      kind: "role",
      name: INVENTORY_NAMES.organizationRole,
      account: organization.accountId,
      origin: "inventory.organization",
      trustPolicy: trustedBy(executionArn),
      inlinePolicies: [
        policyDocument({
          Sid: "ListAccountsAndUnitsOfParents",
          Effect: "Allow",
          Action: ["organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"],
          Resource: [parents("root"), parents("ou")],
        }),
      ],
    });
  }
  return entities;
}

/** The organization writer's roles: the central role, and the member role its StackSet fans out. */
function organizationWriterEntities(file: ConfigFile): IamEntity[] {
  const section = file.organizationWriter;
  // Without its organization the organization writer's rules refuse the config.
  const organization = section && (section.organization ?? file.inventory?.organization);
  if (!section || !organization || !(section.organizationId ?? file.organizationId)) return [];
  const writer = organizationWriterOf(file, section);
  const { central, memberTrust } = writer;
  const member = `arn:aws:iam::${MEMBER_ACCOUNT_ID}`;
  const callerAccount = policyVariable(`aws:PrincipalTag/${ACCOUNT_TAG}`);
  const centralRoleArn = roleArn(central.accountId, writer.centralRoleName);
  return [
    {
      kind: "role",
      name: writer.centralRoleName,
      account: central.accountId,
      origin: "organizationWriter",
      trustPolicy: policyDocument({
        Sid: "MemberRolesOfTheOrganizationUnitsOnly",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:PrincipalOrgID": writer.organizationId,
            [`aws:RequestTag/${ACCOUNT_TAG}`]: policyVariable("aws:PrincipalAccount"),
          },
          "ForAnyValue:StringLike": {
            "aws:PrincipalOrgPaths": writer.organizationalUnitPaths.map((path) => `${path}/*`),
          },
          ArnLike: { "aws:PrincipalArn": `arn:aws:iam::*:role/${writer.memberRoleName}` },
          "ForAllValues:StringEquals": { "aws:TagKeys": [ACCOUNT_TAG] },
        },
      }),
      inlinePolicies: [
        policyDocument(
          {
            Sid: "PutItemsUnderOwnAccount",
            Effect: "Allow",
            Action: "dynamodb:PutItem",
            Resource: tableArn(central.region, central.accountId, writer.table),
            Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [callerAccount] } },
          },
          {
            Sid: "PutObjectsUnderOwnAccount",
            Effect: "Allow",
            Action: "s3:PutObject",
            Resource: `${bucketArn(writer.bucket)}/${writer.bucketPrefix}/${callerAccount}/*`,
          },
        ),
      ],
      shortenTrust:
        "name fewer organizationWriter.organizationalUnitPaths (a parent OU covers its children) or give a shorter memberRoleName",
      shortenInline: "shorten organizationWriter.bucketPrefix or table",
    },
    {
      kind: "role",
      name: writer.memberRoleName,
      account: stackSetAccounts(ORGANIZATION_WRITER_NAMES.stackSet),
      origin: "organizationWriter.memberTrust",
      trustPolicy: policyDocument(
        ...(memberTrust.services.includes("lambda.amazonaws.com")
          ? [
              {
                Sid: "LambdaOfThisAccountOnly",
                Effect: "Allow" as const,
                Principal: { Service: "lambda.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": MEMBER_ACCOUNT_ID } },
              },
            ]
          : []),
        ...(memberTrust.services.includes("ec2.amazonaws.com")
          ? [
              {
                Sid: "Ec2Instances",
                Effect: "Allow" as const,
                Principal: { Service: "ec2.amazonaws.com" },
                Action: "sts:AssumeRole",
              },
            ]
          : []),
        ...(memberTrust.roleNamePatterns.length > 0
          ? [
              {
                Sid: "NamedRolesOfThisAccountOnly",
                Effect: "Allow" as const,
                Principal: { AWS: `${member}:root` },
                Action: "sts:AssumeRole",
                Condition: {
                  ArnLike: { "aws:PrincipalArn": memberTrust.roleNamePatterns.map((name) => `${member}:role/${name}`) },
                },
              },
            ]
          : []),
      ),
      inlinePolicies: [
        policyDocument({
          Sid: "TheCentralRoleOnly",
          Effect: "Allow",
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Resource: centralRoleArn,
        }),
      ],
      shortenTrust: "name fewer organizationWriter.memberTrust.roleNamePatterns (one pattern with * covers several)",
    },
  ];
}

/** What the inventory and the organization writer make in the organization's accounts and the source. */
export function organizationEntities(file: ConfigFile, destinations: readonly DestinationConfig[]): IamEntity[] {
  return [...inventoryEntities(file, destinations), ...organizationWriterEntities(file)];
}
