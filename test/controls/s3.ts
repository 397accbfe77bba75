import type { TerraformBlock } from "../synth";
import { parsePolicy, reportUnparseable } from "./policies";
import { rule } from "./rule";
import { blocks, forBucket, list, reference, resources } from "./terraform";

const PUBLIC_ACCESS_BLOCK_FLAGS = [
  "block_public_acls",
  "block_public_policy",
  "ignore_public_acls",
  "restrict_public_buckets",
] as const;

export const bucketPublicAccessBlocked = rule(
  "S3.1/S3.8 / CKV_AWS_53-56",
  "Every bucket has exactly one public access block, with all four flags true",
  (json, report) => {
    for (const bucket of resources(json, "aws_s3_bucket")) {
      const accessBlocks = forBucket(json, "aws_s3_bucket_public_access_block", bucket);
      if (accessBlocks.length !== 1)
        report(bucket[0], `has ${accessBlocks.length} public access blocks; exactly one is allowed`);
      for (const [address, block] of accessBlocks) {
        for (const flag of PUBLIC_ACCESS_BLOCK_FLAGS.filter((candidate) => block[candidate] !== true))
          report(address, `${flag} is ${JSON.stringify(block[flag])}, not true`);
      }
    }
  },
);

export const bucketOwnerEnforced = rule(
  "S3.12 / CKV2_AWS_65",
  "Every bucket has ownership controls BucketOwnerEnforced (ACLs disabled)",
  (json, report) => {
    for (const bucket of resources(json, "aws_s3_bucket")) {
      const controls = forBucket(json, "aws_s3_bucket_ownership_controls", bucket);
      if (controls.length === 0) report(bucket[0], "has no ownership controls: ACLs stay enabled");
      for (const [address, block] of controls) {
        const ownership = blocks(block.rule).map((item) => item.object_ownership);
        if (ownership.length !== 1 || ownership[0] !== "BucketOwnerEnforced")
          report(address, `object_ownership is ${JSON.stringify(ownership)}, not BucketOwnerEnforced`);
      }
    }
  },
);

function isSecureTransportFalse(condition: Record<string, Record<string, unknown>>): boolean {
  const values = list(condition.Bool?.["aws:SecureTransport"]);
  return values.length === 1 && (values[0] === "false" || values[0] === false);
}

export const bucketDeniesInsecureTransport = rule(
  "S3.5",
  'Every bucket\'s policy denies s3:* to "*" on the bucket and bucket/* when aws:SecureTransport is false',
  (json, report) => {
    for (const bucket of resources(json, "aws_s3_bucket")) {
      const [address, block] = bucket;
      const arns = [
        reference(address, "arn"),
        `arn:aws:s3:::${reference(address, "bucket")}`,
        `arn:aws:s3:::${reference(address, "id")}`,
        `arn:aws:s3:::${block.bucket}`,
      ];
      const bucketPolicies = forBucket(json, "aws_s3_bucket_policy", bucket);
      if (bucketPolicies.length !== 1) {
        report(
          address,
          `has ${bucketPolicies.length} bucket policies; one that denies requests without TLS is required`,
        );
        continue;
      }
      const [policyAddress, policyBlock] = bucketPolicies[0];
      const policy = parsePolicy(policyAddress, "resource", policyBlock.policy);
      reportUnparseable(policy, report);
      const denied = new Set(
        policy.statements
          .filter(
            (statement) =>
              statement.effect === "Deny" &&
              isSecureTransportFalse(statement.condition) &&
              (statement.principal === "*" || (statement.principal?.AWS ?? []).includes("*")) &&
              statement.actions.some((action) => action === "*" || action.toLowerCase() === "s3:*"),
          )
          .flatMap((statement) => statement.resources ?? []),
      );
      const covers = (suffix: string) => arns.some((arn) => denied.has(`${arn}${suffix}`));
      if (!covers(""))
        report(policyAddress, "does not deny s3:* without TLS (Bool aws:SecureTransport false) on the bucket itself");
      if (!covers("/*"))
        report(
          policyAddress,
          "does not deny s3:* without TLS (Bool aws:SecureTransport false) on the bucket's objects (bucket/*)",
        );
    }
  },
);

export const bucketVersioned = rule("S3.14 / CKV_AWS_21", "Every bucket has versioning Enabled", (json, report) => {
  for (const bucket of resources(json, "aws_s3_bucket")) {
    const statuses = forBucket(json, "aws_s3_bucket_versioning", bucket).flatMap(([, block]) =>
      blocks(block.versioning_configuration).map((item) => item.status),
    );
    if (!statuses.includes("Enabled")) report(bucket[0], `versioning is ${JSON.stringify(statuses)}, not Enabled`);
  }
});

export const bucketEncrypted = rule(
  "CKV_AWS_19",
  "Every bucket has default encryption configured (SSE-S3 or SSE-KMS)",
  (json, report) => {
    for (const bucket of resources(json, "aws_s3_bucket")) {
      const algorithms = forBucket(json, "aws_s3_bucket_server_side_encryption_configuration", bucket)
        .flatMap(([, block]) => blocks(block.rule))
        .flatMap((item) =>
          blocks(item.apply_server_side_encryption_by_default).map((defaults) => defaults.sse_algorithm),
        );
      if (!algorithms.some((algorithm) => ["AES256", "aws:kms", "aws:kms:dsse"].includes(algorithm))) {
        report(bucket[0], `has no default encryption (sse_algorithm ${JSON.stringify(algorithms)})`);
      }
    }
  },
);

/** A lifecycle rule applies to every object when it has no filter or an empty prefix and nothing else. */
function coversWholeBucket(lifecycleRule: TerraformBlock): boolean {
  if (typeof lifecycleRule.prefix === "string" && lifecycleRule.prefix !== "") return false;
  return blocks(lifecycleRule.filter).every((filter) =>
    Object.entries(filter).every(([key, value]) => key === "prefix" && value === ""),
  );
}

export const bucketLifecycleAbortsIncompleteUploads = rule(
  "S3.13 / CKV_AWS_300",
  "Every bucket has an enabled lifecycle rule over the whole bucket that aborts incomplete multipart uploads",
  (json, report) => {
    for (const bucket of resources(json, "aws_s3_bucket")) {
      const rules = forBucket(json, "aws_s3_bucket_lifecycle_configuration", bucket).flatMap(([, block]) =>
        blocks(block.rule),
      );
      const aborts = rules.some(
        (item) =>
          item.status === "Enabled" &&
          coversWholeBucket(item) &&
          blocks(item.abort_incomplete_multipart_upload).some(
            (abort) => Number.isInteger(abort.days_after_initiation) && abort.days_after_initiation > 0,
          ),
      );
      if (!aborts)
        report(
          bucket[0],
          "has no enabled lifecycle rule over the whole bucket that aborts incomplete multipart uploads",
        );
    }
  },
);
