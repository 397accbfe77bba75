import {
  callerPrefix,
  type IamPrincipal,
  parsePrincipalArn,
  principalKey,
  type VendAccess,
} from "../../functions/vend/environment";
import type { ConfigRule } from "./config-rule";
import type { ConfigFile } from "./schema";
import type { DestinationConfig } from "./types";

/** What `vending`'s omitted fields become. */
export const VENDING_DEFAULTS = { functionName: "cross-account-vend", executionRole: "cross-account-vend" } as const;
/** A destination's vending role is named `<the destination's role>` + this. */
export const VENDING_ROLE_SUFFIX = "-vending";

/** A principal that may ask the vending function for credentials. */
export interface VendingCallerConfig {
  /** Exact ARN of the IAM user or role; only it may invoke the function URL. */
  readonly arn: string;
  /** Names of the destinations it may ask for. */
  readonly destinations: readonly string[];
  /** The most it may ask for: `read`, `write` or `read-write` (which also allows either alone). */
  readonly access: VendAccess;
  /** Its folder under each destination's bucket prefix. @default - the principal's name */
  readonly prefix?: string;
  /** The longest session it may ask for, 900-3600 s. @default 3600 */
  readonly maxDurationSeconds?: number;
}

/** Credential vending (guide 001, done safely): off unless the config file has a `vending` section. */
export interface VendingConfig {
  /** At least one. */
  readonly callers: readonly VendingCallerConfig[];
  /** @default "cross-account-vend" */
  readonly functionName: string;
  /** The vending function's execution role in the source account. @default "cross-account-vend" */
  readonly executionRole: string;
}

/** The resolved `vending` section, or undefined when the file has none. */
export function vendingOf(file: ConfigFile): VendingConfig | undefined {
  if (!file.vending) return undefined;
  return {
    callers: file.vending.callers,
    functionName: file.vending.functionName ?? VENDING_DEFAULTS.functionName,
    executionRole: file.vending.executionRole ?? VENDING_DEFAULTS.executionRole,
  };
}

/** Name of a destination's vending role: its own role's name with {@link VENDING_ROLE_SUFFIX}. */
export const vendingRoleName = (destination: Pick<DestinationConfig, "role">) =>
  `${destination.role}${VENDING_ROLE_SUFFIX}`;

/** The destinations at least one caller names, in the config's order: each gets a vending role. */
export function vendedDestinations<T extends Pick<DestinationConfig, "name">>(
  vending: Pick<VendingConfig, "callers">,
  destinations: readonly T[],
): T[] {
  return destinations.filter((destination) =>
    vending.callers.some((caller) => caller.destinations.includes(destination.name)),
  );
}

/** Where a caller's field is in the file. */
/** The function URL's auth type: only SigV4-signed requests of principals the resource policy names get through. */
export const VEND_URL_AUTH_TYPE = "AWS_IAM";

/** Construct id and statement id of a caller's URL permission: the principal's account, kind and name. */
export function callerPermissionId(arn: string): string {
  const principal = parsePrincipalArn(arn);
  if (!principal) throw new Error(`not an IAM user or role ARN: ${arn}`);
  return `invoke-url-${principal.accountId}-${principal.kind}-${principal.name.replace(/[^\w-]/g, "_")}`.slice(0, 100);
}

export const callerField = (index: number, key: string) => `vending.callers.${index}.${key}`;

/** A rule that applies only when the file has a `vending` section. */
export function vendingRule(
  name: string,
  check: (vending: VendingConfig, destinations: readonly DestinationConfig[], file: ConfigFile) => string[],
): ConfigRule {
  return {
    name,
    check: (file, destinations) => {
      const vending = vendingOf(file);
      return vending ? check(vending, destinations, file) : [];
    },
  };
}

/** The vending section's cross-field checks, appended to CONFIG_RULES. */
export const VENDING_RULES: readonly ConfigRule[] = [
  vendingRule("vending-destinations-known", (vending, destinations) => {
    const names = destinations.map((destination) => destination.name);
    return vending.callers.flatMap((caller, index) =>
      caller.destinations
        .filter((name) => !names.includes(name))
        .map(
          (name) =>
            `${callerField(index, "destinations")} names no destination: ${JSON.stringify(name)}; allowed: ` +
            names.map((known) => JSON.stringify(known)).join(", "),
        ),
    );
  }),
  vendingRule("vending-callers-unique", (vending) => {
    const keys = vending.callers.map((caller) => principalKey(parsePrincipalArn(caller.arn) as IamPrincipal));
    return vending.callers.flatMap((caller, index) => {
      const first = keys.indexOf(keys[index]);
      return first < index
        ? [
            `${callerField(index, "arn")} names the principal of vending.callers.${first} again: ${JSON.stringify(caller.arn)}; give each principal once`,
          ]
        : [];
    });
  }),
  vendingRule("vending-prefixes-distinct", (vending) =>
    vending.callers.flatMap((caller, index) =>
      vending.callers.slice(0, index).flatMap((other, earlier) => {
        const prefix = callerPrefix(caller);
        // Two callers in one folder share data: allowed only when both chose it.
        if (prefix !== callerPrefix(other) || (caller.prefix !== undefined && other.prefix !== undefined)) return [];
        if (!caller.destinations.some((name) => other.destinations.includes(name))) return [];
        return [
          `${callerField(index, "prefix")} would be ${JSON.stringify(prefix)}, the folder of vending.callers.${earlier}: ` +
            "set prefix on one of them, or the same prefix on both to share on purpose",
        ];
      }),
    ),
  ),
  vendingRule("vending-role-names-fit", (vending, destinations) =>
    vendedDestinations(vending, destinations).flatMap((destination) => {
      const name = vendingRoleName(destination);
      return name.length > 64
        ? [
            `destination ${JSON.stringify(destination.name)}'s vending role would be ${JSON.stringify(name)} ` +
              `(${name.length} characters): IAM allows 64, so give the destination a role name of at most ` +
              `${64 - VENDING_ROLE_SUFFIX.length}`,
          ]
        : [];
    }),
  ),
];
