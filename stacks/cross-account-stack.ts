import { LocalBackend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { CrossAccountConfig } from "./config";
import { type DeployedDestination, deployDestinations } from "./destinations/deployed-destination";
import { composeInventory } from "./inventory/compose";
import { composeOrganizationWriter } from "./organization-writer/compose";
import {
  accountProvider,
  destinationProviders,
  INVENTORY_EMULATED_SERVICES,
  stateBackend,
  VENDING_EMULATED_SERVICES,
} from "./providers";
import { SourcePrincipals } from "./source-principals/source-principals";
import { Vending } from "./vending/vending";
import { Writer } from "./writer/writer";

export { STACK_NAME } from "./identifiers";

/**
 * cdktf leaves a construct with this id out of its resources' Terraform addresses. The writer, the first pattern,
 * uses it to keep the addresses its resources had before patterns were constructs: no deployed resource moves.
 */
const KEEP_ADDRESSES = "Default";

export interface CrossAccountStackProps {
  readonly config: CrossAccountConfig;
  /**
   * Where the local state lives when the config has no stateBackend (main.ts: the config's working folder).
   * @default - cdktf's default, terraform.<stack>.tfstate in the directory the app runs in
   */
  readonly localStatePath?: string;
}

/**
 * The source account and every destination in one stack: a provider per account and region, so every
 * cross-account ARN is a Terraform reference that resolves in a single plan. The stack owns the providers and the
 * destinations' stores and composes the access patterns; each pattern owns its roles, policies, Lambda and outputs.
 */
export class CrossAccountStack extends TerraformStack {
  /** In the order of the config's destinations. */
  public readonly destinations: readonly DeployedDestination[];
  public readonly writer: Writer;

  constructor(scope: Construct, id: string, props: CrossAccountStackProps) {
    super(scope, id);
    const { config } = props;

    if (config.stateBackend) stateBackend(this, config.stateBackend, config.emulator);
    else if (props.localStatePath) new LocalBackend(this, { path: props.localStatePath });
    const sourceProvider = accountProvider(this, {
      alias: "source",
      account: config.source,
      emulator: config.emulator,
      extraEmulatedServices: [
        ...new Set([
          ...(config.inventory ? INVENTORY_EMULATED_SERVICES : []),
          ...(config.vending ? VENDING_EMULATED_SERVICES : []),
        ]),
      ],
    });
    this.destinations = deployDestinations(this, config, destinationProviders(this, config));

    this.writer = new Writer(this, KEEP_ADDRESSES, { config, sourceProvider, destinations: this.destinations });
    const { instanceRoles, operators } = config.sourcePrincipals;
    if (instanceRoles.length + operators.length > 0) {
      new SourcePrincipals(this, "source-principals", { config, sourceProvider, destinations: this.destinations });
    }
    if (config.vending)
      new Vending(this, "vending", {
        config,
        vending: config.vending,
        sourceProvider,
        destinations: this.destinations,
      });
    // One provider for the organization account, whichever patterns reach it.
    const organization = config.organizationWriter?.organization;
    const organizationProvider =
      organization &&
      accountProvider(this, {
        alias: "organization",
        account: organization,
        emulator: config.emulator,
        extraEmulatedServices: INVENTORY_EMULATED_SERVICES,
      });
    if (config.inventory) composeInventory(this, config, sourceProvider, this.destinations, organizationProvider);
    composeOrganizationWriter(this, config, this.destinations, organizationProvider);
  }
}
