import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { DestinationAccess, TrustedPrincipal, TrustMode } from "../config";
import { accessStatements, type DeployedDestination } from "../destinations/deployed-destination";
import { type PolicyCondition, type PolicyStatement, policyDocument, toJson } from "../policy-document";

export interface DestinationAccessRoleProps {
  /** Provider of the destination account. */
  readonly provider: AwsProvider;
  readonly roleName: string;
  /** The one principal that may assume this role: the writer's execution role in the source account. */
  readonly trustedRole: IamRole;
  readonly sourceAccountId: string;
  /** The destination's table and bucket, which say what each access allows. */
  readonly stores: Pick<DeployedDestination, "table" | "bucket">;
  /** Objects may be put only under `<prefix>/`. */
  readonly bucketPrefix: string;
  /** @default "role-arn" */
  readonly trustMode?: TrustMode;
  /** Required `sts:ExternalId`. @default - none */
  readonly externalId?: string;
  /** Required `aws:PrincipalOrgID`. @default - none */
  readonly organizationId?: string;
  /** @default 3600 */
  readonly maxSessionDurationSeconds?: number;
  /** More principals that may assume the role, by exact ARN. @default - only the writer's role */
  readonly trustedPrincipals?: readonly TrustedPrincipal[];
  /** @default "write" */
  readonly access?: DestinationAccess;
}

/**
 * The cross-account role of one destination: assumable only by the writer's role (and any trusted principals),
 * allowed only to put items into its table and objects under its bucket prefix, and with `read-write` access to
 * read them back.
 */
export class DestinationAccessRole extends Construct {
  public readonly role: IamRole;
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: DestinationAccessRoleProps) {
    super(scope, id);
    const { provider, trustedRole } = props;

    // Conditions every trusted principal must meet; the writer's statement may add its own.
    const shared: Record<string, Record<string, string>> = {};
    if (props.externalId) shared.StringEquals = { ...shared.StringEquals, "sts:ExternalId": props.externalId };
    if (props.organizationId)
      shared.StringEquals = { ...shared.StringEquals, "aws:PrincipalOrgID": props.organizationId };
    const statement = (
      Sid: string,
      principals: string | string[],
      extra: Record<string, Record<string, string>> = {},
    ): PolicyStatement => {
      const condition = { ...shared, ...extra };
      return {
        Sid,
        Effect: "Allow",
        Principal: { AWS: principals },
        Action: "sts:AssumeRole",
        ...(Object.keys(condition).length > 0 ? { Condition: condition as PolicyCondition } : {}),
      };
    };

    const trust: PolicyStatement[] =
      (props.trustMode ?? "role-arn") === "role-arn"
        ? [statement("WriterRoleOnly", trustedRole.arn)]
        : [
            statement("WriterRoleOnly", `arn:aws:iam::${props.sourceAccountId}:root`, {
              ArnEquals: { "aws:PrincipalArn": trustedRole.arn },
            }),
          ];
    const others = props.trustedPrincipals ?? [];
    const withoutMfa = others.filter((principal) => !principal.requireMfa).map((principal) => principal.arn);
    const withMfa = others.filter((principal) => principal.requireMfa).map((principal) => principal.arn);
    if (withoutMfa.length > 0) trust.push(statement("TrustedPrincipals", withoutMfa));
    if (withMfa.length > 0)
      trust.push(statement("TrustedUsersWithMfa", withMfa, { Bool: { "aws:MultiFactorAuthPresent": "true" } }));

    this.role = new IamRole(this, "role", {
      provider,
      name: props.roleName,
      description: `Assumed by ${props.sourceAccountId}'s cross-account writer to put records`,
      maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
      assumeRolePolicy: toJson(policyDocument(...trust)),
    });

    const access = props.access ?? "write";
    this.policy = new IamRolePolicy(this, "policy", {
      provider,
      name: access === "read-write" ? "read-write-records" : "put-records",
      role: this.role.id,
      policy: toJson(policyDocument(...accessStatements(props.stores, access, props.bucketPrefix))),
    });
  }
}
