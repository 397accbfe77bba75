import { LambdaClient } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromEnv, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { CrossAccountConfig } from "../../stacks/config";
import type { AccessMap } from "../access-map/access-map";
import { assumeInEmulator, EmulatorAccount } from "../emulator/emulator-accounts";
import { checkAccess } from "./access-check";
import type { Caller, VerifyContext } from "./context";
import { type Credentials, clientSettings, deployCredentials } from "./credentials";
import type { Deployment } from "./deployment";
import { checkInventory } from "./inventory-check";
import { BundleInvoker, type FunctionInvoker, LambdaInvoker } from "./invoker";
import { checkOrganizationWriter } from "./organization-writer-check";
import {
  type CheckOutcome,
  type CheckResult,
  type Emit,
  failed,
  messageOf,
  VERIFY_PATTERNS,
  type VerifyPattern,
} from "./outcome";
import { checkSourcePrincipals } from "./principals-check";
import { checkVending } from "./vending-check";
import { checkWriter } from "./writer-check";

/** What {@link openVerifyContext} is given besides the config and the deployment. */
export interface VerifyContextOptions {
  /** The caller's own credentials. @default - the default chain (on the emulator: keys in the environment) */
  readonly callerCredentials?: Credentials;
  readonly mfaCode?: string;
  readonly baseline?: VerifyContext["baseline"];
  /** Emulator only: where the functions' AWS clients go (a fault proxy in tests). @default - the emulator */
  readonly functionEndpoint?: string;
}

/** Builds the context: the invoker for real AWS or the emulator, each account's deploy credentials, the caller. */
export async function openVerifyContext(
  config: CrossAccountConfig,
  deployment: Deployment,
  options: VerifyContextOptions = {},
): Promise<VerifyContext> {
  const settings = (region: string, credentials: Credentials) => clientSettings(config, region, credentials);
  const sourceCredentials = deployCredentials(config, config.source);
  const emulator = config.emulator?.endpoint;
  const invoker: FunctionInvoker = emulator
    ? new BundleInvoker(
        await EmulatorAccount.open(emulator, config.source.accountId, config.source.region),
        deployment.stackDirectory,
        options.functionEndpoint,
      )
    : new LambdaInvoker(new LambdaClient(settings(config.source.region, sourceCredentials)), config.source.region);
  const instanceRoles = new Set(config.sourcePrincipals.instanceRoles.map((role) => `instance-role/${role.name}`));
  return {
    config,
    deployment,
    invoker,
    deployCredentials: (account) => deployCredentials(config, account),
    clientSettings: settings,
    caller: await callerOf(config, options.callerCredentials ?? defaultCallerCredentials(emulator)),
    // On the emulator, an instance role's credentials as instance metadata would hand them to its instances.
    principalCredentials: async (principal) =>
      emulator && instanceRoles.has(principal)
        ? assumeInEmulator(
            emulator,
            `arn:aws:iam::${config.source.accountId}:role/${principal.split("/")[1]}`,
            "i-verify",
            config.source.region,
          )
        : undefined,
    mfaCode: options.mfaCode,
    baseline: options.baseline,
    now: () => new Date(),
  };
}

/**
 * The caller's credentials when none are given: the default chain on AWS; on the emulator only keys in the
 * environment (an operator's, say), as the chain would otherwise wait on instance metadata that is not there.
 */
function defaultCallerCredentials(emulator: string | undefined): Credentials | undefined {
  if (!emulator) return fromNodeProviderChain();
  return process.env.AWS_ACCESS_KEY_ID ? fromEnv() : undefined;
}

/** Who the credentials are, or undefined when there are none (or they do not work). */
async function callerOf(config: CrossAccountConfig, credentials?: Credentials): Promise<Caller | undefined> {
  if (!credentials) return undefined;
  try {
    const sts = new STSClient(clientSettings(config, config.source.region, credentials));
    const { Arn: arn } = await sts.send(new GetCallerIdentityCommand({}));
    return arn ? { arn, credentials } : undefined;
  } catch {
    return undefined;
  }
}

/** How {@link verifyDeployment} runs. */
export interface VerifyRunOptions {
  /** @default - every pattern */
  readonly patterns?: readonly VerifyPattern[];
  /** Called as each check ends (one line per check as it runs). */
  readonly onOutcome?: (outcome: CheckOutcome) => void;
  /** Called with the deployed access map once it is made. */
  readonly onAccessMap?: (map: AccessMap) => void;
}

/** Runs the checks of each pattern in turn; a pattern that throws is one failed check naming what went wrong. */
export async function verifyDeployment(
  context: VerifyContext,
  options: VerifyRunOptions = {},
): Promise<CheckOutcome[]> {
  const checks: Record<VerifyPattern, (emit: Emit) => Promise<unknown>> = {
    writer: (emit) => checkWriter(context, emit),
    "source-principals": (emit) => checkSourcePrincipals(context, emit),
    vending: (emit) => checkVending(context, emit),
    inventory: (emit) => checkInventory(context, emit),
    "organization-writer": (emit) => checkOrganizationWriter(context, emit),
    access: async (emit) => (await checkAccess(context, options.onAccessMap)).forEach(emit),
  };
  const outcomes: CheckOutcome[] = [];
  for (const pattern of VERIFY_PATTERNS.filter((name) => options.patterns?.includes(name) ?? true)) {
    const emit: Emit = (result: CheckResult) => {
      const outcome = { pattern, ...result };
      outcomes.push(outcome);
      options.onOutcome?.(outcome);
    };
    try {
      await checks[pattern](emit);
    } catch (error) {
      emit(failed(pattern, messageOf(error)));
    }
  }
  return outcomes;
}
