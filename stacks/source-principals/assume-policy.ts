import type { DestinationAccessRole } from "../destinations/destination-access-role";
import { type PolicyCondition, policyDocument, toJson } from "../policy-document";

/** Name of a source principal's one identity policy. */
export const ASSUME_POLICY_NAME = "assume-destination-roles";

/**
 * A source principal's identity policy (an instance role's or an operator group's): sts:AssumeRole on exactly its
 * destinations' roles, under `condition` when given (MFA for operators).
 */
export function assumeDestinationRolesPolicy(
  destinationRoles: readonly DestinationAccessRole[],
  condition?: PolicyCondition,
): string {
  return toJson(
    policyDocument({
      Sid: "AssumeItsDestinationRolesOnly",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: destinationRoles.map((destinationRole) => destinationRole.role.arn),
      ...(condition ? { Condition: condition } : {}),
    }),
  );
}
