import {
  callerPrefix,
  environmentBytes,
  type IamPrincipal,
  MAX_PACKED_PLAIN_TEXT_CHARS,
  MAX_SESSION_POLICY_CHARS,
  maxSessionTagChars,
  parsePrincipalArn,
  sessionPolicy,
  vendEnvironment,
} from "../../functions/vend/environment";
import type { ConfigRule } from "./config-rule";
import { resourceNamesOf } from "./defaults";
import { COUNTED_GENERATED_STATEMENT_ID_CHARS, LAMBDA_ENVIRONMENT_BYTES, LAMBDA_RESOURCE_POLICY_BYTES } from "./limits";
import type { ConfigFile } from "./schema";
import type { DestinationConfig } from "./types";
import {
  callerField,
  callerPermissionId,
  VEND_URL_AUTH_TYPE,
  type VendingCallerConfig,
  type VendingConfig,
  vendedDestinations,
  vendingRoleName,
  vendingRule,
} from "./vending";

/** A destination as the vend Lambda's settings name it, with the ARNs the stack will give it. */
export function vendSettingsOf(destination: DestinationConfig, bucketPrefix: string) {
  return {
    name: destination.name,
    accountId: destination.accountId,
    region: destination.region,
    roleArn: `arn:aws:iam::${destination.accountId}:role/${vendingRoleName(destination)}`,
    tableName: destination.table,
    tableArn: `arn:aws:dynamodb:${destination.region}:${destination.accountId}:table/${destination.table}`,
    bucketName: destination.bucket,
    bucketPrefix,
  };
}

/** One caller's session towards one destination, as AssumeRole would carry it: what the size rules measure. */
interface CallerSession {
  readonly index: number;
  readonly caller: VendingCallerConfig;
  readonly destination: DestinationConfig;
  /** The session policy's plain text (JSON). */
  readonly policyChars: number;
}

/** Every caller's session policy towards every destination it names. */
function callerSessions(
  callers: readonly VendingCallerConfig[],
  destinations: readonly DestinationConfig[],
  bucketPrefix: string,
): CallerSession[] {
  return callers.flatMap((caller, index) =>
    destinations
      .filter((destination) => caller.destinations.includes(destination.name))
      .map((destination) => {
        const policy = sessionPolicy({
          access: caller.access,
          prefix: callerPrefix(caller),
          destination: vendSettingsOf(destination, bucketPrefix),
        });
        return { index, caller, destination, policyChars: JSON.stringify(policy).length };
      }),
  );
}

/** The vending section's size checks (AssumeRole's and Lambda's limits), appended to CONFIG_RULES. */
export const VENDING_SIZE_RULES: readonly ConfigRule[] = [
  vendingRule("vending-session-policies-fit", (vending, destinations, file) =>
    callerSessions(vending.callers, destinations, resourceNamesOf(file, destinations).bucketPrefix)
      .filter((session) => session.policyChars > MAX_SESSION_POLICY_CHARS)
      .map(
        ({ index, destination, policyChars }) =>
          `${callerField(index, "prefix")} for ${destination.name}: the session policy is ${policyChars} characters, ` +
          `more than the ${MAX_SESSION_POLICY_CHARS} AssumeRole accepts: shorten the bucket prefix, caller prefix or names`,
      ),
  ),
  // Policies already over AssumeRole's own limit are the rule above's; this one adds the session tags.
  vendingRule("vending-packed-policy-fits", (vending, destinations, file) =>
    callerSessions(vending.callers, destinations, resourceNamesOf(file, destinations).bucketPrefix).flatMap(
      ({ index, caller, destination, policyChars }) => {
        if (policyChars > MAX_SESSION_POLICY_CHARS) return [];
        const tagChars = maxSessionTagChars(parsePrincipalArn(caller.arn) as IamPrincipal);
        const total = policyChars + tagChars;
        return total > MAX_PACKED_PLAIN_TEXT_CHARS
          ? [
              `vending.callers.${index} (${caller.arn}) for destination ${destination.name}: its session policy ` +
                `(${policyChars} characters) and session tags (up to ${tagChars}) come to ${total} characters, more ` +
                `than the ${MAX_PACKED_PLAIN_TEXT_CHARS} allowed for what AssumeRole packs together (STS refuses an ` +
                "oversized packed policy with PackedPolicyTooLarge): shorten the bucket prefix, the caller's prefix, " +
                "the table or bucket name",
            ]
          : [];
      },
    ),
  ),
  vendingRule("vending-environment-fits-lambda", (vending, destinations, file) => {
    const bucketPrefix = resourceNamesOf(file, destinations).bucketPrefix;
    const bytes = environmentBytes(
      vendEnvironment({
        destinations: vendedDestinations(vending, destinations).map((d) => vendSettingsOf(d, bucketPrefix)),
        callers: vending.callers,
        stsRegion: file.source.region,
      }),
    );
    return bytes > LAMBDA_ENVIRONMENT_BYTES
      ? [
          `vending.callers need ${bytes} bytes of the vending function's environment, Lambda allows ` +
            `${LAMBDA_ENVIRONMENT_BYTES}: name fewer callers or destinations, or shorter prefixes`,
        ]
      : [];
  }),
  vendingRule("vend-function-policy-fits", (vending, _destinations, file) => {
    const bytes = vendFunctionPolicyBytes(vending, file);
    return bytes > LAMBDA_RESOURCE_POLICY_BYTES
      ? [
          `vending.callers (${vending.callers.length}) need about ${bytes} bytes of the vending function's ` +
            `resource-based policy (two statements each: lambda:InvokeFunctionUrl, and lambda:InvokeFunction through ` +
            `the URL), Lambda allows ${LAMBDA_RESOURCE_POLICY_BYTES}: name fewer callers (a role that several ` +
            "workloads assume counts once)",
        ]
      : [];
  }),
];

/**
 * The vending function's resource-based policy as Lambda will hold it: per caller, the URL permission the stack
 * names and the InvokeFunction-through-the-URL permission its CloudFormation stack adds (whose statement id
 * CloudFormation generates: counted at {@link COUNTED_GENERATED_STATEMENT_ID_CHARS} characters).
 */
export function vendFunctionPolicyBytes(vending: Pick<VendingConfig, "callers" | "functionName">, file: ConfigFile) {
  const functionArn = `arn:aws:lambda:${file.source.region}:${file.source.accountId}:function:${vending.functionName}`;
  const statement = (Sid: string, arn: string, Action: string, Condition: object) => ({
    Sid,
    Effect: "Allow",
    Principal: { AWS: arn },
    Action,
    Resource: functionArn,
    Condition,
  });
  const Statement = vending.callers.flatMap(({ arn }) => [
    statement(callerPermissionId(arn), arn, "lambda:InvokeFunctionUrl", {
      StringEquals: { "lambda:FunctionUrlAuthType": VEND_URL_AUTH_TYPE },
    }),
    statement("s".repeat(COUNTED_GENERATED_STATEMENT_ID_CHARS), arn, "lambda:InvokeFunction", {
      Bool: { "lambda:InvokedViaFunctionUrl": "true" },
    }),
  ]);
  return Buffer.byteLength(JSON.stringify({ Version: "2012-10-17", Id: "default", Statement }));
}
