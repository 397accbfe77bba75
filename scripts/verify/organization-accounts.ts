import { OrganizationsClient, paginateListAccountsForParent } from "@aws-sdk/client-organizations";
import type { OrganizationAccountConfig } from "../../stacks/config";
import type { VerifyContext } from "./context";

/** The first ACTIVE account directly in an OU (or root), read with the organization account's deploy credentials. */
export async function firstActiveAccount(
  context: VerifyContext,
  organization: OrganizationAccountConfig,
  parentId: string,
): Promise<string | undefined> {
  const client = new OrganizationsClient(
    context.clientSettings(organization.region, context.deployCredentials(organization)),
  );
  for await (const page of paginateListAccountsForParent({ client }, { ParentId: parentId })) {
    const active = (page.Accounts ?? []).find((account) => account.Status === "ACTIVE" && account.Id);
    if (active?.Id) return active.Id;
  }
  return undefined;
}
