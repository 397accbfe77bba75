import { LambdaClient, paginateListFunctions } from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";

/**
 * The guides' inventory loop, the baseline of the concurrency figure: for each account, assume its role; for each
 * region, list the functions; one call at a time. Returns the functions found.
 */
export async function sequentialInventory(
  endpoint: string,
  callerCredentials: AwsCredentialIdentity,
  accountIds: readonly string[],
  regions: readonly string[],
  roleName: string,
): Promise<number> {
  const sts = new STSClient({ region: "us-east-1", endpoint, credentials: callerCredentials });
  let functions = 0;
  for (const accountId of accountIds) {
    const { Credentials: assumed } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: "guide" }),
    );
    if (!assumed?.AccessKeyId || !assumed.SecretAccessKey) throw new Error(`AssumeRole in ${accountId} failed`);
    const credentials = {
      accessKeyId: assumed.AccessKeyId,
      secretAccessKey: assumed.SecretAccessKey,
      sessionToken: assumed.SessionToken,
    };
    for (const region of regions) {
      const lambda = new LambdaClient({ region, endpoint, credentials });
      for await (const page of paginateListFunctions({ client: lambda, pageSize: 50 }, {})) {
        functions += page.Functions?.length ?? 0;
      }
      lambda.destroy();
    }
  }
  sts.destroy();
  return functions;
}
