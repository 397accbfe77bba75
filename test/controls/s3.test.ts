import { EXAMPLE_CONFIG } from "../../stacks/config";
import type { SynthesizedStack, TerraformBlock } from "../synth";
import * as controls from ".";
import {
  addResource,
  address,
  BUCKET,
  editPolicy,
  finding,
  MET_RULES,
  mutated,
  once,
  realStack,
  removeResources,
  type Statement,
} from "./harness";

const emulatorStack = once(EXAMPLE_CONFIG);

describe("destination bucket", () => {
  test.each(["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"])(
    "S3.1/S3.8 / CKV_AWS_53-56: all four public access block flags — compliant: the stack; non-compliant: a block with %s false",
    (flag) => {
      const rule = controls.bucketPublicAccessBlocked;
      expect(rule.check(realStack().json)).toEqual([]);
      const nonCompliant = mutated((copy) => {
        copy.resource("aws_s3_bucket_public_access_block").block[flag] = false;
      });
      expect(rule.check(nonCompliant)).toEqual([
        finding(rule, address("aws_s3_bucket_public_access_block"), `${flag} is false, not true`),
      ]);
    },
  );

  test("S3.1/S3.8 / CKV_AWS_53-56: one public access block per bucket — compliant: the stack; non-compliant: none, and two [aws-rule s3-public-access-block]", () => {
    const rule = controls.bucketPublicAccessBlocked;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(mutated((copy) => removeResources(copy, "aws_s3_bucket_public_access_block")))).toEqual([
      finding(rule, BUCKET(), "has 0 public access blocks"),
    ]);
    const twice = mutated((copy) =>
      addResource(copy, "aws_s3_bucket_public_access_block", "second", {
        ...copy.resource("aws_s3_bucket_public_access_block").block,
      }),
    );
    expect(rule.check(twice)).toEqual([finding(rule, BUCKET(), "has 2 public access blocks")]);
  });

  test.each(["ObjectWriter", "BucketOwnerPreferred"])(
    "S3.12 / CKV2_AWS_65: ownership controls BucketOwnerEnforced — compliant: the stack; non-compliant: %s (ACLs enabled) [aws-rule s3-bucket-owner-enforced]",
    (ownership) => {
      const rule = controls.bucketOwnerEnforced;
      expect(rule.check(realStack().json)).toEqual([]);
      const nonCompliant = mutated((copy) => {
        copy.resource("aws_s3_bucket_ownership_controls").block.rule = { object_ownership: ownership };
      });
      expect(rule.check(nonCompliant)).toEqual([
        finding(rule, address("aws_s3_bucket_ownership_controls"), `["${ownership}"], not BucketOwnerEnforced`),
      ]);
      expect(rule.check(mutated((copy) => removeResources(copy, "aws_s3_bucket_ownership_controls")))).toEqual([
        finding(rule, BUCKET(), "has no ownership controls"),
      ]);
    },
  );

  const tlsPolicy = (edit: (statement: Statement) => void) => (copy: SynthesizedStack) =>
    editPolicy(copy.resource("aws_s3_bucket_policy").block, "policy", ([statement]) => edit(statement));
  test.each([
    [
      "a Deny that covers only bucket/*, not the bucket",
      tlsPolicy((statement) => {
        statement.Resource = (statement.Resource as string[])[1];
      }),
      () => [finding(controls.bucketDeniesInsecureTransport, address("aws_s3_bucket_policy"), "on the bucket itself")],
    ],
    [
      "Allow instead of Deny",
      tlsPolicy((statement) => {
        statement.Effect = "Allow";
      }),
      () => [
        finding(controls.bucketDeniesInsecureTransport, address("aws_s3_bucket_policy"), "on the bucket itself"),
        finding(controls.bucketDeniesInsecureTransport, address("aws_s3_bucket_policy"), "on the bucket's objects"),
      ],
    ],
    [
      "aws:SecureTransport true (denies TLS requests instead)",
      tlsPolicy((statement) => {
        statement.Condition = { Bool: { "aws:SecureTransport": "true" } };
      }),
      () => [
        finding(controls.bucketDeniesInsecureTransport, address("aws_s3_bucket_policy"), "on the bucket itself"),
        finding(controls.bucketDeniesInsecureTransport, address("aws_s3_bucket_policy"), "on the bucket's objects"),
      ],
    ],
    [
      "no bucket policy",
      (copy: SynthesizedStack) => removeResources(copy, "aws_s3_bucket_policy"),
      () => [finding(controls.bucketDeniesInsecureTransport, BUCKET(), "has 0 bucket policies")],
    ],
  ])(
    "S3.5: the bucket policy denies aws:SecureTransport false on bucket and bucket/* — compliant: the stack for real accounts; non-compliant: %s",
    (_, change, expected) => {
      const rule = controls.bucketDeniesInsecureTransport;
      expect(rule.check(realStack().json)).toEqual([]);
      expect(rule.check(mutated(change))).toEqual(expected());
    },
  );

  test("S3.5 exception: the emulator config (no TLS policy: moto applies its Deny without the Bool condition) is flagged by S3.5 and by no other met control [aws-rule s3-deny-insecure-transport]", () => {
    const emulator = emulatorStack();
    expect(controls.check(emulator.json, MET_RULES)).toEqual([
      finding(
        controls.bucketDeniesInsecureTransport,
        `aws_s3_bucket.${emulator.resource("aws_s3_bucket").id}`,
        "has 0 bucket policies",
      ),
    ]);
  });

  test.each([
    [
      "versioning Suspended",
      (copy: SynthesizedStack) => {
        copy.resource("aws_s3_bucket_versioning").block.versioning_configuration = { status: "Suspended" };
      },
      'versioning is ["Suspended"], not Enabled',
    ],
    [
      "no versioning resource",
      (copy: SynthesizedStack) => removeResources(copy, "aws_s3_bucket_versioning"),
      "versioning is [], not Enabled",
    ],
  ])("S3.14 / CKV_AWS_21: versioning Enabled — compliant: the stack; non-compliant: %s", (_, change, message) => {
    const rule = controls.bucketVersioned;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(rule.check(mutated(change))).toEqual([finding(rule, BUCKET(), message)]);
  });

  test("CKV_AWS_19: default encryption (SSE-S3) — compliant: the stack; non-compliant: no encryption configuration, and one without sse_algorithm", () => {
    const rule = controls.bucketEncrypted;
    expect(rule.check(realStack().json)).toEqual([]);
    expect(
      rule.check(mutated((copy) => removeResources(copy, "aws_s3_bucket_server_side_encryption_configuration"))),
    ).toEqual([finding(rule, BUCKET(), "has no default encryption")]);
    const empty = mutated((copy) => {
      copy.resource("aws_s3_bucket_server_side_encryption_configuration").block.rule = [{ bucket_key_enabled: true }];
    });
    expect(rule.check(empty)).toEqual([finding(rule, BUCKET(), "has no default encryption")]);
  });

  const lifecycle = (edit: (rule: TerraformBlock) => void) => (copy: SynthesizedStack) =>
    edit(copy.resource("aws_s3_bucket_lifecycle_configuration").block.rule[0]);
  test.each([
    [
      "no abort_incomplete_multipart_upload",
      lifecycle((rule) => {
        delete rule.abort_incomplete_multipart_upload;
      }),
    ],
    [
      "the rule Disabled",
      lifecycle((rule) => {
        rule.status = "Disabled";
      }),
    ],
    [
      "the rule filtered to records/ only",
      lifecycle((rule) => {
        rule.filter = [{ prefix: "records/" }];
      }),
    ],
  ])(
    "S3.13 / CKV_AWS_300: lifecycle aborts incomplete multipart uploads — compliant: the stack; non-compliant: %s",
    (_, change) => {
      const rule = controls.bucketLifecycleAbortsIncompleteUploads;
      expect(rule.check(realStack().json)).toEqual([]);
      expect(rule.check(mutated(change))).toEqual([
        finding(rule, BUCKET(), "no enabled lifecycle rule over the whole bucket"),
      ]);
    },
  );
});
