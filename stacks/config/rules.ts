import { environmentBytes, writerEnvironment } from "../../functions/writer/environment";
import type { ConfigRule } from "./config-rule";
import { DEFAULTS, resourceNamesOf } from "./defaults";
import { IAM_POLICY_SIZE_RULES } from "./iam-policy-sizes";
import { LAMBDA_ENVIRONMENT_BYTES, MAX_TRUSTED_PRINCIPALS } from "./limits";
import { ORGANIZATION_WRITER_RULES } from "./organization-writer";
import type { ConfigFile } from "./schema";
import { SOURCE_PRINCIPAL_RULES } from "./source-principals";
import { TABLE_ENCRYPTION_RULES } from "./table-encryption";
import type { DestinationConfig, TrustedPrincipal } from "./types";
import { VENDING_RULES } from "./vending";
import { VENDING_SIZE_RULES } from "./vending-sizes";

export type { ConfigRule } from "./config-rule";

/** Where a destination's field is in the file: `destination.<key>` or `destinations.<index>.<key>`. */
function destinationField(file: ConfigFile, index: number, key: string): string {
  return file.destinations ? `destinations.${index}.${key}` : `destination.${key}`;
}

/** Where a destination's trusted principals come from, for messages about all of them together. */
function trustedPrincipalsField(file: ConfigFile, index: number): string {
  return file.destinations
    ? `destinations.${index}.trustedPrincipals with the config-wide trustedPrincipals`
    : "trustedPrincipals";
}

/** A problem when `roleArn` is not a role in `accountId`; `owner` describes that account ("source account"). */
function roleOutsideAccount(field: string, roleArn: string | undefined, accountId: string, owner: string): string[] {
  const roleAccount = roleArn?.split(":")[4];
  if (!roleAccount || roleAccount === accountId) return [];
  return [`${field} must be a role in ${owner} ${accountId}, got "${roleArn}"`];
}

/**
 * A rule that a name is unique among destinations: `identity` is what must not repeat (the name with its scope),
 * `key` the field the message points at, `describe` the repeat.
 */
function uniqueAmongDestinations(
  name: string,
  key: string,
  identity: (destination: DestinationConfig) => string,
  describe: (destination: DestinationConfig) => string,
): ConfigRule {
  return {
    name,
    check: (_file, destinations) => {
      const first = new Map<string, number>();
      return destinations.flatMap((destination, index) => {
        const earlier = first.get(identity(destination));
        if (earlier === undefined) {
          first.set(identity(destination), index);
          return [];
        }
        return [`destinations.${index}.${key} ${describe(destination)} of destinations.${earlier}`];
      });
    },
  };
}

/** The cross-field checks of a config file, in the order their problems are listed. */
export const CONFIG_RULES: readonly ConfigRule[] = [
  {
    name: "one-destination-form",
    check: (file) => {
      if (file.destination && file.destinations) {
        return ["give either destination (one) or destinations (several), not both"];
      }
      if (!file.destination && !file.destinations) return ["destination (one) or destinations (several) is required"];
      return [];
    },
  },
  {
    name: "singular-names-only-with-destination",
    check: (file) => {
      if (!file.destinations) return [];
      return (["table", "bucket", "destinationRole"] as const)
        .filter((name) => file.names?.[name] !== undefined)
        .map((name) => {
          const ownKey = name === "destinationRole" ? "role" : name;
          return (
            `names.${name} applies to the singular destination; with destinations set ${ownKey} on each ` +
            `destination, got ${JSON.stringify(file.names?.[name])}`
          );
        });
    },
  },
  uniqueAmongDestinations(
    "destination-names-unique",
    "name",
    (d) => d.name,
    (d) => `repeats the name "${d.name}"`,
  ),
  uniqueAmongDestinations(
    "role-names-unique-per-account",
    "role",
    // IAM refuses a second role whose name differs only in case.
    (d) => `${d.accountId}/${d.role.toLowerCase()}`,
    (d) =>
      `repeats role name "${d.role}" in account ${d.accountId} (IAM role names are per account, whatever their case): set role`,
  ),
  uniqueAmongDestinations(
    "table-names-unique-per-region",
    "table",
    (d) => `${d.accountId}/${d.region}/${d.table}`,
    (d) => `repeats table name "${d.table}" in ${d.accountId} ${d.region}: set table`,
  ),
  uniqueAmongDestinations(
    "bucket-names-unique",
    "bucket",
    (d) => d.bucket,
    (d) => `repeats bucket name "${d.bucket}" (bucket names are global): set bucket`,
  ),
  {
    name: "destination-differs-from-source",
    check: (file, destinations) =>
      destinations.flatMap((destination, index) =>
        destination.accountId === file.source.accountId
          ? [
              `${destinationField(file, index, "accountId")} must differ from source.accountId (cross-account), ` +
                `both are "${file.source.accountId}"`,
            ]
          : [],
      ),
  },
  {
    name: "roles-in-their-accounts",
    check: (file, destinations) => [
      ...destinations.flatMap((destination, index) =>
        roleOutsideAccount(
          destinationField(file, index, "deployRoleArn"),
          destination.deployRoleArn,
          destination.accountId,
          "destination account",
        ),
      ),
      ...roleOutsideAccount("source.deployRoleArn", file.source.deployRoleArn, file.source.accountId, "source account"),
      ...(file.stateBackend
        ? roleOutsideAccount(
            "stateBackend.roleArn",
            file.stateBackend.roleArn,
            file.stateBackend.accountId,
            "the state account",
          )
        : []),
    ],
  },
  {
    name: "mfa-only-for-users",
    check: (file) => {
      const principalLists: [string, readonly TrustedPrincipal[]][] = [
        ["trustedPrincipals", file.trustedPrincipals ?? []],
        ...(file.destinations ?? []).map((entry, index): [string, readonly TrustedPrincipal[]] => [
          `destinations.${index}.trustedPrincipals`,
          entry.trustedPrincipals ?? [],
        ]),
      ];
      return principalLists.flatMap(([where, principals]) =>
        principals.flatMap((principal, index) =>
          principal.requireMfa && !principal.arn.includes(":user/")
            ? [
                `${where}.${index}.requireMfa applies to IAM users only (a role's session carries no MFA of its own), ` +
                  `got "${principal.arn}"`,
              ]
            : [],
        ),
      );
    },
  },
  {
    name: "trusted-principals-unique",
    check: (file, destinations) =>
      destinations.flatMap((destination, index) => {
        const arns = destination.trustedPrincipals.map((principal) => principal.arn);
        const repeated = [...new Set(arns.filter((arn, position) => arns.indexOf(arn) !== position))];
        return repeated.length > 0
          ? [
              `${trustedPrincipalsField(file, index)} name ${repeated.map((arn) => `"${arn}"`).join(", ")} more than once`,
            ]
          : [];
      }),
  },
  {
    name: "trusted-principals-within-limit",
    check: (file, destinations) =>
      destinations.flatMap((destination, index) => {
        const count = destination.trustedPrincipals.length;
        return count > MAX_TRUSTED_PRINCIPALS
          ? [
              `${trustedPrincipalsField(file, index)} name ${count} principals, ` +
                `at most ${MAX_TRUSTED_PRINCIPALS} are allowed`,
            ]
          : [];
      }),
  },
  {
    name: "writer-session-within-role-maximum",
    check: (file) => {
      const maxSession = file.maxSessionDurationSeconds ?? DEFAULTS.maxSessionDurationSeconds;
      const writerSession = file.writerSessionDurationSeconds ?? DEFAULTS.writerSessionDurationSeconds;
      return writerSession > maxSession
        ? [`writerSessionDurationSeconds (${writerSession}) must not exceed maxSessionDurationSeconds (${maxSession})`]
        : [];
    },
  },
  {
    name: "writer-environment-fits-lambda",
    check: (file, destinations) => {
      const names = resourceNamesOf(file, destinations);
      const bytes = environmentBytes(
        writerEnvironment({
          destinations: destinations.map((destination) => ({
            ...destination,
            tableName: destination.table,
            bucketName: destination.bucket,
            roleArn: `arn:aws:iam::${destination.accountId}:role/${destination.role}`,
          })),
          bucketPrefix: names.bucketPrefix,
          stsRegion: file.source.region,
          roleSessionName: names.writerFunction,
          sessionDurationSeconds: file.writerSessionDurationSeconds ?? DEFAULTS.writerSessionDurationSeconds,
          externalId: file.externalId,
        }),
      );
      return bytes > LAMBDA_ENVIRONMENT_BYTES
        ? [
            `destinations need ${bytes} bytes of the writer's environment, Lambda allows ${LAMBDA_ENVIRONMENT_BYTES}: ` +
              "use fewer destinations or shorter table, bucket and role names (a destination's own externalId and a " +
              "per-batch bulkObjects count too)",
          ]
        : [];
    },
  },
  ...TABLE_ENCRYPTION_RULES,
  ...SOURCE_PRINCIPAL_RULES,
  ...VENDING_RULES,
  ...VENDING_SIZE_RULES,
  ...ORGANIZATION_WRITER_RULES,
  ...IAM_POLICY_SIZE_RULES,
];
