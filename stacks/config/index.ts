/** The typed config of the cross-account stack: its file's shape, defaults, rules and where it comes from. */

export type { CrossAccountConfig } from "./cross-account-config";
export { DEFAULT_DESTINATION_NAME, keepsSingularForm } from "./defaults";
export { ConfigError } from "./errors";
export {
  EXAMPLE_CONFIG,
  EXAMPLE_DESTINATION_ACCOUNT_ID,
  EXAMPLE_SOURCE_ACCOUNT_ID,
} from "./example";
export { DEFAULT_EMULATOR_ENDPOINT } from "./fields";
export { mfaCondition } from "./iam-destination-roles";
export { statementId } from "./iam-documents";
export type { InventoryConfig, OrganizationAccountConfig } from "./inventory";
export { INVENTORY_NAMES, inventoryReportBucketName } from "./inventory";
export {
  LAMBDA_ENVIRONMENT_BYTES,
  MAX_CHAINED_SESSION_SECONDS,
  MAX_DESTINATIONS,
} from "./limits";
export { CONFIG_VARIABLE, EMULATOR_ENDPOINT_VARIABLE, loadConfig } from "./load";
export type { OperatorUser } from "./operator-users";
export { operatorMfaSerial, operatorUserArn } from "./operator-users";
export type { MemberTrustConfig, OrganizationWriterConfig } from "./organization-writer";
export { ORGANIZATION_WRITER_NAMES, unitIdOf } from "./organization-writer";
export { resolveConfig } from "./resolve";
export type { CrossAccountConfigInput } from "./schema";
export { configFileSchema } from "./schema";
export type {
  InstanceRoleConfig,
  OperatorGroupConfig,
  PrincipalAccess,
  SourcePrincipalsConfig,
} from "./source-principals";
export { destinationRoleName, principalAccess } from "./source-principals";
export type { TableEncryption } from "./table-encryption-schema";
export type {
  AccountAccess,
  AccountConfig,
  DestinationAccess,
  DestinationConfig,
  EmulatorConfig,
  ResourceNames,
  StateBackendConfig,
  TrustedPrincipal,
  TrustMode,
} from "./types";
export type { VendingCallerConfig, VendingConfig } from "./vending";
export { callerPermissionId, VEND_URL_AUTH_TYPE, vendedDestinations, vendingRoleName } from "./vending";
export {
  EXAMPLE_WORK_NAME,
  localStateFileIn,
  synthOutputIn,
  WORK_ROOT,
  workingFolder,
} from "./working-folder";
