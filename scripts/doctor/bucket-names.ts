import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { awsErrorOf, describeAwsError } from "./aws-error";
import { type CheckResult, ok, problem, skipped } from "./check";
import { clientSettings, type ReachPath } from "./reach";

/** A bucket the stack will create: S3 bucket names are global across all accounts. */
export interface WantedBucket {
  readonly name: string;
  /** Where it is made: the account and region of its provider. */
  readonly accountId: string;
  readonly region: string;
  /** The config field that names it, for the fix. */
  readonly field: string;
}

/**
 * HeadBucket as the account that will own it: 404 free, 200 already there (ours), 403 someone else's (or not
 * readable by us), 301 taken in another region.
 */
export async function checkBucketName(
  bucket: WantedBucket,
  path: ReachPath,
  env: NodeJS.ProcessEnv,
): Promise<CheckResult> {
  const subject = `bucket ${bucket.name}`;
  const s3 = new S3Client({ ...clientSettings(path, bucket.region, env), followRegionRedirects: false });
  const rename = `choose another name in ${bucket.field}`;
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket.name }));
    return ok(
      "names",
      subject,
      `exists already and account ${bucket.accountId} can read it: fine if this stack made it; otherwise \`terraform import\` it or ${rename}`,
    );
  } catch (error) {
    const { httpStatusCode } = awsErrorOf(error);
    if (httpStatusCode === 404) return ok("names", subject, "free");
    if (httpStatusCode === 403) {
      return problem(
        "names",
        subject,
        `taken: the bucket exists and account ${bucket.accountId} may not read it (HeadBucket answers 403 Forbidden), so it belongs to another account`,
        rename,
      );
    }
    if (httpStatusCode === 301) {
      return problem(
        "names",
        subject,
        `taken: the bucket exists in another region than ${bucket.region} (HeadBucket answers 301)`,
        rename,
      );
    }
    return skipped("names", subject, `HeadBucket failed: ${describeAwsError(error)}`);
  } finally {
    s3.destroy();
  }
}
