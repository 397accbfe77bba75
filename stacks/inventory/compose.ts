import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { CrossAccountConfig } from "../config";
import { accountProvider, INVENTORY_EMULATED_SERVICES } from "../providers";
import { Inventory } from "./inventory";

/**
 * The inventory pattern in a stack, with the one extra provider it needs: "organization", for the management account
 * or delegated administrator, whatever the organization's size. Returns undefined when `inventory` is not configured.
 */
export function composeInventory(
  scope: Construct,
  config: CrossAccountConfig,
  sourceProvider: AwsProvider,
): Inventory | undefined {
  const { inventory } = config;
  if (!inventory) return undefined;
  const organizationProvider =
    inventory.organization &&
    accountProvider(scope, {
      alias: "organization",
      account: inventory.organization,
      emulator: config.emulator,
      extraEmulatedServices: INVENTORY_EMULATED_SERVICES,
    });
  return new Inventory(scope, "inventory", {
    inventory,
    source: config.source,
    sourceProvider,
    ...(organizationProvider ? { organizationProvider } : {}),
    logRetentionDays: config.logRetentionDays,
    tracing: config.tracing,
    allowDataDeletion: config.allowDataDeletion,
    emulator: config.emulator !== undefined,
  });
}
