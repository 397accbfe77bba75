import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { EmulatorConfig } from "../../stacks/config";
import { EMULATOR_DEPLOY_ROLE_NAME } from "../../stacks/identifiers";

/** An account the config names, with how the config says to reach it (stacks/providers.ts reaches it the same way). */
export interface AccountTarget {
  /** Who names it: "source", "destination", "organization", "state", ... (several when shared). */
  readonly labels: readonly string[];
  readonly accountId: string;
  /** The region the provider uses for it. */
  readonly region: string;
  readonly profile?: string;
  /** deployRoleArn (stateBackend.roleArn for the state account). */
  readonly roleArn?: string;
}

/** The one way a provider reaches an account. */
export type ReachPath =
  | { readonly kind: "emulator"; readonly endpoint: string; readonly roleArn: string }
  | { readonly kind: "profile"; readonly profile: string }
  | { readonly kind: "role"; readonly roleArn: string; readonly profile?: string }
  | { readonly kind: "default-chain" };

/** How the stack's provider reaches a target: the emulator's deploy role, a profile, a role (over a profile), or the default chain. */
export function reachPathOf(target: AccountTarget, emulator?: EmulatorConfig): ReachPath {
  if (emulator) {
    return {
      kind: "emulator",
      endpoint: emulator.endpoint.replace(/\/+$/, ""),
      roleArn: target.roleArn ?? `arn:aws:iam::${target.accountId}:role/${EMULATOR_DEPLOY_ROLE_NAME}`,
    };
  }
  if (target.roleArn) return { kind: "role", roleArn: target.roleArn, profile: target.profile };
  if (target.profile) return { kind: "profile", profile: target.profile };
  return { kind: "default-chain" };
}

/** The path in words, for the table. */
export function describeReachPath(path: ReachPath): string {
  switch (path.kind) {
    case "emulator":
      return `emulator ${path.endpoint}, role ${path.roleArn}`;
    case "profile":
      return `profile ${path.profile}`;
    case "role":
      return `role ${path.roleArn} assumed with ${path.profile ? `profile ${path.profile}` : "the default credential chain"}`;
    case "default-chain":
      return "the default credential chain";
  }
}

/**
 * What makes a fix command act as the path does: `--profile X` for a profile. For a role, the role to run it as: the
 * role's own profile signs in to another account, so `--profile` with it would act there. Nothing for the default chain.
 */
export function profileFlag(path: ReachPath): string {
  if (path.kind === "profile") return ` --profile ${path.profile}`;
  if (path.kind === "role") {
    const source = path.profile ? ` and source_profile = ${path.profile}` : "";
    return `   (as ${path.roleArn}: a profile with role_arn = ${path.roleArn}${source})`;
  }
  return "";
}

const SILENT = { debug() {}, info() {}, warn() {}, error() {}, trace() {} };

/** Shared config and credentials files the SDK reads, from the environment given. */
export function sharedFiles(env: NodeJS.ProcessEnv): { filepath?: string; configFilepath?: string } {
  return {
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
  };
}

/**
 * The default chain, bounded: instance metadata is asked once with a 1 s timeout and no retries, so a machine
 * without credentials answers in seconds and nothing is logged.
 */
export const boundedDefaultChain = (env: NodeJS.ProcessEnv): AwsCredentialIdentityProvider =>
  fromNodeProviderChain({ ...sharedFiles(env), timeout: 1000, maxRetries: 0, logger: SILENT, ignoreCache: true });

/** Credentials through exactly the path the provider takes. */
export function credentialsOf(path: ReachPath, region: string, env: NodeJS.ProcessEnv): AwsCredentialIdentityProvider {
  const session = { RoleSessionName: "cross-account-doctor" };
  switch (path.kind) {
    case "emulator":
      return fromTemporaryCredentials({
        masterCredentials: { accessKeyId: "test", secretAccessKey: "test" },
        params: { ...session, RoleArn: path.roleArn },
        clientConfig: { region, endpoint: path.endpoint, maxAttempts: 1 },
      });
    case "profile":
      return fromIni({ ...sharedFiles(env), profile: path.profile, ignoreCache: true, logger: SILENT });
    case "role":
      return fromTemporaryCredentials({
        masterCredentials: path.profile
          ? fromIni({ ...sharedFiles(env), profile: path.profile, ignoreCache: true, logger: SILENT })
          : boundedDefaultChain(env),
        params: { ...session, RoleArn: path.roleArn },
        clientConfig: { region, maxAttempts: 1 },
      });
    case "default-chain":
      return boundedDefaultChain(env);
  }
}

/** Settings of an AWS SDK client for one path and region: few retries, short timeouts, the emulator's endpoint. */
export interface ClientSettings {
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider;
  readonly endpoint?: string;
  readonly profile?: string;
  readonly forcePathStyle?: boolean;
  readonly maxAttempts: number;
  readonly requestHandler: {
    readonly connectionTimeout: number;
    readonly requestTimeout: number;
    readonly throwOnRequestTimeout: boolean;
  };
}

/** Client settings for a path in a region (the profile is passed on, so its `endpoint_url` applies too). */
export function clientSettings(path: ReachPath, region: string, env: NodeJS.ProcessEnv): ClientSettings {
  return {
    region,
    credentials: credentialsOf(path, region, env),
    ...(path.kind === "emulator" ? { endpoint: path.endpoint, forcePathStyle: true } : {}),
    ...(path.kind === "profile" ? { profile: path.profile } : {}),
    maxAttempts: 2,
    // moto builds an account's EC2 backend on its first call, tens of seconds on a busy machine (emulator only).
    requestHandler: {
      connectionTimeout: 3000,
      requestTimeout: path.kind === "emulator" ? 60_000 : 10_000,
      throwOnRequestTimeout: true,
    },
  };
}
