import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { awsErrorOf, describeAwsError } from "./aws-error";
import { type CheckResult, ok, problem, skipped } from "./check";
import { type AccountTarget, clientSettings, profileFlag, type ReachPath } from "./reach";

/** Opt-in statuses of ec2:DescribeRegions that mean the region is usable. */
const ENABLED = new Set(["opt-in-not-required", "opted-in"]);

/**
 * The region DescribeRegions is sent to: the always-enabled us-east-1 in the aws partition (a disabled region's own
 * endpoint refuses the call), the region itself elsewhere (China, GovCloud) and on the emulator.
 */
function askingRegion(region: string, path: ReachPath): string {
  return path.kind === "emulator" || /^(cn|us-gov|us-iso[a-z]*|eu-isoe)-/.test(region) ? region : "us-east-1";
}

/**
 * Whether `region` is enabled for the account: ec2:DescribeRegions (AllRegions, the one region) and its
 * OptInStatus. Chosen over account:GetRegionOptStatus: read-only policies commonly allow it, and moto answers it.
 */
export async function checkRegion(
  target: AccountTarget,
  region: string,
  path: ReachPath,
  env: NodeJS.ProcessEnv,
): Promise<CheckResult> {
  const subject = `region ${region} in ${target.accountId}`;
  const ec2 = new EC2Client(clientSettings(path, askingRegion(region, path), env));
  try {
    const { Regions: regions = [] } = await ec2.send(
      new DescribeRegionsCommand({ AllRegions: true, RegionNames: [region] }),
    );
    const status = regions.find((entry) => entry.RegionName === region)?.OptInStatus;
    if (status && ENABLED.has(status)) return ok("regions", subject, `enabled (${status})`);
    return problem(
      "regions",
      subject,
      `${region} is not enabled for account ${target.accountId} (${status ?? "not listed"}); opt-in regions must be enabled before anything is deployed there`,
      `aws account enable-region --region-name ${region}${profileFlag(path)}`,
    );
  } catch (error) {
    const { name } = awsErrorOf(error);
    if (name === "InvalidParameterValue") {
      return problem(
        "regions",
        subject,
        `${region} is not a region AWS knows: ${describeAwsError(error)}`,
        "use a region name such as us-east-1 in the config",
      );
    }
    if (name === "UnauthorizedOperation" || name === "AccessDenied" || name === "AccessDeniedException") {
      return skipped(
        "regions",
        subject,
        `ec2:DescribeRegions is not allowed, so whether ${region} is enabled is not known: ${describeAwsError(error)}`,
      );
    }
    return skipped("regions", subject, `DescribeRegions failed: ${describeAwsError(error)}`);
  } finally {
    ec2.destroy();
  }
}
