import type { ConfigRule } from "./config-rule";
import { OPERATOR_USER_RULES } from "./operator-user-rules";
import { type OperatorUser, operatorUserOf } from "./operator-users";
import type { ConfigFile } from "./schema";
import type { DestinationConfig } from "./types";

/** What a source principal may do with a destination's records. */
export type PrincipalAccess = "read" | "write" | "read-write";

/** An EC2 instance role made in the source account, assuming roles of the listed destinations. */
export interface InstanceRoleConfig {
  /** Name of the role and of its instance profile. */
  readonly name: string;
  /** Names of the destinations whose roles it may assume. */
  readonly destinations: readonly string[];
  /** @default - each destination's own access (it then shares the writer's role there) */
  readonly access?: PrincipalAccess;
}

/** An IAM group of existing users in the source account, whose members assume roles of the listed destinations. */
export interface OperatorGroupConfig {
  readonly group: string;
  /** Existing IAM users of the source account, with their paths. */
  readonly users: readonly OperatorUser[];
  readonly destinations: readonly string[];
  /** @default - each destination's own access */
  readonly access?: PrincipalAccess;
  /** Require MFA (`aws:MultiFactorAuthPresent`) on both sides of the trust. @default true */
  readonly requireMfa: boolean;
  /** Refuse MFA sessions older than this (`aws:MultiFactorAuthAge`). @default - no age limit */
  readonly maxMfaAgeSeconds?: number;
}

/** Principals of the source account that the stack makes, with both sides of their trust. */
export interface SourcePrincipalsConfig {
  readonly instanceRoles: readonly InstanceRoleConfig[];
  readonly operators: readonly OperatorGroupConfig[];
}

/** The name of a destination's role for `access`: the destination's own access keeps the configured name. */
export function destinationRoleName(destination: Pick<DestinationConfig, "role" | "access">, access: PrincipalAccess) {
  return access === destination.access ? destination.role : `${destination.role}-${access}`;
}

/** The access a principal gets at a destination: its own, else the destination's. */
export function principalAccess(principal: { readonly access?: PrincipalAccess }, destination: DestinationConfig) {
  return principal.access ?? destination.access;
}

/** The section with its defaults; empty lists when the file has none. */
export function sourcePrincipalsOf(file: ConfigFile): SourcePrincipalsConfig {
  const section = file.sourcePrincipals ?? {};
  return {
    instanceRoles: (section.instanceRoles ?? []).map(({ name, destinations, access }) => ({
      name,
      destinations,
      ...(access ? { access } : {}),
    })),
    operators: (section.operators ?? []).map(
      ({ group, users, destinations, access, requireMfa, maxMfaAgeSeconds }) => ({
        group,
        users: users.map(operatorUserOf),
        destinations,
        ...(access ? { access } : {}),
        requireMfa: requireMfa ?? true,
        ...(maxMfaAgeSeconds !== undefined ? { maxMfaAgeSeconds } : {}),
      }),
    ),
  };
}

interface Listed {
  readonly where: string;
  readonly destinations: readonly string[];
  readonly access?: PrincipalAccess;
}

/** Every principal of the section with where it is in the file. */
function listed(file: ConfigFile): Listed[] {
  const section = file.sourcePrincipals ?? {};
  return [
    ...(section.instanceRoles ?? []).map((role, index) => ({
      ...role,
      where: `sourcePrincipals.instanceRoles.${index}`,
    })),
    ...(section.operators ?? []).map((group, index) => ({ ...group, where: `sourcePrincipals.operators.${index}` })),
  ];
}

/** Names that repeat in `names`, each once. */
const repeats = (names: readonly string[]) => [
  ...new Set(names.filter((name, index) => names.indexOf(name) !== index)),
];

/** IAM names that repeat in `names` whatever their case (IAM refuses a second one), each as written the second time. */
const iamRepeats = (names: readonly string[]) => {
  const lower = names.map((name) => name.toLowerCase());
  return [...new Set(names.filter((_, index) => lower.indexOf(lower[index]) !== index))];
};

/** The cross-field rules of `sourcePrincipals`. */
export const SOURCE_PRINCIPAL_RULES: readonly ConfigRule[] = [
  {
    name: "source-principal-destinations-known",
    check: (file, destinations) => {
      const known = destinations.map((destination) => destination.name);
      const allowed = known.map((name) => JSON.stringify(name)).join(", ");
      return listed(file).flatMap(({ where, destinations: names }) =>
        names.flatMap((name, index) =>
          known.includes(name)
            ? []
            : [`${where}.destinations.${index} names no destination: "${name}"; allowed: ${allowed}`],
        ),
      );
    },
  },
  {
    name: "source-principal-destinations-unique",
    check: (file) =>
      listed(file).flatMap(({ where, destinations: names }) =>
        repeats(names).map((name) => `${where}.destinations names "${name}" more than once`),
      ),
  },
  {
    name: "source-principal-names-unique",
    check: (file, destinations) => {
      const section = file.sourcePrincipals ?? {};
      const roles = (section.instanceRoles ?? []).map((role) => role.name);
      const groups = (section.operators ?? []).map((group) => group.group);
      const writerRole = file.names?.writerRole ?? (file.destinations ? "cross-account-writer" : undefined);
      const writerRoleName = writerRole ?? `cross-account-write-to-${destinations[0]?.accountId}`;
      return [
        ...iamRepeats(roles).map((name) => `sourcePrincipals.instanceRoles names the role "${name}" more than once`),
        ...iamRepeats(groups).map((name) => `sourcePrincipals.operators names the group "${name}" more than once`),
        ...roles.flatMap((name, index) =>
          name.toLowerCase() === writerRoleName.toLowerCase()
            ? [`sourcePrincipals.instanceRoles.${index}.name is the writer's role name "${name}": choose another`]
            : [],
        ),
        ...(section.operators ?? []).flatMap((group, index) =>
          repeats(group.users.map((entry) => operatorUserOf(entry).name)).map(
            (user) => `sourcePrincipals.operators.${index}.users names the user "${user}" more than once`,
          ),
        ),
      ];
    },
  },
  ...OPERATOR_USER_RULES,
  {
    name: "instance-roles-without-mfa",
    check: (file) =>
      (file.sourcePrincipals?.instanceRoles ?? []).flatMap((role, index) =>
        role.requireMfa === undefined
          ? []
          : [
              `sourcePrincipals.instanceRoles.${index}.requireMfa applies to operators (IAM users) only: an instance ` +
                `role's session carries no MFA, got ${JSON.stringify(role.requireMfa)}`,
            ],
      ),
  },
  {
    name: "operators-mfa-age-needs-mfa",
    check: (file) =>
      (file.sourcePrincipals?.operators ?? []).flatMap((group, index) =>
        group.maxMfaAgeSeconds !== undefined && group.requireMfa === false
          ? [`sourcePrincipals.operators.${index}.maxMfaAgeSeconds needs requireMfa (it limits the MFA session's age)`]
          : [],
      ),
  },
  {
    name: "source-principal-access-offered",
    check: (file, destinations) =>
      listed(file).flatMap(({ where, destinations: names, access }) =>
        names.flatMap((name) => {
          const destination = destinations.find((candidate) => candidate.name === name);
          if (!destination || access === undefined) return [];
          if (destination.access === "read-write" || access === destination.access) return [];
          return [
            `${where}.access "${access}" is more than destination "${name}" offers: its access is ` +
              `"${destination.access}" (set the destination's access to "read-write" to offer reads)`,
          ];
        }),
      ),
  },
  {
    name: "source-principal-role-names-fit",
    check: (file, destinations) =>
      listed(file).flatMap(({ where, destinations: names, access }) =>
        names.flatMap((name) => {
          const destination = destinations.find((candidate) => candidate.name === name);
          if (!destination || access === undefined || access === destination.access) return [];
          const roleName = destinationRoleName(destination, access);
          return roleName.length > 64
            ? [
                `${where} needs the role "${roleName}" in destination "${name}", longer than IAM's 64 characters: set a shorter role on that destination`,
              ]
            : [];
        }),
      ),
  },
];
