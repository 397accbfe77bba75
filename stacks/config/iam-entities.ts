import type { VendAccess } from "../../functions/vend/environment";
import { type PolicyCondition, type PolicyDocument, policyDocument } from "../policy-document";
import { DEFAULTS, resourceNamesOf } from "./defaults";
import { destinationRoleEntities, mfaCondition } from "./iam-destination-roles";
import {
  destinationOrigin,
  type IamEntity,
  lambdaTrust,
  logsPolicy,
  RECORDS_POLICY_HINT,
  type RecordsAccess,
  recordsPolicy,
  roleArn,
} from "./iam-documents";
import { organizationEntities } from "./iam-entities-organization";
import type { ConfigFile } from "./schema";
import { destinationRoleName, principalAccess, sourcePrincipalsOf } from "./source-principals";
import type { DestinationConfig } from "./types";
import { vendedDestinations, vendingOf, vendingRoleName } from "./vending";

/** An identity policy allowing `actions` on exactly `resource`: how every role and group here reaches a role. */
const assume = (sid: string, resource: string | string[], actions: string | string[] = "sts:AssumeRole") =>
  policyDocument({ Sid: sid, Effect: "Allow", Action: actions, Resource: resource });

/** The writer's execution role (stacks/writer/): its logs, and one policy per destination naming that one role. */
function writerEntity(file: ConfigFile, destinations: readonly DestinationConfig[]): IamEntity {
  const { writerRole, writerFunction } = resourceNamesOf(file, destinations);
  const { accountId, region } = file.source;
  return {
    kind: "role",
    name: writerRole,
    account: accountId,
    origin: `the writer's role (names.writerRole "${writerRole}")`,
    trustPolicy: lambdaTrust(accountId),
    inlinePolicies: [
      logsPolicy(region, accountId, writerFunction, file.tracing ?? DEFAULTS.tracing),
      ...destinations.map((destination) =>
        assume("AssumeTheDestinationRoleOnly", roleArn(destination.accountId, destination.role)),
      ),
    ],
    shortenInline: "use fewer destinations or shorter destination role names",
  };
}

/** The instance roles and operator groups of `sourcePrincipals` (stacks/source-principals/): their side of the trust. */
function sourcePrincipalEntities(file: ConfigFile, destinations: readonly DestinationConfig[]): IamEntity[] {
  const source = file.source.accountId;
  const { instanceRoles, operators } = sourcePrincipalsOf(file);
  const assumeItsRoles = (
    principal: { readonly destinations: readonly string[]; readonly access?: RecordsAccess },
    condition?: PolicyCondition,
  ): PolicyDocument =>
    policyDocument({
      Sid: "AssumeItsDestinationRolesOnly",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: principal.destinations.flatMap((name) => {
        const destination = destinations.find((candidate) => candidate.name === name);
        if (!destination) return [];
        return [
          roleArn(destination.accountId, destinationRoleName(destination, principalAccess(principal, destination))),
        ];
      }),
      ...(condition ? { Condition: condition } : {}),
    });
  return [
    ...instanceRoles.map(
      (role, index): IamEntity => ({
        kind: "role",
        name: role.name,
        account: source,
        origin: `sourcePrincipals.instanceRoles.${index}`,
        trustPolicy: policyDocument({
          Sid: "Ec2Instances",
          Effect: "Allow",
          Principal: { Service: "ec2.amazonaws.com" },
          Action: "sts:AssumeRole",
        }),
        inlinePolicies: [assumeItsRoles(role)],
        shortenInline: "name fewer destinations",
      }),
    ),
    ...operators.map(
      (group, index): IamEntity => ({
        kind: "group",
        name: group.group,
        account: source,
        origin: `sourcePrincipals.operators.${index}`,
        inlinePolicies: [assumeItsRoles(group, mfaCondition(group.requireMfa, group.maxMfaAgeSeconds))],
        shortenInline: "name fewer destinations",
      }),
    ),
  ];
}

/** The union of vending callers' access: read and write together, or the one they share. */
function unionAccess(accesses: readonly VendAccess[]): RecordsAccess {
  const reads = accesses.some((access) => access !== "write");
  const writes = accesses.some((access) => access !== "read");
  if (reads && writes) return "read-write";
  return reads ? "read" : "write";
}

/** Vending (stacks/vending/): the function's execution role, and a vending role per destination a caller names. */
function vendingEntities(file: ConfigFile, destinations: readonly DestinationConfig[]): IamEntity[] {
  const vending = vendingOf(file);
  if (!vending) return [];
  const { accountId: source, region } = file.source;
  const { bucketPrefix } = resourceNamesOf(file, destinations);
  const vended = vendedDestinations(vending, destinations);
  const executionArn = roleArn(source, vending.executionRole);
  const executionRole: IamEntity = {
    kind: "role",
    name: vending.executionRole,
    account: source,
    origin: `vending.executionRole "${vending.executionRole}"`,
    trustPolicy: lambdaTrust(source),
    inlinePolicies: [
      logsPolicy(region, source, vending.functionName, file.tracing ?? DEFAULTS.tracing),
      assume(
        "AssumeTheVendingRolesOnly",
        vended.map((destination) => roleArn(destination.accountId, vendingRoleName(destination))),
        ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
      ),
    ],
    shortenInline: "name fewer destinations in vending.callers",
  };
  const vendingRoles = vended.map(
    (destination): IamEntity => ({
      kind: "role",
      name: vendingRoleName(destination),
      account: destination.accountId,
      origin: `the vending role of ${destinationOrigin(file, destinations.indexOf(destination), destination)}`,
      trustPolicy: policyDocument(
        {
          Sid: "VendFunctionWithSourceIdentityOnly",
          Effect: "Allow",
          Principal: { AWS: executionArn },
          Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
          Condition: { Null: { "sts:SourceIdentity": "false" } },
        },
        {
          Sid: "VendFunctionTagsCallerAndPurposeOnly",
          Effect: "Allow",
          Principal: { AWS: executionArn },
          Action: "sts:TagSession",
          Condition: {
            "ForAllValues:StringEquals": { "aws:TagKeys": ["caller", "purpose"] },
            Null: { "aws:RequestTag/caller": "false" },
          },
        },
      ),
      inlinePolicies: [
        recordsPolicy(
          destination,
          unionAccess(
            vending.callers
              .filter((caller) => caller.destinations.includes(destination.name))
              .map((caller) => caller.access),
          ),
          bucketPrefix,
        ),
      ],
      shortenInline: RECORDS_POLICY_HINT,
    }),
  );
  return [executionRole, ...vendingRoles];
}

/**
 * Every IAM role and group the stack makes from a config, with its trust and inline policies as IAM will hold them.
 * Tolerates a config that other rules refuse (a source principal naming no destination is left out).
 */
export function iamEntitiesOf(file: ConfigFile, destinations: readonly DestinationConfig[]): IamEntity[] {
  const known = modelled.get(file);
  if (known?.destinations === destinations) return known.entities;
  const entities = [
    writerEntity(file, destinations),
    ...destinationRoleEntities(file, destinations),
    ...sourcePrincipalEntities(file, destinations),
    ...vendingEntities(file, destinations),
    ...organizationEntities(file, destinations),
  ];
  modelled.set(file, { destinations, entities });
  return entities;
}

/** The model of each config file checked: both size rules read it, so a synth builds it once. */
const modelled = new WeakMap<ConfigFile, { destinations: readonly DestinationConfig[]; entities: IamEntity[] }>();
