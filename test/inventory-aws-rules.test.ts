import { INVENTORY_NAMES, resolveConfig } from "../stacks/config";
import { problemsOf } from "./config-fixtures";
import { inventoryWith, UNIT_ID, WITH_INVENTORY } from "./inventory-fixtures-stack";
import { synthesize } from "./synth";

// What AWS (and provider 5.100 against AWS) does that moto 5.2.1 does not, encoded in what the stack emits.
const EMULATOR = { endpoint: "http://127.0.0.1:5000" };
const stack = synthesize(WITH_INVENTORY);
const stackSet = stack.resource("aws_cloudformation_stack_set");

describe("Inventory against real AWS", () => {
  test("[aws-rule stackset-administration-role-arn] AWS fills administration_role_arn of a service-managed StackSet, which provider 5.100 would plan to remove on every plan: ignored against AWS too", () => {
    expect(stackSet.block.permission_model).toBe("SERVICE_MANAGED");
    expect(stackSet.block.administration_role_arn).toBeUndefined();
    expect(stackSet.block.lifecycle).toEqual({ ignore_changes: ["administration_role_arn"] });
  });

  test("emulator mode ignores, besides, what moto drops (auto_deployment, capabilities); nothing more against AWS", () => {
    const emulated = synthesize({ ...WITH_INVENTORY, emulator: EMULATOR });
    expect(emulated.resource("aws_cloudformation_stack_set").block.lifecycle).toEqual({
      ignore_changes: ["auto_deployment", "capabilities", "administration_role_arn"],
    });
    expect(emulated.json.provider?.aws?.[2].endpoints[0]).toMatchObject({ cloudformation: "http://127.0.0.1:5000" });
  });

  test("[aws-rule stackset-ou-instances] one instance resource targets the OUs by deployment_targets in one region, with nothing that provider 5.100 updates in place (it would send the OU ids as Accounts): the trust parameter is the StackSet's", () => {
    const instance = stack.resource("aws_cloudformation_stack_set_instance").block;
    expect(Object.keys(instance).sort()).toEqual(
      ["call_as", "deployment_targets", "provider", "region", "retain_stack", "stack_set_name"].sort(),
    );
    expect(instance.deployment_targets).toEqual({ organizational_unit_ids: [UNIT_ID] });
    expect(Object.keys(stackSet.block.parameters)).toEqual(["InventoryRoleArn"]);
  });

  test("[aws-rule stackset-ou-instances] at most 50 OUs, as CreateStackInstances takes no more: 51 fail the config", () => {
    const units = (count: number) =>
      Array.from({ length: count }, (_, index) => `ou-ab12-${String(index).padStart(8, "0")}`);
    expect(
      resolveConfig(inventoryWith({ organizationalUnitIds: units(50) })).inventory?.organizationalUnitIds,
    ).toHaveLength(50);
    expect(problemsOf(inventoryWith({ organizationalUnitIds: units(51) }))).toEqual([
      "inventory.organizationalUnitIds must name at most 50 OUs, as CloudFormation's CreateStackInstances takes no more: target their parent OU or the root instead, got 51",
    ]);
  });

  test("[aws-rule lambda-async-retries] an asynchronous run that fails is not retried, and one not started within an hour is dropped", () => {
    const fn = stack.resource("aws_lambda_function", "function_name", INVENTORY_NAMES.functionName);
    const expected = {
      function_name: stack.reference("aws_lambda_function", fn.id, "function_name"),
      maximum_retry_attempts: 0,
      maximum_event_age_in_seconds: 3600,
      provider: "aws.source",
    };
    expect(stack.resource("aws_lambda_function_event_invoke_config").block).toEqual(expected);
    // The same with a schedule, whose EventBridge target invokes the function asynchronously.
    const scheduled = synthesize(inventoryWith({ schedule: "rate(1 day)" }));
    expect(scheduled.resource("aws_lambda_function_event_invoke_config").block).toEqual({
      ...expected,
      function_name: scheduled.reference(
        "aws_lambda_function",
        scheduled.resource("aws_lambda_function", "function_name", INVENTORY_NAMES.functionName).id,
        "function_name",
      ),
    });
  });
});
