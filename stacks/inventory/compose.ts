import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { CrossAccountConfig } from "../config";
import type { DeployedDestination } from "../destinations/deployed-destination";
import { accountProvider, INVENTORY_EMULATED_SERVICES } from "../providers";
import { type DirectAccount, Inventory } from "./inventory";

/**
 * The inventory pattern in a stack, with the one extra provider it needs: "organization", for the management account
 * or delegated administrator, whatever the organization's size. Listed accounts that the stack already reaches (the
 * source, a destination's account, the organization account) get the read-only role through that provider. Returns
 * undefined when `inventory` is not configured. `sharedOrganizationProvider` is the stack's when another pattern
 * (the organization writer) reaches the same organization account.
 */
export function composeInventory(
  scope: Construct,
  config: CrossAccountConfig,
  sourceProvider: AwsProvider,
  destinations: readonly DeployedDestination[],
  sharedOrganizationProvider?: AwsProvider,
): Inventory | undefined {
  const { inventory } = config;
  if (!inventory) return undefined;
  const organizationProvider =
    inventory.organization &&
    (sharedOrganizationProvider ??
      accountProvider(scope, {
        alias: "organization",
        account: inventory.organization,
        emulator: config.emulator,
        extraEmulatedServices: INVENTORY_EMULATED_SERVICES,
      }));
  const reached = new Map<string, AwsProvider>();
  if (organizationProvider && inventory.organization)
    reached.set(inventory.organization.accountId, organizationProvider);
  for (const { config: destination, provider } of [...destinations].reverse())
    reached.set(destination.accountId, provider);
  reached.set(config.source.accountId, sourceProvider);
  const directAccounts: DirectAccount[] = inventory.accountIds.flatMap((accountId) => {
    const provider = reached.get(accountId);
    return provider ? [{ accountId, provider }] : [];
  });
  return new Inventory(scope, "inventory", {
    inventory,
    source: config.source,
    sourceProvider,
    ...(organizationProvider ? { organizationProvider } : {}),
    directAccounts,
    logRetentionDays: config.logRetentionDays,
    tracing: config.tracing,
    allowDataDeletion: config.allowDataDeletion,
    emulator: config.emulator !== undefined,
  });
}
