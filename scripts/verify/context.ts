import type { AccountConfig, CrossAccountConfig } from "../../stacks/config";
import type { AccessMap } from "../access-map/access-map";
import type { Credentials } from "./credentials";
import type { Deployment } from "./deployment";
import type { FunctionInvoker } from "./invoker";

/** Whoever runs verify, as STS knows them: their ARN and their credentials. */
export interface Caller {
  /** `arn:aws:iam::<account>:user/<name>` or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  readonly arn: string;
  readonly credentials: Credentials;
}

/** Everything a check needs: what is deployed, how to run its functions and how to reach each account. */
export interface VerifyContext {
  readonly config: CrossAccountConfig;
  readonly deployment: Deployment;
  readonly invoker: FunctionInvoker;
  /** Credentials with which the stack's provider deploys an account (reading back and removing the probe). */
  readonly deployCredentials: (account: AccountConfig) => Credentials;
  /** An AWS SDK client's settings for a region with credentials (the emulator's endpoint in emulator mode). */
  readonly clientSettings: (region: string, credentials: Credentials) => Record<string, unknown>;
  /** The caller's own credentials, when there are any: used for the principals and callers they are. */
  readonly caller?: Caller;
  /**
   * Credentials of source principals at hand besides the caller, by principal (`instance-role/<name>`,
   * `operator/<user>`): on the emulator, instance roles' credentials as instance metadata would hand them.
   */
  readonly principalCredentials?: (principal: string) => Promise<Credentials | undefined>;
  /** A current code of an operator's MFA device, for operators whose role requires MFA. */
  readonly mfaCode?: string;
  /** The access map that the deployed access must stay within, and where it came from. */
  readonly baseline?: { readonly map: Pick<AccessMap, "rows" | "outside">; readonly name: string };
  readonly now: () => Date;
}
