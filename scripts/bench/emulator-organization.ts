import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { AwsCredentialIdentity } from "@smithy/types";
import { strToU8, zipSync } from "fflate";
import { INVENTORY_DEFAULTS } from "../../functions/inventory/environment";
import { WorkQueue } from "../../functions/inventory/work-queue";
import { assumeInEmulator } from "../emulator/emulator-accounts";
import {
  createEmulatorOrganization,
  createInventoryCallerRole,
  createMemberRoles,
  memberAdmin,
} from "../lib/emulator-organization";

const ZIP = zipSync({ "index.js": strToU8("exports.handler = async () => 'ok';") });
/** Setup calls in flight at once: moto serves them one at a time, a few keep it busy. */
const SETUP_CONCURRENCY = 4;

/** An organization made in the emulator: one OU of member accounts, each with the inventory's role. */
export interface EmulatorOrganization {
  readonly endpoint: string;
  readonly organizationalUnitId: string;
  readonly accountIds: readonly string[];
  /** Credentials of the inventory's caller role in the management account. */
  readonly callerCredentials: AwsCredentialIdentity;
  /** Each member account's role for its functions, by account id. */
  readonly functionRoles: ReadonlyMap<string, string>;
}

/** Runs `task` for each item, a few at a time. */
export async function eachLimited<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  const queue = new WorkQueue(SETUP_CONCURRENCY);
  for (const item of items) queue.add(() => task(item));
  await queue.drained();
}

/**
 * An organization of `members` accounts in one OU, as the inventory meets it: the caller role in the management
 * account, and in every member the role the inventory assumes (trusting the caller) and a role for functions.
 */
export async function createOrganization(endpoint: string, members: number): Promise<EmulatorOrganization> {
  const { unitId: organizationalUnitId, members: accountIds } = await createEmulatorOrganization(endpoint, members);
  const callerRoleArn = await createInventoryCallerRole(endpoint);
  const functionRoles = new Map<string, string>();
  await eachLimited(accountIds, async (accountId) => {
    functionRoles.set(
      accountId,
      await createMemberRoles(endpoint, accountId, callerRoleArn, INVENTORY_DEFAULTS.roleName),
    );
  });
  const callerCredentials = await assumeInEmulator(endpoint, callerRoleArn, "inventory");
  return { endpoint, organizationalUnitId, accountIds, callerCredentials, functionRoles };
}

/** Creates `count` functions in one member account and region. */
export async function createFunctions(
  organization: EmulatorOrganization,
  accountId: string,
  region: string,
  count: number,
): Promise<void> {
  const { endpoint } = organization;
  const lambda = new LambdaClient({ region, endpoint, credentials: await memberAdmin(endpoint, accountId) });
  const names = Array.from({ length: count }, (_, index) => `fn-${String(index).padStart(4, "0")}`);
  await eachLimited(names, async (name) => {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs22.x",
        Role: organization.functionRoles.get(accountId),
        Handler: "index.handler",
        Code: { ZipFile: ZIP },
      }),
    );
  });
  lambda.destroy();
}
