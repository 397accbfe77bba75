import type { FunctionConfiguration } from "@aws-sdk/client-lambda";
import type { AwsCredentialIdentity } from "@smithy/types";

export const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });

/** The account a mocked client acts in: the STS mock hands out access key `key-<account>`. */
export async function accountOf(client: { config: { credentials: unknown } }): Promise<string> {
  const provider = client.config.credentials as () => Promise<AwsCredentialIdentity>;
  return (await provider()).accessKeyId.replace(/^key-/, "");
}

export async function regionOf(client: { config: { region: unknown } }): Promise<string> {
  const region = client.config.region;
  return typeof region === "function" ? await region() : String(region);
}

/** Credentials of a role by its ARN, as the STS mock answers. */
export function assumed(input: { RoleArn?: string }) {
  const account = (input.RoleArn ?? "").split(":")[4];
  return {
    Credentials: {
      AccessKeyId: `key-${account}`,
      SecretAccessKey: "secret",
      SessionToken: "token",
      Expiration: new Date(Date.now() + 3_600_000),
    },
  };
}

export function lambdaFunction(name: string, extra: Partial<FunctionConfiguration> = {}): FunctionConfiguration {
  return {
    FunctionName: name,
    FunctionArn: `arn:aws:lambda:us-east-1:222222222222:function:${name}`,
    Runtime: "nodejs22.x",
    Architectures: ["arm64"],
    MemorySize: 128,
    Timeout: 3,
    CodeSize: 1024,
    LastModified: "2025-01-01T00:00:00.000+0000",
    Role: "arn:aws:iam::222222222222:role/fn",
    PackageType: "Zip",
    Environment: { Variables: { SECRET: "hunter2" } },
    ...extra,
  };
}
