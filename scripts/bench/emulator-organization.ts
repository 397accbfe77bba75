import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import type { AwsCredentialIdentity } from "@smithy/types";
import { strToU8, zipSync } from "fflate";
import { INVENTORY_DEFAULTS } from "../../functions/inventory/environment";
import { WorkQueue } from "../../functions/inventory/work-queue";
import { assumeInEmulator } from "../lib/emulator-accounts";

const MANAGEMENT_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
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

const admin = (endpoint: string, accountId: string) =>
  assumeInEmulator(endpoint, `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, "bench-setup");

const trust = (principal: Record<string, string>) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: principal }],
  });

/**
 * An organization of `members` accounts in one OU, as the inventory meets it: the caller role in the management
 * account, and in every member the role the inventory assumes (trusting the caller) and a role for functions.
 * moto does not enforce IAM, so the roles are made to be honest about the setup, not because calls need them.
 */
export async function createOrganization(endpoint: string, members: number): Promise<EmulatorOrganization> {
  const config = { region: "us-east-1", endpoint, credentials: MANAGEMENT_CREDENTIALS };
  const organizations = new OrganizationsClient(config);
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  const { Roots: roots = [] } = await organizations.send(new ListRootsCommand({}));
  const rootId = roots[0]?.Id ?? "";
  const { OrganizationalUnit: unit } = await organizations.send(
    new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: "workloads" }),
  );
  const organizationalUnitId = unit?.Id ?? "";
  const { Role: caller } = await new IAMClient(config).send(
    new CreateRoleCommand({ RoleName: "inventory-caller", AssumeRolePolicyDocument: trust({ AWS: "123456789012" }) }),
  );
  const callerRoleArn = caller?.Arn ?? "";
  const accountIds: string[] = [];
  for (let index = 0; index < members; index += 1) {
    const name = `member-${String(index).padStart(4, "0")}`;
    const { CreateAccountStatus: status } = await organizations.send(
      new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
    );
    if (!status?.AccountId) throw new Error(`CreateAccount ${name} returned no account id`);
    accountIds.push(status.AccountId);
  }
  const functionRoles = new Map<string, string>();
  await eachLimited(accountIds, async (accountId) => {
    await organizations.send(
      new MoveAccountCommand({
        AccountId: accountId,
        SourceParentId: rootId,
        DestinationParentId: organizationalUnitId,
      }),
    );
    const iam = new IAMClient({ ...config, credentials: await admin(endpoint, accountId) });
    await iam.send(
      new CreateRoleCommand({
        RoleName: INVENTORY_DEFAULTS.roleName,
        AssumeRolePolicyDocument: trust({ AWS: callerRoleArn }),
      }),
    );
    const { Role: role } = await iam.send(
      new CreateRoleCommand({
        RoleName: "fn-role",
        AssumeRolePolicyDocument: trust({ Service: "lambda.amazonaws.com" }),
      }),
    );
    functionRoles.set(accountId, role?.Arn ?? "");
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
  const lambda = new LambdaClient({ region, endpoint, credentials: await admin(endpoint, accountId) });
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
