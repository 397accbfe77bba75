import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import { TrustMode } from "../config";
import { PolicyCondition, PolicyStatement, policyDocument, toJson } from "../policy-document";

/** The actions the writer performs in the destination account: the role allows exactly these. */
export const WRITER_TABLE_ACTIONS = ["dynamodb:PutItem", "dynamodb:BatchWriteItem"] as const;
export const WRITER_BUCKET_ACTIONS = ["s3:PutObject"] as const;

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
}

/**
 * The cross-account role in the destination account: assumable only by the writer's role, allowed only to put
 * items into the table and objects under the bucket prefix.
 */
export class DestinationAccessRole extends Construct {
  public readonly role: IamRole;
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: DestinationAccessRoleProps) {
    super(scope, id);
    const { provider, trustedRole } = props;

    const conditions: Record<string, Record<string, string>> = {};
    const addCondition = (operator: string, key: string, value: string) => {
      conditions[operator] = { ...conditions[operator], [key]: value };
    };
    let principal: string;
    if ((props.trustMode ?? "role-arn") === "role-arn") {
      principal = trustedRole.arn;
    } else {
      principal = `arn:aws:iam::${props.sourceAccountId}:root`;
      addCondition("ArnEquals", "aws:PrincipalArn", trustedRole.arn);
    }
    if (props.externalId) addCondition("StringEquals", "sts:ExternalId", props.externalId);
    if (props.organizationId) addCondition("StringEquals", "aws:PrincipalOrgID", props.organizationId);

    this.role = new IamRole(this, "role", {
      provider,
      name: props.roleName,
      description: `Assumed by ${props.sourceAccountId}'s cross-account writer to put records`,
      maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
      assumeRolePolicy: toJson(policyDocument({
        Sid: "WriterRoleOnly",
        Effect: "Allow",
        Principal: { AWS: principal },
        Action: "sts:AssumeRole",
        ...(Object.keys(conditions).length > 0 ? { Condition: conditions as PolicyCondition } : {}),
      })),
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
    this.policy = new IamRolePolicy(this, "policy", {
      provider,
      name: "put-records",
      role: this.role.id,
      policy: toJson(policyDocument(...statements)),
    });
  }
}
