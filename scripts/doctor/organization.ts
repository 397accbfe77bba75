import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  ListRootsCommand,
  OrganizationsClient,
  paginateListAWSServiceAccessForOrganization,
  paginateListDelegatedAdministrators,
} from "@aws-sdk/client-organizations";
import type { OrganizationAccountConfig } from "../../stacks/config";
import { awsErrorOf, describeAwsError } from "./aws-error";
import { type CheckResult, ok, problem } from "./check";
import { clientSettings, profileFlag, type ReachPath } from "./reach";

/** The service principal of CloudFormation StackSets in AWS Organizations (trusted access, delegated administrators). */
export const STACKSETS_SERVICE_PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com";

const GROUP = "organization";

/** What the config's patterns need of the organization: the OUs (or roots) they target, its id, where they say so. */
export interface OrganizationNeeds {
  readonly organizationalUnitIds: readonly string[];
  readonly organizationId?: string;
  /** The config section the fixes name. @default "inventory" */
  readonly section?: "inventory" | "organizationWriter";
}

/**
 * The organization the inventory and the organization writer fan out to, read from its account through the
 * provider's path: the organization id, StackSets' trusted access, the delegated administrator where the config says
 * so, and each OU. Organizations is a global service (us-east-1).
 */
export async function checkOrganization(
  inventory: OrganizationNeeds,
  organization: OrganizationAccountConfig,
  path: ReachPath,
  env: NodeJS.ProcessEnv,
): Promise<CheckResult[]> {
  const client = new OrganizationsClient(clientSettings(path, "us-east-1", env));
  const as = profileFlag(path);
  try {
    return await Promise.all([
      organizationId(client, inventory, organization),
      // Only the management account activates trusted access: the profile of a delegated administrator would not do.
      trustedAccess(client, organization.delegatedAdministrator ? "" : as, inventory.section ?? "inventory"),
      ...(organization.delegatedAdministrator ? [delegatedAdministrator(client, organization.accountId)] : []),
      ...inventory.organizationalUnitIds.map((id) => unitExists(client, id, inventory.section ?? "inventory")),
    ]);
  } finally {
    client.destroy();
  }
}

async function organizationId(
  client: OrganizationsClient,
  inventory: OrganizationNeeds,
  organization: OrganizationAccountConfig,
): Promise<CheckResult> {
  const subject = `organization of ${organization.accountId}`;
  const section = inventory.section ?? "inventory";
  try {
    const { Organization: found } = await client.send(new DescribeOrganizationCommand({}));
    if (inventory.organizationId && found?.Id !== inventory.organizationId) {
      return problem(
        GROUP,
        subject,
        `account ${organization.accountId} is in organization ${found?.Id}, but the config says ${inventory.organizationId}`,
        `set ${section}.organizationId (or organizationId) to "${found?.Id}"`,
      );
    }
    if (!organization.delegatedAdministrator && found?.MasterAccountId !== organization.accountId) {
      return problem(
        GROUP,
        subject,
        `account ${organization.accountId} is not the management account (${found?.MasterAccountId}) of ${found?.Id}: only it, or a delegated administrator, can hold the StackSet`,
        `set ${section}.organization.accountId to "${found?.MasterAccountId}", or set ${section}.organization.delegatedAdministrator to true and register ${organization.accountId}`,
      );
    }
    return ok(GROUP, subject, `${found?.Id}, management account ${found?.MasterAccountId}`);
  } catch (error) {
    if (awsErrorOf(error).name === "AWSOrganizationsNotInUseException") {
      return problem(
        GROUP,
        subject,
        `account ${organization.accountId} is not in an organization: ${describeAwsError(error)}`,
        `set ${section}.organization to the management account of your organization (or remove its OUs)`,
      );
    }
    return problem(
      GROUP,
      subject,
      `DescribeOrganization failed: ${describeAwsError(error)}`,
      "allow organizations:DescribeOrganization for the path above",
    );
  }
}

async function trustedAccess(client: OrganizationsClient, as: string, section: string): Promise<CheckResult> {
  const subject = "StackSets trusted access";
  try {
    for await (const page of paginateListAWSServiceAccessForOrganization({ client }, {})) {
      const enabled = page.EnabledServicePrincipals?.find(
        (entry) => entry.ServicePrincipal === STACKSETS_SERVICE_PRINCIPAL,
      );
      if (enabled)
        return ok(
          GROUP,
          subject,
          `${STACKSETS_SERVICE_PRINCIPAL} enabled${enabled.DateEnabled ? ` on ${enabled.DateEnabled.toISOString().slice(0, 10)}` : ""}`,
        );
    }
    return problem(
      GROUP,
      subject,
      `trusted access between CloudFormation StackSets and Organizations is not activated: a service-managed StackSet cannot be created`,
      `aws cloudformation activate-organizations-access${as} (in the management account)`,
    );
  } catch (error) {
    return problem(
      GROUP,
      subject,
      `ListAWSServiceAccessForOrganization failed: ${describeAwsError(error)}`,
      `run the doctor with the management account (or a delegated administrator) in ${section}.organization`,
    );
  }
}

async function delegatedAdministrator(client: OrganizationsClient, accountId: string): Promise<CheckResult> {
  const subject = `delegated administrator ${accountId}`;
  const register = `aws organizations register-delegated-administrator --account-id ${accountId} --service-principal ${STACKSETS_SERVICE_PRINCIPAL} (in the management account)`;
  try {
    for await (const page of paginateListDelegatedAdministrators(
      { client },
      { ServicePrincipal: STACKSETS_SERVICE_PRINCIPAL },
    )) {
      if (page.DelegatedAdministrators?.some((admin) => admin.Id === accountId)) {
        return ok(GROUP, subject, `registered for ${STACKSETS_SERVICE_PRINCIPAL}`);
      }
    }
    return problem(
      GROUP,
      subject,
      `${accountId} is not registered as a delegated administrator of StackSets`,
      register,
    );
  } catch (error) {
    const { name } = awsErrorOf(error);
    // Only the management account and delegated administrators may list them: a refusal means not registered.
    if (name === "AccessDeniedException") {
      return problem(
        GROUP,
        subject,
        `${accountId} may not list delegated administrators, so it is not one: ${describeAwsError(error)}`,
        register,
      );
    }
    return problem(GROUP, subject, `ListDelegatedAdministrators failed: ${describeAwsError(error)}`, register);
  }
}

async function unitExists(client: OrganizationsClient, id: string, section: string): Promise<CheckResult> {
  const subject = id.startsWith("r-") ? `root ${id}` : `OU ${id}`;
  const fix = `correct ${section === "inventory" ? "inventory.organizationalUnitIds" : "organizationWriter.organizationalUnitPaths"} (aws organizations list-roots, aws organizations list-organizational-units-for-parent --parent-id <root id>)`;
  try {
    if (id.startsWith("r-")) {
      const { Roots: roots = [] } = await client.send(new ListRootsCommand({}));
      return roots.some((root) => root.Id === id)
        ? ok(GROUP, subject, "exists")
        : problem(
            GROUP,
            subject,
            `root ${id} is not the organization's root (${roots.map((root) => root.Id).join(", ")})`,
            fix,
          );
    }
    const { OrganizationalUnit: unit } = await client.send(
      new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: id }),
    );
    return ok(GROUP, subject, `exists (${unit?.Name})`);
  } catch (error) {
    if (awsErrorOf(error).name === "OrganizationalUnitNotFoundException") {
      return problem(GROUP, subject, `${id} does not exist in the organization: ${describeAwsError(error)}`, fix);
    }
    return problem(GROUP, subject, `DescribeOrganizationalUnit failed: ${describeAwsError(error)}`, fix);
  }
}
