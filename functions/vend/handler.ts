import { STSClient } from "@aws-sdk/client-sts";
import { AssumeRoleRetryStrategy } from "../shared/assume-role-retry";
import { ASSUME_ROLE_MAX_ATTEMPTS, assumeRoleBackoffMs, stsAssumeRole } from "./assume-role";
import { readVendSettings } from "./environment";
import type { FunctionUrlEvent } from "./request";
import { CredentialCache, type VendDeps, type VendResponse, vendCredentials } from "./vend";

export type { VendResponse } from "./vend";

// Created once per execution environment: settings are read and checked once, the STS client and the cache of
// vended credentials are shared by every invocation.
const settings = readVendSettings(process.env);
const sts = new STSClient({
  region: settings.stsRegion,
  retryStrategy: new AssumeRoleRetryStrategy(ASSUME_ROLE_MAX_ATTEMPTS, assumeRoleBackoffMs),
});
const deps: VendDeps = {
  settings,
  assumeRole: stsAssumeRole(sts),
  now: () => new Date(),
  cache: new CredentialCache(),
};

/** Vends credentials of a destination's vending role to a configured caller of the function URL (AuthType AWS_IAM). */
export async function handler(event: FunctionUrlEvent): Promise<VendResponse> {
  return vendCredentials(event, deps);
}
