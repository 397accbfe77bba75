import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import type { AssumeRole } from "./vend";

/**
 * Attempts per AssumeRole and the waits between them (0.5, 1, 2 s), shorter than the writer's: a person or a
 * `credential_process` waits on this answer, and hears of a broken trust in seconds.
 */
export const ASSUME_ROLE_MAX_ATTEMPTS = 4;
export const assumeRoleBackoffMs = (attempt: number) => Math.min(500 * 2 ** (attempt - 1), 2000);

/** {@link AssumeRole} over a real STS client. */
export function stsAssumeRole(sts: STSClient): AssumeRole {
  return async (params) => {
    const { Credentials } = await sts.send(new AssumeRoleCommand({ ...params, Tags: [...params.Tags] }));
    const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = Credentials ?? {};
    if (!AccessKeyId || !SecretAccessKey || !SessionToken || !Expiration) {
      throw Object.assign(new Error(`STS answered AssumeRole on ${params.RoleArn} without complete credentials`), {
        name: "IncompleteCredentials",
      });
    }
    return { AccessKeyId, SecretAccessKey, SessionToken, Expiration };
  };
}
