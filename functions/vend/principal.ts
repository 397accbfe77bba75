// The bottom of the vend room: the IAM user or role a caller's ARN names, used by the contract and the session policy.

/** An IAM user or role, as a caller's ARN names it. */
export interface IamPrincipal {
  readonly partition: string;
  readonly accountId: string;
  readonly kind: "user" | "role";
  readonly name: string;
}

export const PRINCIPAL_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):(user|role)\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;

/** The user or role an IAM ARN names (its path dropped), or undefined for anything else. */
export function parsePrincipalArn(arn: string): IamPrincipal | undefined {
  const match = PRINCIPAL_ARN.exec(arn);
  if (!match) return undefined;
  return { partition: match[1], accountId: match[2], kind: match[3] as "user" | "role", name: match[4] };
}

/** One key per principal: two ARNs of one user or role (with and without its path) give the same key. */
export const principalKey = ({ partition, accountId, kind, name }: IamPrincipal) =>
  `${partition}:${accountId}:${kind}/${name}`;
