import * as v from "valibot";
import * as field from "./fields";

/**
 * An existing IAM user of the source account in an operator group. IAM names a user by its friendly name, unique in
 * the account whatever its path; its ARN carries the path: `arn:aws:iam::<account>:user<path><name>`.
 */
export interface OperatorUser {
  /** The user's friendly name: what group memberships and sessions name. */
  readonly name: string;
  /** The user's IAM path, `/` or `/team/`. @default "/" */
  readonly path: string;
  /**
   * The ARN of the user's MFA device, for `mfa_serial` in their profiles. A virtual device has a name (and path) of
   * its own: `arn:aws:iam::<account>:mfa<path><device name>`.
   * @default - arn:aws:iam::<source account>:mfa/<user name>
   */
  readonly mfaSerial?: string;
}

const NAME = /^[\w+=,.@-]{1,64}$/;
const USER_ARN = /^arn:aws:iam::(\d{12}):user(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const MFA_ARN = /^arn:aws:iam::(\d{12}):mfa(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,256})$/;
const USER_EXAMPLE = "alice or arn:aws:iam::123456789012:user/team/alice";

const user = field.pattern(
  new RegExp(`${NAME.source}|${USER_ARN.source}`),
  `an IAM user name of 1-64 letters, digits and +=,.@_- or a user ARN with its path, e.g. ${USER_EXAMPLE}`,
);

/** One entry of an operator group's `users`: a user name or ARN, or `{ user, mfaSerial }`. */
export const operatorUserEntry = v.union(
  [
    user,
    field.strictObject({
      user,
      mfaSerial: field.pattern(MFA_ARN, "an MFA device ARN such as arn:aws:iam::123456789012:mfa/alice-phone"),
    }),
  ],
  (issue) =>
    `must be an IAM user name or ARN (${USER_EXAMPLE}) or { "user": ..., "mfaSerial": <MFA device ARN> }, ` +
    field.got(issue.input),
);

export type OperatorUserEntry = v.InferOutput<typeof operatorUserEntry>;

/** A `users` entry as name, path and MFA device. */
export function operatorUserOf(entry: OperatorUserEntry): OperatorUser {
  const given = typeof entry === "string" ? entry : entry.user;
  const arn = USER_ARN.exec(given);
  return {
    name: arn ? arn[3] : given,
    path: arn ? arn[2] : "/",
    ...(typeof entry === "string" ? {} : { mfaSerial: entry.mfaSerial }),
  };
}

/** The accounts named by an entry's ARNs (user, MFA device), to check against the source account. */
export function accountsOf(entry: OperatorUserEntry): { readonly what: string; readonly arn: string }[] {
  const given = typeof entry === "string" ? entry : entry.user;
  return [
    ...(USER_ARN.test(given) ? [{ what: "user", arn: given }] : []),
    ...(typeof entry === "string" ? [] : [{ what: "mfaSerial", arn: entry.mfaSerial }]),
  ];
}

/** The user's ARN in `accountId`: the path is part of it. */
export function operatorUserArn(accountId: string, user: OperatorUser): string {
  return `arn:aws:iam::${accountId}:user${user.path}${user.name}`;
}

/** The MFA device the user's profiles name: the configured one, else a virtual device named after the user. */
export function operatorMfaSerial(accountId: string, user: OperatorUser): string {
  return user.mfaSerial ?? `arn:aws:iam::${accountId}:mfa/${user.name}`;
}
