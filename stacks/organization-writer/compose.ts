import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { CrossAccountConfig } from "../config";
import type { DeployedDestination } from "../destinations/deployed-destination";
import { accountProvider } from "../providers";
import { OrganizationWriter } from "./organization-writer";

/**
 * The organization writer in a stack. The central account is reached through a destination's provider when it is
 * a configured destination's account and region, otherwise through one "central" provider; the organization
 * through the provider the stack shares with the inventory. Returns undefined when the section is not configured.
 */
export function composeOrganizationWriter(
  scope: Construct,
  config: CrossAccountConfig,
  destinations: readonly DeployedDestination[],
  organizationProvider: AwsProvider | undefined,
): OrganizationWriter | undefined {
  const { organizationWriter } = config;
  if (!organizationWriter || !organizationProvider) return undefined;
  const { central } = organizationWriter;
  const centralProvider =
    destinations.find(
      ({ config: destination }) => destination.accountId === central.accountId && destination.region === central.region,
    )?.provider ??
    accountProvider(scope, { alias: "central", side: "central", account: central, emulator: config.emulator });
  return new OrganizationWriter(scope, "organization-writer", {
    organizationWriter,
    centralProvider,
    organizationProvider,
    allowDataDeletion: config.allowDataDeletion,
    emulator: config.emulator !== undefined,
  });
}
