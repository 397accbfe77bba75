import type { BulkObjectLayout } from "../../functions/writer/environment";
import type { TableEncryption } from "./table-encryption-schema";

/** How a provider reaches its account. With neither field set, the default AWS credential chain is used. */
export interface AccountAccess {
  /** A named profile from the shared AWS config/credentials files. */
  readonly profile?: string;
  /** A role in the target account that the deploying identity assumes, e.g. OrganizationAccountAccessRole. */
  readonly deployRoleArn?: string;
}

export interface AccountConfig extends AccountAccess {
  /** The 12-digit AWS account id. */
  readonly accountId: string;
  /** The AWS region, e.g. us-east-1. */
  readonly region: string;
}

/**
 * What a destination's role may do: `write` puts items and objects; `read-write` also reads them back (GetItem,
 * BatchGetItem, Query on the table; GetObject and a prefix-limited ListBucket on the bucket).
 */
export type DestinationAccess = "write" | "read-write";

/** One account and region the writer writes to, with its own provider, role, table and bucket. */
export interface DestinationConfig extends AccountConfig {
  /** Names the destination in events, outputs and `npm run assume`. */
  readonly name: string;
  /** @default "write" */
  readonly access: DestinationAccess;
  /** Name of the DynamoDB table. @default "wd-ddb-table" */
  readonly table: string;
  /**
   * Name of the S3 bucket.
   * @default "wd-records-<name>-<account>-<region>" ("wd-records-<account>-<region>" for the destination named
   * "destination")
   */
  readonly bucket: string;
  /**
   * Name of the role the writer assumes.
   * @default "assume-role-via-<source account>-<name>" ("assume-role-via-<source account>" for the destination
   * named "destination")
   */
  readonly role: string;
  /** `sts:ExternalId` this destination's role requires: its own, else the config-wide one. @default - none */
  readonly externalId?: string;
  /** Principals besides the writer that may assume this destination's role: the config-wide ones, then its own. */
  readonly trustedPrincipals: readonly TrustedPrincipal[];
  /**
   * How a bulk event's records become objects in its bucket: `per-record` (`<prefix>/<uuid>.json` each) or
   * `per-batch` (JSON Lines, one object per 1,000 records). Its own, else the config-wide one. @default "per-record"
   */
  readonly bulkObjects: BulkObjectLayout;
  /** The key DynamoDB encrypts this destination's table with: its own, else the config-wide one. @default "aws-owned" */
  readonly tableEncryption: TableEncryption;
}

export interface ResourceNames {
  /** Key prefix under which the writer puts objects, in every destination bucket. @default "records" */
  readonly bucketPrefix: string;
  /**
   * @default "cross-account-write-to-<destination account>" (singular `destination`), "cross-account-writer"
   * (`destinations`)
   */
  readonly writerRole: string;
  /** @default "cross-account-dynamodb-write" */
  readonly writerFunction: string;
}

/**
 * How the destination role's trust policy names the writer.
 * - `role-arn`: Principal is the writer role's ARN (re-creating that role breaks the trust until re-applied).
 * - `account-with-principal-arn`: Principal is the source account, restricted by `ArnEquals aws:PrincipalArn` to
 *   the writer role's ARN, so the trust survives re-creating the role.
 */
export type TrustMode = "role-arn" | "account-with-principal-arn";

export interface EmulatorConfig {
  /** Base URL of a local AWS emulator (moto_server) serving every service on one port. */
  readonly endpoint: string;
}

/** A principal other than the writer that may assume the destination role, e.g. an operator or an EC2 role. */
export interface TrustedPrincipal {
  /** Exact ARN of an IAM user or role. */
  readonly arn: string;
  /** Require MFA (`aws:MultiFactorAuthPresent`); IAM users only. @default false */
  readonly requireMfa?: boolean;
}

/** Where Terraform keeps the stack's state: an S3 bucket, with locking. */
export interface StateBackendConfig {
  readonly bucket: string;
  /** @default "cross-account/terraform.tfstate" */
  readonly key: string;
  readonly region: string;
  /** The account that holds the bucket; Terraform refuses credentials of any other account. */
  readonly accountId: string;
  /** A named profile that reaches the state account. */
  readonly profile?: string;
  /** A role in the state account to assume. @default - none (emulator: OrganizationAccountAccessRole) */
  readonly roleArn?: string;
  /** A DynamoDB table (LockID string key) for locks. @default - S3 native lock files (use_lockfile, Terraform >= 1.11) */
  readonly lockTable?: string;
}
