import { GetRoleCommand, GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { awsErrorOf, describeAwsError } from "./aws-error";
import { type CheckResult, ok, problem, skipped } from "./check";
import { clientSettings, describeReachPath, profileFlag, type ReachPath } from "./reach";

const GROUP = "principals";
/** IAM is a global service: its aws-partition endpoint answers in us-east-1 (the config allows that partition only). */
const IAM_REGION = "us-east-1";

/**
 * An IAM user or role that the config names in a trust or resource policy (or a group membership): it must exist
 * when the policy is written, or AWS refuses it ("Invalid principal in policy").
 */
export interface NamedPrincipal {
  readonly arn: string;
  readonly accountId: string;
  readonly kind: "user" | "role";
  /** The friendly name, what GetUser and GetRole take. */
  readonly name: string;
  /** The IAM path, "/" or "/team/": part of the ARN, not of the name. */
  readonly path: string;
  /** The config fields that name it, e.g. `trustedPrincipals[0].arn`. */
  readonly fields: readonly string[];
}

const IAM_PRINCIPAL_ARN = /^arn:aws:iam::(\d{12}):(user|role)(\/(?:[^/]+\/)*)([^/]+)$/;

/** The user or role an ARN names, with its path; undefined for anything else (an account root, a service). */
export function principalOf(arn: string, fields: readonly string[]): NamedPrincipal | undefined {
  const match = IAM_PRINCIPAL_ARN.exec(arn);
  if (!match) return undefined;
  return { arn, accountId: match[1], kind: match[2] as "user" | "role", path: match[3], name: match[4], fields };
}

/** Table subject of a principal: its ARN. */
export const principalSubject = (principal: Pick<NamedPrincipal, "arn">) => principal.arn;

/** A principal's row when it is not checked, with why. */
export const skippedPrincipal = (principal: NamedPrincipal, why: string): CheckResult =>
  skipped(GROUP, principalSubject(principal), why);

/**
 * iam:GetUser or iam:GetRole (by name) through the path that reaches the principal's account: found with the same
 * ARN is ok; missing, or found under another path (a different ARN), is a problem naming the config field; a refused
 * read is skipped, naming the permission.
 */
export async function checkPrincipal(
  principal: NamedPrincipal,
  path: ReachPath,
  env: NodeJS.ProcessEnv,
): Promise<CheckResult> {
  const subject = principalSubject(principal);
  const { kind, name, accountId } = principal;
  const action = kind === "user" ? "GetUser" : "GetRole";
  const named = principal.fields.join(", ");
  const iam = new IAMClient(clientSettings(path, IAM_REGION, env));
  try {
    const found =
      kind === "user"
        ? (await iam.send(new GetUserCommand({ UserName: name }))).User?.Arn
        : (await iam.send(new GetRoleCommand({ RoleName: name }))).Role?.Arn;
    if (found === undefined || found === principal.arn) return ok(GROUP, subject, `exists (named by ${named})`);
    return problem(
      GROUP,
      subject,
      `${kind} ${name} exists as ${found}, a different ARN (its path is part of it): AWS refuses a policy naming ${principal.arn} ("Invalid principal in policy")`,
      `set ${named} to "${found}"`,
    );
  } catch (error) {
    const { name: errorName } = awsErrorOf(error);
    if (errorName === "NoSuchEntity" || errorName === "NoSuchEntityException") {
      return problem(
        GROUP,
        subject,
        `${kind} ${name} does not exist in account ${accountId} (${describeAwsError(error)}): AWS refuses a policy naming it ("Invalid principal in policy"), so the deploy would fail`,
        `create it in account ${accountId} first (${createCommand(principal, path)}), or correct ${named}`,
      );
    }
    if (errorName === "AccessDenied" || errorName === "AccessDeniedException") {
      return skipped(
        GROUP,
        subject,
        `iam:${action} is not allowed through ${describeReachPath(path)}, so whether ${kind} ${name} exists is not known: ${describeAwsError(error)}`,
      );
    }
    return skipped(GROUP, subject, `${action} failed: ${describeAwsError(error)}`);
  } finally {
    iam.destroy();
  }
}

/** The command that makes the missing user or role, with its path (and the profile when it acts in that account). */
function createCommand(principal: NamedPrincipal, path: ReachPath): string {
  const withPath = principal.path === "/" ? "" : ` --path ${principal.path}`;
  // A role path's profile signs in elsewhere and assumes the role: it would act in another account.
  const as = path.kind === "profile" ? profileFlag(path) : "";
  return principal.kind === "user"
    ? `aws iam create-user --user-name ${principal.name}${withPath}${as}`
    : `aws iam create-role --role-name ${principal.name}${withPath} --assume-role-policy-document file://trust.json${as}`;
}
