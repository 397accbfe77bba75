import { exampleWith, REAL_ACCOUNTS, synthesize } from "./synth";

describe("DestinationTable", () => {
  const synth = synthesize();
  const table = synth.resource("aws_dynamodb_table").block;

  test("has the guides' key schema: partition key timestamp (S), sort key uuid (S)", () => {
    expect(table).toEqual(
      expect.objectContaining({
        name: "wd-ddb-table",
        hash_key: "timestamp",
        range_key: "uuid",
        attribute: [
          { name: "timestamp", type: "S" },
          { name: "uuid", type: "S" },
        ],
        provider: "aws.destination",
      }),
    );
  });

  test("DynamoDB.1/2/6: on-demand, point-in-time recovery, the AWS owned key, deletion protection on by default [aws-rule dynamodb-deletion-protection]", () => {
    expect(table).toEqual(
      expect.objectContaining({
        billing_mode: "PAY_PER_REQUEST",
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: false },
        deletion_protection_enabled: true,
      }),
    );
  });

  test("allowDataDeletion turns deletion protection off [aws-rule dynamodb-deletion-protection]", () => {
    const deletable = synthesize(exampleWith({ allowDataDeletion: true }));
    expect(deletable.resource("aws_dynamodb_table").block.deletion_protection_enabled).toBe(false);
  });
});

describe("DestinationBucket", () => {
  const synth = synthesize();
  const bucket = synth.resource("aws_s3_bucket");
  const bucketId = synth.reference("aws_s3_bucket", bucket.id, "id");

  test("is not force-destroyed unless data deletion is allowed", () => {
    expect(bucket.block.force_destroy).toBe(false);
    const deletable = synthesize(exampleWith({ allowDataDeletion: true }));
    expect(deletable.resource("aws_s3_bucket").block.force_destroy).toBe(true);
  });

  test("S3.1/S3.8: all four public access block flags [aws-rule s3-public-access-block]", () => {
    expect(synth.resource("aws_s3_bucket_public_access_block").block).toEqual(
      expect.objectContaining({
        bucket: bucketId,
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      }),
    );
  });

  test("S3.12: ownership BucketOwnerEnforced (no ACLs) [aws-rule s3-bucket-owner-enforced]", () => {
    expect(synth.resource("aws_s3_bucket_ownership_controls").block.rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
  });

  test("S3.14: versioning enabled; default encryption", () => {
    expect(synth.resource("aws_s3_bucket_versioning").block.versioning_configuration).toEqual({ status: "Enabled" });
    expect(synth.resource("aws_s3_bucket_server_side_encryption_configuration").block.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });

  test("S3.13: lifecycle aborts incomplete multipart uploads and expires old versions", () => {
    const [rule] = synth.resource("aws_s3_bucket_lifecycle_configuration").block.rule;
    expect(rule).toEqual(
      expect.objectContaining({
        status: "Enabled",
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      }),
    );
  });

  test("S3.5: the bucket policy denies every request without TLS [aws-rule s3-deny-insecure-transport]", () => {
    const real = synthesize(REAL_ACCOUNTS);
    const realBucket = real.resource("aws_s3_bucket");
    const bucketArn = real.reference("aws_s3_bucket", realBucket.id, "arn");
    const policy = real.resource("aws_s3_bucket_policy").block;
    expect(policy.bucket).toBe(real.reference("aws_s3_bucket", realBucket.id, "id"));
    expect(policy.provider).toBe("aws.destination");
    expect(policy.depends_on).toEqual([
      `aws_s3_bucket_public_access_block.${real.resource("aws_s3_bucket_public_access_block").id}`,
    ]);
    expect(real.policy(policy).Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  test("S3.5 exception: the emulator gets no TLS policy (moto applies its Deny without the condition) [aws-rule s3-deny-insecure-transport]", () => {
    expect(synth.resources("aws_s3_bucket_policy")).toEqual({});
  });

  test("every bucket setting is in the destination account", () => {
    for (const type of Object.keys(synth.json.resource ?? {}).filter((type) => type.startsWith("aws_s3_bucket"))) {
      for (const block of Object.values(synth.resources(type))) expect(block.provider).toBe("aws.destination");
    }
  });
});
