import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { destinationRoleName } from "../../stacks/config";
import { type PrincipalProfile, principalProfiles } from "../../stacks/source-principals/profiles";
import type { VerifyContext } from "./context";
import type { Credentials } from "./credentials";
import { attempt, type CheckResult, type Emit, emitted, failed, ok, skipped } from "./outcome";

/**
 * Source principals: for each printed profile whose principal's credentials are at hand, assume the destination role
 * as the profile would and check who STS says the session is; the others are skipped with why.
 */
export async function checkSourcePrincipals(context: VerifyContext, emit?: Emit): Promise<CheckResult[]> {
  const { config } = context;
  const profiles = principalProfiles(
    config,
    (destination, access) => `arn:aws:iam::${destination.accountId}:role/${destinationRoleName(destination, access)}`,
  );
  if (profiles.length === 0) return [emitted(emit, skipped("profiles", "the config has no sourcePrincipals"))];
  const results: CheckResult[] = [];
  for (const profile of profiles) {
    const check = `${profile.principal} -> ${profile.destination} (${profile.access})`;
    results.push(emitted(emit, await attempt(check, () => assumeAs(context, profile, check))));
  }
  return results;
}

async function assumeAs(context: VerifyContext, profile: PrincipalProfile, check: string): Promise<CheckResult> {
  const [kind, name] = profile.principal.split("/");
  const credentials = await credentialsOf(context, profile.principal, kind, name);
  if (typeof credentials === "string") return skipped(check, credentials);
  const group = context.config.sourcePrincipals.operators.find((operator) =>
    operator.users.some((user) => user.name === name),
  );
  const mfa = kind === "operator" && group?.requireMfa;
  if (mfa && !context.mfaCode)
    return skipped(check, `${name}'s role requires MFA: give a current code of their device with --mfa-code`);
  const destination = context.config.destinations.find((candidate) => candidate.name === profile.destination);
  const region = destination?.region ?? context.config.source.region;
  const sts = new STSClient(context.clientSettings(region, credentials));
  const session = `verify-${name}`.slice(0, 64);
  const { Credentials: assumed } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: profile.roleArn,
      RoleSessionName: session,
      ...(destination?.externalId ? { ExternalId: destination.externalId } : {}),
      ...(mfa
        ? { SerialNumber: `arn:aws:iam::${context.config.source.accountId}:mfa/${name}`, TokenCode: context.mfaCode }
        : {}),
    }),
  );
  if (!assumed?.AccessKeyId || !assumed.SecretAccessKey)
    return failed(check, `AssumeRole of ${profile.roleArn} returned no credentials`);
  const identity = await new STSClient(
    context.clientSettings(region, {
      accessKeyId: assumed.AccessKeyId,
      secretAccessKey: assumed.SecretAccessKey,
      sessionToken: assumed.SessionToken,
    }),
  ).send(new GetCallerIdentityCommand({}));
  const [, , , , account, resource] = profile.roleArn.split(":");
  const expected = `arn:aws:sts::${account}:assumed-role/${resource.replace(/^role\//, "")}/${session}`;
  return identity.Arn === expected
    ? ok(check, `${identity.Arn}`)
    : failed(check, `the session is ${identity.Arn}, expected ${expected}`);
}

/**
 * A principal's credentials, or why there are none at hand: the caller's own when the caller is that principal (an
 * instance role's session, an operator's user), else what the context hands for it (the emulator's instance roles).
 */
async function credentialsOf(
  context: VerifyContext,
  principal: string,
  kind: string,
  name: string,
): Promise<Credentials | string> {
  const source = context.config.source.accountId;
  const own =
    kind === "instance-role"
      ? new RegExp(`^arn:aws:sts::${source}:assumed-role/${name}/`)
      : new RegExp(`^arn:aws:iam::${source}:user/(.+/)?${name}$`);
  if (context.caller && own.test(context.caller.arn)) return context.caller.credentials;
  const handed = await context.principalCredentials?.(principal);
  if (handed) return handed;
  const you = context.caller ? `you are ${context.caller.arn}` : "no credentials of yours were found";
  return kind === "instance-role"
    ? `an instance role's credentials come from EC2 instance metadata (${you}): run verify on an instance with role ${name}`
    : `operator ${name}'s credentials are not at hand (${you}): run verify as ${name} (AWS_PROFILE)`;
}
