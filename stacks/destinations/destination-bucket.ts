import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { type PolicyStatement, policyDocument, toJson } from "../policy-document";

/** What a role that writes records may do with the bucket: put objects under its prefix. */
export const BUCKET_WRITE_ACTIONS = ["s3:PutObject"] as const;
/** What a role that reads records may do with the bucket: get the objects under its prefix (and list that prefix). */
export const BUCKET_READ_ACTIONS = ["s3:GetObject"] as const;

export interface DestinationBucketProps {
  /** Provider of the destination account. */
  readonly provider: AwsProvider;
  readonly bucketName: string;
  /**
   * Let `destroy` delete the bucket with every object version in it.
   * @default false - destroy fails while the bucket holds objects
   */
  readonly allowDataDeletion?: boolean;
  /**
   * Deny every request made without TLS (S3.5).
   * @default true
   */
  readonly denyInsecureTransport?: boolean;
  /**
   * Days after which a noncurrent (overwritten or deleted) object version expires.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
}

/** A private, versioned, encrypted bucket that only accepts TLS, with lifecycle clean-up of stale uploads. */
export class DestinationBucket extends Construct {
  public readonly bucket: S3Bucket;
  /** The TLS-only bucket policy; undefined when `denyInsecureTransport` is false. */
  public readonly policy?: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: DestinationBucketProps) {
    super(scope, id);
    const { provider } = props;
    this.bucket = new S3Bucket(this, "bucket", {
      provider,
      bucket: props.bucketName,
      forceDestroy: props.allowDataDeletion ?? false,
    });
    const bucket = this.bucket.id;

    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership-controls", {
      provider,
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketVersioningA(this, "versioning", {
      provider,
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      provider,
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider,
      bucket,
      rule: [
        {
          id: "abort-incomplete-uploads-and-expire-old-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays ?? 90 }],
        },
      ],
    });
    if (props.denyInsecureTransport === false) return;
    this.policy = new S3BucketPolicy(this, "policy", {
      provider,
      bucket,
      policy: toJson(
        policyDocument({
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      ),
      // S3 rejects concurrent configuration changes of one bucket; the block settles before the policy.
      dependsOn: [publicAccessBlock],
    });
  }

  /** Grants putting objects under `<prefix>/`, as a statement for the identity policy of a role of its account. */
  writeStatements(prefix: string): PolicyStatement[] {
    return [
      {
        Sid: "PutObjectsUnderPrefix",
        Effect: "Allow",
        Action: [...BUCKET_WRITE_ACTIONS],
        Resource: `${this.bucket.arn}/${prefix}/*`,
      },
    ];
  }

  /** Grants getting the objects under `<prefix>/` and listing that prefix, nothing else of the bucket. */
  readStatements(prefix: string): PolicyStatement[] {
    return [
      {
        Sid: "ReadObjectsUnderPrefix",
        Effect: "Allow",
        Action: [...BUCKET_READ_ACTIONS],
        Resource: `${this.bucket.arn}/${prefix}/*`,
      },
      {
        Sid: "ListObjectsUnderPrefix",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: this.bucket.arn,
        Condition: { StringLike: { "s3:prefix": [`${prefix}/*`] } },
      },
    ];
  }
}
