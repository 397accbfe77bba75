import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import type { AwsCredentialIdentity } from "@smithy/types";
import { assumeInEmulator } from "../emulator/emulator-accounts";

/** moto's default account: the static test credentials act in it, so it creates (and manages) the organization. */
export const EMULATOR_MANAGEMENT_ACCOUNT_ID = "123456789012";

/** An organization made in the emulator: its id, one OU with member accounts, and accounts outside the OU. */
export interface EmulatorOrganization {
  readonly organizationId: string;
  readonly rootId: string;
  readonly unitId: string;
  /** The accounts in the OU, in the order created. */
  readonly members: readonly string[];
  /** Accounts directly under the root, not in the OU. */
  readonly outsiders: readonly string[];
}

/**
 * Creates an organization in the emulator's management account, an OU "workloads" with `members` accounts and
 * `outsiders` accounts under the root (CreateAccount, then MoveAccount into the OU).
 */
export async function createEmulatorOrganization(
  endpoint: string,
  members: number,
  outsiders = 0,
): Promise<EmulatorOrganization> {
  const organizations = new OrganizationsClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const { Organization: organization } = await organizations.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  const { Roots: roots = [] } = await organizations.send(new ListRootsCommand({}));
  const rootId = roots[0]?.Id ?? "";
  const { OrganizationalUnit: unit } = await organizations.send(
    new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: "workloads" }),
  );
  const unitId = unit?.Id ?? "";
  const create = async (name: string) => {
    const { CreateAccountStatus: status } = await organizations.send(
      new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
    );
    if (!status?.AccountId) throw new Error(`CreateAccount ${name} returned no account id`);
    return status.AccountId;
  };
  const memberIds: string[] = [];
  for (let index = 0; index < members; index += 1) {
    const accountId = await create(`member-${index}`);
    await organizations.send(
      new MoveAccountCommand({ AccountId: accountId, SourceParentId: rootId, DestinationParentId: unitId }),
    );
    memberIds.push(accountId);
  }
  const outsiderIds: string[] = [];
  for (let index = 0; index < outsiders; index += 1) outsiderIds.push(await create(`outsider-${index}`));
  return { organizationId: organization?.Id ?? "", rootId, unitId, members: memberIds, outsiders: outsiderIds };
}

/** Administrator credentials of a member account, as the organization's access role that CreateAccount made. */
export function memberAdmin(endpoint: string, accountId: string): Promise<AwsCredentialIdentity> {
  return assumeInEmulator(endpoint, `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, "setup");
}

const trust = (principal: Record<string, string>) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: principal }],
  });

/** The role the inventory runs as in the management account (trusting that account); returns its ARN. */
export async function createInventoryCallerRole(endpoint: string): Promise<string> {
  const iam = new IAMClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const { Role: caller } = await iam.send(
    new CreateRoleCommand({
      RoleName: "inventory-caller",
      AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${EMULATOR_MANAGEMENT_ACCOUNT_ID}:root` }),
    }),
  );
  return caller?.Arn ?? "";
}

/**
 * What a person would deploy in a member account: the role the inventory assumes (`roleName`, trusting the caller
 * role), and a role for the account's functions, whose ARN it returns. moto does not enforce IAM, so the roles are
 * made to be honest about the setup, not because calls need them.
 */
export async function createMemberRoles(
  endpoint: string,
  accountId: string,
  callerRoleArn: string,
  roleName: string,
): Promise<string> {
  const iam = new IAMClient({ region: "us-east-1", endpoint, credentials: await memberAdmin(endpoint, accountId) });
  await iam.send(
    new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trust({ AWS: callerRoleArn }) }),
  );
  const { Role: role } = await iam.send(
    new CreateRoleCommand({
      RoleName: "fn-role",
      AssumeRolePolicyDocument: trust({ Service: "lambda.amazonaws.com" }),
    }),
  );
  return role?.Arn ?? "";
}
