import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { listTargetAccounts } from "../../functions/inventory/accounts";
import type { RequestRewrite } from "./fault-proxy";

/** The operation {@link deleteStackInstancesByAccount} rewrites, as the fault proxy names it. */
export const DELETE_STACK_INSTANCES = "CloudFormation.DeleteStackInstances";

const UNIT_TARGET = /^DeploymentTargets\.OrganizationalUnitIds\.member\.\d+$/;
const ACCOUNT = /^Accounts\.member\.\d+$/;

/**
 * moto 5.2.1's DeleteStackInstances reads only `Accounts` and ignores `DeploymentTargets`, which is all Terraform sends
 * for an OU target: the instances would stay and the StackSet could not be deleted. AWS deletes the instances of the
 * OUs' accounts; this rewrite (for the fault proxy, in emulator tests only) names those accounts, listed from the
 * emulator's Organizations as the management account sees them (suspended ones too), so `terraform destroy` runs unchanged. A request that
 * already names accounts, or no OU, is forwarded as it is.
 */
export function deleteStackInstancesByAccount(endpoint: string): RequestRewrite {
  const organizations = new OrganizationsClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  return async (body) => {
    const form = new URLSearchParams(body);
    const keys = [...form.keys()];
    const organizationalUnitIds = keys.filter((key) => UNIT_TARGET.test(key)).map((key) => form.get(key) ?? "");
    if (organizationalUnitIds.length === 0 || keys.some((key) => ACCOUNT.test(key))) return body;
    const { accounts, skipped } = await listTargetAccounts(organizations, { organizationalUnitIds, accountIds: [] });
    for (const [index, { accountId }] of [...accounts, ...skipped].entries())
      form.append(`Accounts.member.${index + 1}`, accountId);
    return form.toString();
  };
}
