import { Testing } from "cdktf";
import { terraformEnvironment } from "../../scripts/terraform/terraform-env";
import { resolveConfig } from "../../stacks/config";
import { CrossAccountStack, STACK_NAME } from "../../stacks/cross-account-stack";
import { inventoryWith, LISTED_ACCOUNT_ID, MANAGEMENT_ACCOUNT_ID } from "../inventory-fixtures-stack";
import { exampleWith, REAL_ACCOUNTS } from "../synth";
import { describeWithTools } from "./tools";

describeWithTools("terraform validate with the real provider (offline mirror when present)", () => {
  beforeAll(() => {
    // Testing.toBeValidTerraform runs `terraform init` and `validate` with this process's environment.
    Object.assign(process.env, terraformEnvironment());
  });

  test.each([
    ["the embedded example (emulator)", exampleWith({})],
    [
      "real accounts with ExternalId, organization and account trust",
      {
        ...REAL_ACCOUNTS,
        externalId: "partner-7f3a",
        organizationId: "o-a1b2c3d4e5",
        trustMode: "account-with-principal-arn" as const,
      },
    ],
    [
      "an inventory of an OU and listed accounts, two reached directly (with their plan-time check), on a schedule",
      inventoryWith({
        accountIds: [LISTED_ACCOUNT_ID, String(REAL_ACCOUNTS.destination?.accountId), MANAGEMENT_ACCOUNT_ID],
        schedule: "rate(1 day)",
      }),
    ],
  ])("%s is valid Terraform", (_name, input) => {
    const stack = new CrossAccountStack(Testing.app(), STACK_NAME, { config: resolveConfig(input) });
    expect(Testing.fullSynth(stack)).toBeValidTerraform();
  });
});
