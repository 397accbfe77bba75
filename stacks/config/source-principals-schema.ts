// The shape of the `sourcePrincipals` section, below schema.ts which composes every section; its types, defaults and
// cross-field rules sit above, in source-principals.ts.
import * as v from "valibot";
import * as field from "./fields";
import { operatorUserEntry } from "./operator-users";

const MAX_MFA_AGE_SECONDS = 129_600;

const destinationNames = v.pipe(
  v.array(field.destinationName, (issue) => `must be an array of destination names, ${field.got(issue.input)}`),
  v.minLength(1, "must name at least one destination"),
);

const principalAccessField = field.oneOf(["read", "write", "read-write"]);

/** The `sourcePrincipals` section of a config file. */
export const sourcePrincipalsSchema = field.strictObject({
  instanceRoles: v.optional(
    v.array(
      field.strictObject({
        name: field.roleName,
        destinations: destinationNames,
        access: v.optional(principalAccessField),
        // Accepted only to refuse it with a reason (rule instance-roles-without-mfa).
        requireMfa: v.optional(field.boolean),
      }),
      (issue) => `must be an array of { name, destinations, access? }, ${field.got(issue.input)}`,
    ),
  ),
  operators: v.optional(
    v.array(
      field.strictObject({
        group: field.pattern(/^[\w+=,.@-]{1,128}$/, "an IAM group name of 1-128 letters, digits and +=,.@_-"),
        users: v.pipe(
          v.array(
            operatorUserEntry,
            (issue) => `must be an array of IAM user names or ARNs, ${field.got(issue.input)}`,
          ),
          v.minLength(1, "must name at least one user"),
        ),
        destinations: destinationNames,
        access: v.optional(principalAccessField),
        requireMfa: v.optional(field.boolean),
        maxMfaAgeSeconds: v.optional(field.sessionSeconds(60, MAX_MFA_AGE_SECONDS, "an MFA session's age")),
      }),
      (issue) =>
        `must be an array of { group, users, destinations, access?, requireMfa?, ... }, ${field.got(issue.input)}`,
    ),
  ),
});
