import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import { DestinationAccess, TrustMode, TrustedPrincipal } from "../config";
import { PolicyCondition, PolicyStatement, policyDocument, toJson } from "../policy-document";

/** The actions the writer performs in the destination account: the role allows exactly these. */
export const WRITER_TABLE_ACTIONS = ["dynamodb:PutItem", "dynamodb:BatchWriteItem"] as const;
export const WRITER_BUCKET_ACTIONS = ["s3:PutObject"] as const;
/** What `read-write` access adds: reading items and the objects under the prefix back. */
export const READER_TABLE_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"] as const;
export const READER_BUCKET_ACTIONS = ["s3:GetObject"] as const;

export interface DestinationAccessRoleProps {
  /** Provider of the destination account. */
  readonly provider: AwsProvider;
  readonly roleName: string;
  /** The one principal that may assume this role: the writer's execution role in the source account. */
  readonly trustedRole: IamRole;
  readonly sourceAccountId: string;
  readonly table: DynamodbTable;
  readonly bucket: S3Bucket;
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
    if (props.organizationId) shared.StringEquals = { ...shared.StringEquals, "aws:PrincipalOrgID": props.organizationId };
    const statement = (Sid: string, principals: string | string[], extra: Record<string, Record<string, string>> = {}): PolicyStatement => {
      const condition = { ...shared, ...extra };
      return {
        Sid,
        Effect: "Allow",
        Principal: { AWS: principals },
        Action: "sts:AssumeRole",
        ...(Object.keys(condition).length > 0 ? { Condition: condition as PolicyCondition } : {}),
      };
    };

    const trust: PolicyStatement[] = (props.trustMode ?? "role-arn") === "role-arn"
      ? [statement("WriterRoleOnly", trustedRole.arn)]
      : [statement("WriterRoleOnly", `arn:aws:iam::${props.sourceAccountId}:root`, { ArnEquals: { "aws:PrincipalArn": trustedRole.arn } })];
    const others = props.trustedPrincipals ?? [];
    const withoutMfa = others.filter((principal) => !principal.requireMfa).map((principal) => principal.arn);
    const withMfa = others.filter((principal) => principal.requireMfa).map((principal) => principal.arn);
    if (withoutMfa.length > 0) trust.push(statement("TrustedPrincipals", withoutMfa));
    if (withMfa.length > 0) trust.push(statement("TrustedUsersWithMfa", withMfa, { Bool: { "aws:MultiFactorAuthPresent": "true" } }));

    this.role = new IamRole(this, "role", {
      provider,
      name: props.roleName,
      description: `Assumed by ${props.sourceAccountId}'s cross-account writer to put records`,
      maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
      assumeRolePolicy: toJson(policyDocument(...trust)),
    });

    const statements: PolicyStatement[] = [
      { Sid: "PutItemsIntoTable", Effect: "Allow", Action: [...WRITER_TABLE_ACTIONS], Resource: props.table.arn },
      {
        Sid: "PutObjectsUnderPrefix",
        Effect: "Allow",
        Action: [...WRITER_BUCKET_ACTIONS],
        Resource: `${props.bucket.arn}/${props.bucketPrefix}/*`,
      },
    ];
    if (props.access === "read-write") {
      statements.push(
        { Sid: "ReadItemsFromTable", Effect: "Allow", Action: [...READER_TABLE_ACTIONS], Resource: props.table.arn },
        { Sid: "ReadObjectsUnderPrefix", Effect: "Allow", Action: [...READER_BUCKET_ACTIONS], Resource: `${props.bucket.arn}/${props.bucketPrefix}/*` },
        {
          Sid: "ListObjectsUnderPrefix",
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: props.bucket.arn,
          Condition: { StringLike: { "s3:prefix": [`${props.bucketPrefix}/*`] } },
        },
      );
    }
    this.policy = new IamRolePolicy(this, "policy", {
      provider,
      name: props.access === "read-write" ? "read-write-records" : "put-records",
      role: this.role.id,
      policy: toJson(policyDocument(...statements)),
    });
  }
}
