import type { CrossAccountConfig, TrustedPrincipal } from "../config";
import type { DestinationAccessRole } from "../destinations/destination-access-role";

/**
 * Lets the writer's execution role assume a destination role: by its ARN, or (`account-with-principal-arn`) as the
 * source account restricted by `ArnEquals aws:PrincipalArn` to it, so the trust survives re-creating the role.
 */
export function trustWriter(role: DestinationAccessRole, writerRoleArn: string, config: CrossAccountConfig): void {
  if (config.trustMode === "role-arn") {
    role.trust({ sid: "WriterRoleOnly", principals: writerRoleArn });
  } else {
    role.trust({
      sid: "WriterRoleOnly",
      principals: `arn:aws:iam::${config.source.accountId}:root`,
      condition: { ArnEquals: { "aws:PrincipalArn": writerRoleArn } },
    });
  }
}

/** Lets the config's trusted principals assume a destination role, by exact ARN, MFA required where asked. */
export function trustConfiguredPrincipals(role: DestinationAccessRole, principals: readonly TrustedPrincipal[]): void {
  const withoutMfa = principals.filter((principal) => !principal.requireMfa).map((principal) => principal.arn);
  const withMfa = principals.filter((principal) => principal.requireMfa).map((principal) => principal.arn);
  if (withoutMfa.length > 0) role.trust({ sid: "TrustedPrincipals", principals: withoutMfa });
  if (withMfa.length > 0) {
    role.trust({
      sid: "TrustedUsersWithMfa",
      principals: withMfa,
      condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    });
  }
}
