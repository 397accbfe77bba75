import { mapOfSynthesized, mapsOfPlan } from "../../scripts/access-map/sources";
import type { PlanJson } from "../../scripts/access-map/terraform-values";
import { inventoryWith, UNIT_ID } from "../inventory-fixtures-stack";
import { exampleWith, synthesize } from "../synth";

type Synthesized = ReturnType<typeof synthesize>["json"];

/**
 * A first plan as `terraform show -json` writes it: nothing in state, every ARN and every policy that names one
 * unknown until apply, each resource's provider in the configuration.
 */
function firstPlan(synthesized: Synthesized): PlanJson {
  const changes = Object.entries(synthesized.resource ?? {}).flatMap(([type, blocks]) =>
    Object.entries(blocks).map(([name, block]) => {
      const after: Record<string, unknown> = {};
      const unknown: Record<string, unknown> = { arn: true, id: true };
      for (const [key, value] of Object.entries(block)) {
        if (key === "provider" || key === "depends_on") continue;
        if (typeof value === "string" && value.includes("${")) unknown[key] = true;
        else after[key] = value;
      }
      return { type, name, address: `${type}.${name}`, change: { actions: ["create"], after, after_unknown: unknown } };
    }),
  );
  const providers = Object.fromEntries(
    (synthesized.provider?.aws ?? []).map((provider) => [
      `aws.${provider.alias}`,
      {
        expressions: {
          allowed_account_ids: { constant_value: provider.allowed_account_ids },
          region: { constant_value: provider.region },
        },
      },
    ]),
  );
  const resources = Object.entries(synthesized.resource ?? {}).flatMap(([type, blocks]) =>
    Object.entries(blocks).map(([name, block]) => ({
      address: `${type}.${name}`,
      provider_config_key: block.provider,
    })),
  );
  return { resource_changes: changes, configuration: { provider_config: providers, root_module: { resources } } };
}

describe("access map of a plan", () => {
  const synthesized = synthesize(
    exampleWith({ trustedPrincipals: [{ arn: "arn:aws:iam::111111111111:user/alice", requireMfa: true }] }),
  ).json;

  test("values known only at apply come from the synthesized stack: the planned map is the config's map", async () => {
    const { before, after } = await mapsOfPlan(firstPlan(synthesized), synthesized);
    expect(before.rows).toEqual([]);
    expect(after).toEqual(await mapOfSynthesized(synthesized));
  });

  test("without the synthesized stack an unknown policy is an error that names it", async () => {
    await expect(mapsOfPlan(firstPlan(synthesized))).rejects.toThrow(
      /aws_iam_role\.destination-access_role_[0-9A-F]+\.assume_role_policy is unknown until apply or unset; .*npm run synth/,
    );
  });

  test("a StackSet's roles come out of a plan as out of the config: blocks as lists, a parameter unknown until apply", async () => {
    const inventory = synthesize(inventoryWith({})).json;
    const plan = firstPlan(inventory);
    for (const { type, change } of plan.resource_changes ?? []) {
      const after = change.after as Record<string, unknown>;
      if (type === "aws_cloudformation_stack_set_instance") after.deployment_targets = [after.deployment_targets];
      if (type === "aws_cloudformation_stack_set") {
        // As terraform show -json writes a map with an element known only at apply.
        after.parameters = {};
        change.after_unknown = { ...change.after_unknown, parameters: { InventoryRoleArn: true } };
      }
    }
    const { after } = await mapsOfPlan(plan, inventory);
    expect(after).toEqual(await mapOfSynthesized(inventory));
    expect(after.roles).toContain(`arn:aws:iam::${UNIT_ID}:role/CrossAccountListFunctionsRole`);
  });
});
