import { type PolicyCondition, type PolicyStatement, policyDocument } from "../policy-document";
import { DEFAULTS, resourceNamesOf } from "./defaults";
import {
  destinationOrigin,
  type IamEntity,
  RECORDS_POLICY_HINT,
  type RecordsAccess,
  recordsPolicy,
  roleArn,
  statementId,
} from "./iam-documents";
import { operatorUserArn } from "./operator-users";
import type { ConfigFile } from "./schema";
import { destinationRoleName, principalAccess, sourcePrincipalsOf } from "./source-principals";
import type { DestinationConfig } from "./types";

const TRUST_HINT =
  "trust fewer principals there (trustedPrincipals, and the instance roles and operator groups of sourcePrincipals " +
  "that name it) or shorter ones (user paths count), or a shorter externalId (every statement repeats it)";

/** The MFA condition an operator group carries on both sides of its trust (stacks/source-principals/operator-group.ts). */
export function mfaCondition(requireMfa: boolean, maxMfaAgeSeconds?: number): PolicyCondition | undefined {
  if (!requireMfa) return undefined;
  return {
    Bool: { "aws:MultiFactorAuthPresent": "true" },
    ...(maxMfaAgeSeconds !== undefined
      ? { NumericLessThan: { "aws:MultiFactorAuthAge": String(maxMfaAgeSeconds) } }
      : {}),
  };
}

/** A destination's role for one access: its trust statements as the patterns add them. */
interface DestinationRole {
  readonly index: number;
  readonly destination: DestinationConfig;
  readonly access: RecordsAccess;
  readonly statements: PolicyStatement[];
}

/**
 * Every destination role the patterns ask for, with what each trusts (stacks/destinations/destination-access-role.ts
 * and the patterns that call its `trust`): the writer and the trusted principals in the role of the destination's own
 * access, the source principals in the role of theirs. Each statement carries the role-wide conditions.
 */
function destinationRoles(file: ConfigFile, destinations: readonly DestinationConfig[]): DestinationRole[] {
  const { writerRole } = resourceNamesOf(file, destinations);
  const source = file.source.accountId;
  const roles = new Map<string, DestinationRole>();
  const trust = (
    index: number,
    access: RecordsAccess,
    sid: string,
    principals: string | string[],
    own?: PolicyCondition,
  ) => {
    const destination = destinations[index];
    const key = `${index}/${access}`;
    const role = roles.get(key) ?? { index, destination, access, statements: [] };
    roles.set(key, role);
    const required: Record<string, string> = {};
    if (destination.externalId) required["sts:ExternalId"] = destination.externalId;
    if (file.organizationId) required["aws:PrincipalOrgID"] = file.organizationId;
    const condition = { ...(Object.keys(required).length > 0 ? { StringEquals: required } : {}), ...own };
    role.statements.push({
      Sid: sid,
      Effect: "Allow",
      Principal: { AWS: principals },
      Action: "sts:AssumeRole",
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    });
  };
  const writerArn = roleArn(source, writerRole);
  destinations.forEach((destination, index) => {
    if ((file.trustMode ?? DEFAULTS.trustMode) === "role-arn")
      trust(index, destination.access, "WriterRoleOnly", writerArn);
    else
      trust(index, destination.access, "WriterRoleOnly", `arn:aws:iam::${source}:root`, {
        ArnEquals: { "aws:PrincipalArn": writerArn },
      });
    const withMfa = destination.trustedPrincipals.filter((principal) => principal.requireMfa).map(({ arn }) => arn);
    const withoutMfa = destination.trustedPrincipals.filter((principal) => !principal.requireMfa).map(({ arn }) => arn);
    if (withoutMfa.length > 0) trust(index, destination.access, "TrustedPrincipals", withoutMfa);
    if (withMfa.length > 0) trust(index, destination.access, "TrustedUsersWithMfa", withMfa, mfaCondition(true));
  });
  const { instanceRoles, operators } = sourcePrincipalsOf(file);
  const named = (names: readonly string[]) =>
    names.flatMap((name) => {
      const index = destinations.findIndex((destination) => destination.name === name);
      return index < 0 ? [] : [index];
    });
  for (const role of instanceRoles)
    for (const index of named(role.destinations))
      trust(
        index,
        principalAccess(role, destinations[index]),
        statementId("InstanceRole", role.name),
        roleArn(source, role.name),
      );
  for (const group of operators) {
    const users = group.users.map((user) => operatorUserArn(source, user));
    for (const index of named(group.destinations))
      trust(
        index,
        principalAccess(group, destinations[index]),
        statementId("Operators", group.group),
        users,
        mfaCondition(group.requireMfa, group.maxMfaAgeSeconds),
      );
  }
  return [...roles.values()];
}

/** The roles of every destination: each trusted by what the patterns add, allowed its access on the records. */
export function destinationRoleEntities(file: ConfigFile, destinations: readonly DestinationConfig[]): IamEntity[] {
  const { bucketPrefix } = resourceNamesOf(file, destinations);
  return destinationRoles(file, destinations).map(({ index, destination, access, statements }) => ({
    kind: "role",
    name: destinationRoleName(destination, access),
    account: destination.accountId,
    origin: destinationOrigin(file, index, destination),
    trustPolicy: policyDocument(...statements),
    inlinePolicies: [recordsPolicy(destination, access, bucketPrefix)],
    shortenTrust: TRUST_HINT,
    shortenInline: RECORDS_POLICY_HINT,
  }));
}
