import { AwsProvider, type AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import { S3Backend, type S3BackendConfig, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type {
  AccountConfig,
  CrossAccountConfig,
  DestinationConfig,
  EmulatorConfig,
  StateBackendConfig,
} from "./config";
import { EMULATOR_DEPLOY_ROLE_NAME } from "./identifiers";

/** The AWS services the stack deploys to; in emulator mode each gets the emulator's endpoint. */
export const EMULATED_SERVICES = ["cloudwatchlogs", "dynamodb", "iam", "lambda", "s3", "sts"] as const;
/** What the inventory pattern adds: its StackSet (cloudformation), its schedule (events) and its OUs read at plan. */
export const INVENTORY_EMULATED_SERVICES = ["cloudformation", "events", "organizations"] as const;
/** What the vending pattern adds: the CloudFormation stack of its URL-only invoke permissions. */
export const VENDING_EMULATED_SERVICES = ["cloudformation"] as const;

export interface AccountProviderProps {
  /** Provider alias, also used as construct id: "source", "destination", "destination-<account>-<region>", "organization". */
  readonly alias: string;
  /** Tagged on every resource as `cross-account-side`. @default - the alias */
  readonly side?: "source" | "destination" | "organization" | "central";
  readonly account: AccountConfig;
  /** @default - real AWS */
  readonly emulator?: EmulatorConfig;
  /** Services besides {@link EMULATED_SERVICES} that get the emulator's endpoint. @default - none */
  readonly extraEmulatedServices?: readonly string[];
}

/**
 * One aliased AWS provider bound to one account: `allowed_account_ids` makes Terraform stop before touching
 * anything when the credentials belong to another account.
 */
export function accountProvider(scope: Construct, props: AccountProviderProps): AwsProvider {
  const { alias, account, emulator, side = alias, extraEmulatedServices = [] } = props;
  const config: AwsProviderConfig = {
    alias,
    region: account.region,
    allowedAccountIds: [account.accountId],
    profile: account.profile,
    assumeRole: account.deployRoleArn
      ? [{ roleArn: account.deployRoleArn, sessionName: `cdktf-deploy-${alias}` }]
      : undefined,
    defaultTags: [{ tags: { "managed-by": "cdktf-cross-account-sts", "cross-account-side": side } }],
  };
  return new AwsProvider(
    scope,
    alias,
    emulator ? { ...config, ...emulatorSettings(account, emulator, extraEmulatedServices) } : config,
  );
}

/**
 * Provider alias of a destination's account and region: "destination" while there is one such pair, otherwise
 * "destination-<account>-<region>". A provider's alias is not part of a resource's address, so this replaces nothing.
 */
export function destinationProviderAlias(
  destination: Pick<DestinationConfig, "accountId" | "region">,
  pairs: number,
): string {
  return pairs === 1 ? "destination" : `destination-${destination.accountId}-${destination.region}`;
}

/**
 * The providers of the destinations' accounts and regions, made on first use: one per account and region, shared
 * by the destinations there. Returns the lookup.
 */
export function destinationProviders(
  scope: Construct,
  config: CrossAccountConfig,
): (destination: DestinationConfig) => AwsProvider {
  const pairs = new Set(config.destinations.map((destination) => `${destination.accountId}/${destination.region}`))
    .size;
  const providers = new Map<string, AwsProvider>();
  return (destination) => {
    const alias = destinationProviderAlias(destination, pairs);
    const provider =
      providers.get(alias) ??
      accountProvider(scope, { alias, side: "destination", account: destination, emulator: config.emulator });
    providers.set(alias, provider);
    return provider;
  };
}

function emulatorSettings(
  account: AccountConfig,
  emulator: EmulatorConfig,
  extraServices: readonly string[],
): Partial<AwsProviderConfig> {
  const endpoint = emulator.endpoint.replace(/\/+$/, "");
  return {
    // Static test credentials of the emulator; assuming a role in the account is what selects the account there.
    accessKey: "test",
    secretKey: "test",
    profile: undefined,
    assumeRole: [
      {
        roleArn: account.deployRoleArn ?? `arn:aws:iam::${account.accountId}:role/${EMULATOR_DEPLOY_ROLE_NAME}`,
        sessionName: "cdktf-deploy",
      },
    ],
    skipMetadataApiCheck: "true",
    s3UsePathStyle: true,
    endpoints: [Object.fromEntries([...EMULATED_SERVICES, ...extraServices].map((service) => [service, endpoint]))],
  };
}

/**
 * Keeps the stack's state in S3, encrypted, with locking: S3 native lock files unless a DynamoDB lock table is
 * named. `allowed_account_ids` guards the state account as it guards the others.
 */
export function stateBackend(stack: TerraformStack, state: StateBackendConfig, emulator?: EmulatorConfig): S3Backend {
  const roleArn =
    state.roleArn ?? (emulator ? `arn:aws:iam::${state.accountId}:role/${EMULATOR_DEPLOY_ROLE_NAME}` : undefined);
  const config: S3BackendConfig = {
    bucket: state.bucket,
    key: state.key,
    region: state.region,
    encrypt: true,
    allowedAccountIds: [state.accountId],
    profile: emulator ? undefined : state.profile,
    dynamodbTable: state.lockTable,
    assumeRole: roleArn ? { roleArn, sessionName: "cdktf-state" } : undefined,
    ...(emulator
      ? {
          accessKey: "test",
          secretKey: "test",
          skipMetadataApiCheck: true,
          usePathStyle: true,
          endpoints: {
            s3: emulator.endpoint,
            sts: emulator.endpoint,
            dynamodb: emulator.endpoint,
            iam: emulator.endpoint,
          },
        }
      : {}),
  };
  const backend = new S3Backend(stack, config);
  // cdktf 0.21 predates use_lockfile (GA in Terraform 1.11, MIN_TERRAFORM_VERSION): set it on the backend block.
  if (!state.lockTable) stack.addOverride("terraform.backend.s3.use_lockfile", true);
  return backend;
}
