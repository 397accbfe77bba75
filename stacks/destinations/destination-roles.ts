import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import { type CrossAccountConfig, type DestinationConfig, destinationRoleName } from "../config";
import { DestinationAccessRole } from "./destination-access-role";
import { accessWithin, type DeployedStores, type StoreAccess } from "./stores";

/**
 * The roles of one destination, one per access that some pattern asks for, made on first request. The role for the
 * destination's own access is the one the writer assumes; a principal that needs less gets a role of its own, so no
 * pattern widens what another's role may do.
 */
export class DestinationRoles {
  private readonly roles = new Map<StoreAccess, DestinationAccessRole>();

  constructor(
    private readonly scope: Construct,
    private readonly idPrefix: string,
    private readonly destination: DestinationConfig,
    private readonly provider: AwsProvider,
    private readonly stores: DeployedStores,
    private readonly config: CrossAccountConfig,
  ) {}

  /** The role for `access`; throws when the destination does not offer it. */
  roleFor(access: StoreAccess): DestinationAccessRole {
    const existing = this.roles.get(access);
    if (existing) return existing;
    if (!accessWithin(access, this.destination.access)) {
      throw new Error(`destination ${this.destination.name} offers ${this.destination.access} access, not ${access}`);
    }
    const own = access === this.destination.access;
    const source = this.config.source.accountId;
    const role = new DestinationAccessRole(
      this.scope,
      own ? `${this.idPrefix}-access` : `${this.idPrefix}-${access}-access`,
      {
        provider: this.provider,
        roleName: destinationRoleName(this.destination, access),
        description: own
          ? `Assumed by ${source}'s cross-account writer to put records`
          : `Assumed by principals of ${source} for ${access} access to the records of ${this.destination.name}`,
        stores: this.stores,
        bucketPrefix: this.config.names.bucketPrefix,
        access,
        externalId: this.destination.externalId,
        organizationId: this.config.organizationId,
        maxSessionDurationSeconds: this.config.maxSessionDurationSeconds,
      },
    );
    this.roles.set(access, role);
    return role;
  }
}
