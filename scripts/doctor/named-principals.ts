import {
  type CrossAccountConfig,
  destinationRoleName,
  INVENTORY_NAMES,
  operatorUserArn,
  principalAccess,
  vendedDestinations,
  vendingRoleName,
} from "../../stacks/config";
import { type NamedPrincipal, principalOf } from "./principals";

/** A user or role the config names in a policy, and what the stack makes under that name when it does. */
export interface WantedPrincipal {
  readonly principal: NamedPrincipal;
  /** The stack's own role of that name, e.g. "the writer's execution role": it does not exist before the first deploy. */
  readonly madeByStack?: string;
}

/** A role the stack makes: in one account, or in every account a StackSet reaches ("*"). */
interface StackRole {
  readonly accountId: string;
  readonly name: string;
  readonly what: string;
}

/**
 * Every IAM user and role the config names in a trust or resource policy, once per ARN with every field that names
 * it: `trustedPrincipals` (config-wide and each destination's), the operators' users (the destination roles trust
 * them by ARN, the group takes them by name) and the vending callers (the function's resource policy).
 */
export function namedPrincipals(config: CrossAccountConfig): WantedPrincipal[] {
  const sharedCount = config.trustedPrincipals.length;
  const named: [arn: string, field: string][] = [
    ...config.trustedPrincipals.map(({ arn }, index): [string, string] => [arn, `trustedPrincipals[${index}].arn`]),
    ...config.destinations.flatMap((destination, index) =>
      destination.trustedPrincipals
        .slice(sharedCount)
        .map(({ arn }, own): [string, string] => [arn, `destinations[${index}].trustedPrincipals[${own}].arn`]),
    ),
    ...config.sourcePrincipals.operators.flatMap((group, index) =>
      group.users.map((user, position): [string, string] => [
        operatorUserArn(config.source.accountId, user),
        `sourcePrincipals.operators[${index}].users[${position}]`,
      ]),
    ),
    ...(config.vending?.callers ?? []).map(({ arn }, index): [string, string] => [
      arn,
      `vending.callers[${index}].arn`,
    ]),
  ];
  const fields = new Map<string, string[]>();
  for (const [arn, field] of named) fields.set(arn, [...(fields.get(arn) ?? []), field]);
  const roles = stackRoles(config);
  return [...fields].flatMap(([arn, byFields]) => {
    const principal = principalOf(arn, byFields);
    if (!principal) return [];
    const made =
      principal.kind === "role"
        ? roles.find(
            (role) =>
              (role.accountId === "*" || role.accountId === principal.accountId) &&
              // IAM role names are unique in an account whatever their case.
              role.name.toLowerCase() === principal.name.toLowerCase(),
          )
        : undefined;
    return [{ principal, ...(made ? { madeByStack: made.what } : {}) }];
  });
}

/** The roles the stack makes, in the accounts it makes them in. */
function stackRoles(config: CrossAccountConfig): StackRole[] {
  const source = config.source.accountId;
  const { sourcePrincipals, vending, inventory, organizationWriter } = config;
  const listed = [...sourcePrincipals.instanceRoles, ...sourcePrincipals.operators];
  const destinationRoles = config.destinations.flatMap((destination) => [
    { accountId: destination.accountId, name: destination.role, what: `destination ${destination.name}'s role` },
    ...listed
      .filter((principal) => principal.destinations.includes(destination.name))
      .map((principal) => ({
        accountId: destination.accountId,
        name: destinationRoleName(destination, principalAccess(principal, destination)),
        what: `destination ${destination.name}'s role for source principals`,
      })),
  ]);
  return [
    { accountId: source, name: config.names.writerRole, what: "the writer's execution role" },
    ...sourcePrincipals.instanceRoles.map((role) => ({ accountId: source, name: role.name, what: "an instance role" })),
    ...destinationRoles,
    ...(vending
      ? [
          { accountId: source, name: vending.executionRole, what: "the vending function's execution role" },
          ...vendedDestinations(vending, config.destinations).map((destination) => ({
            accountId: destination.accountId,
            name: vendingRoleName(destination),
            what: `destination ${destination.name}'s vending role`,
          })),
        ]
      : []),
    ...(inventory
      ? [
          { accountId: source, name: INVENTORY_NAMES.executionRole, what: "the inventory's execution role" },
          ...(inventory.organization
            ? [
                {
                  accountId: inventory.organization.accountId,
                  name: INVENTORY_NAMES.organizationRole,
                  what: "the inventory's organization read role",
                },
              ]
            : []),
          // Made directly in the listed accounts the stack reaches, and by the StackSet in its OUs' accounts.
          { accountId: "*", name: inventory.roleName, what: "the inventory's read-only role" },
        ]
      : []),
    ...(organizationWriter
      ? [
          {
            accountId: organizationWriter.central.accountId,
            name: organizationWriter.centralRoleName,
            what: "the organization writer's central role",
          },
          { accountId: "*", name: organizationWriter.memberRoleName, what: "the organization writer's member role" },
        ]
      : []),
  ];
}
