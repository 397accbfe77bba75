import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { VendingCallerConfig } from "../../stacks/config";
import type { Caller, VerifyContext } from "./context";
import { OUTPUT_NAMES, stringOutput } from "./deployment";
import type { UrlCaller } from "./invoker";
import { attempt, type CheckResult, type Emit, emitted, failed, ok, skipped } from "./outcome";

/**
 * Vending: one signed request for a configured caller, the vended identity checked (the destination's vending role,
 * in the destination account); and one request from no configured caller (unsigned), refused with 403.
 */
export async function checkVending(context: VerifyContext, emit?: Emit): Promise<CheckResult[]> {
  const vending = context.config.vending;
  if (!vending) return [emitted(emit, skipped("vending", "the config has no vending section"))];
  const target = {
    functionName: stringOutput(context.deployment, OUTPUT_NAMES.vendFunctionName, "vending"),
    url: stringOutput(context.deployment, OUTPUT_NAMES.vendFunctionUrl, "vending"),
  };
  const roles = (context.deployment.outputs[OUTPUT_NAMES.vendingRoles] ?? {}) as Record<string, string>;
  const signedCheck = "a configured caller gets credentials of the vending role";
  const signed = emitted(
    emit,
    await attempt(signedCheck, async () => {
      const chosen = callerAtHand(context, vending.callers);
      if (typeof chosen === "string") return skipped(signedCheck, chosen);
      const { config, caller } = chosen;
      const destinationName = config.destinations[0];
      const request = { destination: destinationName, access: config.access === "write" ? "write" : "read" };
      const answer = await context.invoker.callUrl(target, caller, request);
      if (answer.statusCode !== 200)
        return failed(
          signedCheck,
          `${caller.arn} asked ${target.url} and got ${answer.statusCode}: ${answer.body.slice(0, 300)}`,
        );
      const vended = JSON.parse(answer.body) as Record<string, string>;
      const destination = context.config.destinations.find((candidate) => candidate.name === destinationName);
      const sts = new STSClient(
        context.clientSettings(destination?.region ?? context.config.source.region, {
          accessKeyId: vended.AccessKeyId,
          secretAccessKey: vended.SecretAccessKey,
          sessionToken: vended.SessionToken,
        }),
      );
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      const roleArn = roles[destinationName] ?? "";
      const expected = roleArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/");
      return identity.Arn?.startsWith(`${expected}/`)
        ? ok(signedCheck, `${caller.arn} -> ${identity.Arn} (${request.access} on ${destinationName})`)
        : failed(
            signedCheck,
            `the vended credentials act as ${identity.Arn}, expected a session of ${roleArn || "the vending role"}`,
          );
    }),
  );
  const refusedCheck = "an unknown (unsigned) caller is refused";
  const refused = emitted(
    emit,
    await attempt(refusedCheck, async () => {
      const answer = await context.invoker.callUrl(target, undefined, {
        destination: vending.callers[0].destinations[0],
        access: "read",
      });
      return answer.statusCode === 403
        ? ok(refusedCheck, `${target.url} answered 403`)
        : failed(
            refusedCheck,
            `${target.url} answered ${answer.statusCode} to an unsigned request, expected 403: ${answer.body.slice(0, 200)}`,
          );
    }),
  );
  return [signed, refused];
}

/**
 * The configured caller whose credentials are at hand: the one the caller is (its user, or a session of its role).
 * On the emulator, which checks no signature, the first caller, with the caller's or the deploy credentials.
 */
function callerAtHand(
  context: VerifyContext,
  callers: readonly VendingCallerConfig[],
): { config: VendingCallerConfig; caller: UrlCaller } | string {
  const match = context.caller && callers.find((candidate) => isCaller(candidate.arn, context.caller as Caller));
  if (match && context.caller) return { config: match, caller: context.caller };
  if (context.config.emulator) {
    const [first] = callers;
    const arn = first.arn.includes(":role/")
      ? `${first.arn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")}/verify`
      : first.arn;
    return { config: first, caller: { arn, credentials: context.deployCredentials(context.config.source) } };
  }
  const you = context.caller ? `you are ${context.caller.arn}` : "no credentials of yours were found";
  return `no configured caller's credentials at hand (${you}); run verify as one of: ${callers.map((caller) => caller.arn).join(", ")}`;
}

/** Whether a caller ARN (a user, or a role's session) is the configured principal `configured`. */
export function isCaller(configured: string, caller: Caller): boolean {
  if (configured === caller.arn) return true;
  const session = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(caller.arn);
  if (!session) return false;
  const role = /^arn:aws[\w-]*:iam::(\d{12}):role\/(.+\/)?([^/]+)$/.exec(configured);
  return role !== null && role[1] === session[2] && role[3] === session[3];
}
