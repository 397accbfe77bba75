import type { InventoryConfig } from "./inventory";
import type { OrganizationWriterConfig } from "./organization-writer";
import type { SourcePrincipalsConfig } from "./source-principals";
import type {
  AccountConfig,
  DestinationConfig,
  EmulatorConfig,
  ResourceNames,
  StateBackendConfig,
  TrustedPrincipal,
  TrustMode,
} from "./types";
import type { VendingConfig } from "./vending";

/** The resolved config: the top of the config's types, made of the shared ones (types.ts) and each pattern's section. */
export interface CrossAccountConfig {
  readonly source: AccountConfig;
  /** At least one; from `destination` (one, named "destination") or `destinations` in the config file. */
  readonly destinations: readonly DestinationConfig[];
  readonly names: ResourceNames;
  /** `sts:ExternalId` the destination role requires and the writer sends. @default - none (accounts you own) */
  readonly externalId?: string;
  /** `aws:PrincipalOrgID` the destination role requires of the caller. @default - none */
  readonly organizationId?: string;
  /** @default "role-arn" */
  readonly trustMode: TrustMode;
  /**
   * The config-wide `trustedPrincipals`, as the file lists them: every destination's `trustedPrincipals` starts with
   * these, then its own. @default - none
   */
  readonly trustedPrincipals: readonly TrustedPrincipal[];
  /** MaxSessionDuration of the destination role, 3600-43200 s. @default 3600 */
  readonly maxSessionDurationSeconds: number;
  /** Session the writer asks for: role chaining caps it at 3600 s. @default 3600 */
  readonly writerSessionDurationSeconds: number;
  /** Retention of the writer's log group, one of CloudWatch's allowed values. @default 30 */
  readonly logRetentionDays: number;
  /** X-Ray active tracing for the writer. @default true */
  readonly tracing: boolean;
  /**
   * Let `destroy` delete the table and the bucket with their data (turns off deletion protection and sets
   * force_destroy). Deliberately an opt-in. @default false
   */
  readonly allowDataDeletion: boolean;
  /** Deploy into a local emulator instead of AWS. @default - real AWS */
  readonly emulator?: EmulatorConfig;
  /** Remote state in S3 with locking. @default - local state (terraform.cross-account.tfstate) */
  readonly stateBackend?: StateBackendConfig;
  /** EC2 instance roles and operator groups the stack makes in the source account. @default - none */
  readonly sourcePrincipals: SourcePrincipalsConfig;
  /** Credential vending to named callers ([docs/vending.md]). @default - off */
  readonly vending?: VendingConfig;
  /** The inventory pattern: the Lambda functions of an organization's accounts. @default - off */
  readonly inventory?: InventoryConfig;
  /** Many accounts into one: the organization writer ([docs/organization-writer.md]). @default - off */
  readonly organizationWriter?: OrganizationWriterConfig;
}
