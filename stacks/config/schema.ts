import * as v from "valibot";
import * as field from "./fields";
import { inventorySchema } from "./inventory-schema";
import {
  MAX_CHAINED_SESSION_SECONDS,
  MAX_DESTINATIONS,
  MAX_ROLE_MAX_SESSION_SECONDS,
  MIN_ROLE_MAX_SESSION_SECONDS,
  MIN_SESSION_SECONDS,
} from "./limits";
import { organizationWriterSchema } from "./organization-writer-schema";
import { sourcePrincipalsSchema } from "./source-principals-schema";
import { tableEncryption } from "./table-encryption-schema";
import { vendingSchema } from "./vending-schema";

const accountEntries = {
  accountId: field.accountId,
  region: field.region,
  profile: v.optional(field.profile),
  deployRoleArn: v.optional(field.roleArn("OrganizationAccountAccessRole")),
};

const destinationEntries = { ...accountEntries, access: v.optional(field.access) };

/** One entry of `destinations`: a destination with its own name and, optionally, its own resource names. */
const namedDestinationSchema = field.strictObject({
  ...destinationEntries,
  name: field.destinationName,
  table: v.optional(field.tableName),
  bucket: v.optional(field.bucketName),
  role: v.optional(field.roleName),
  trustedPrincipals: v.optional(field.trustedPrincipals),
  externalId: v.optional(field.externalId),
  bulkObjects: v.optional(field.bulkObjects),
  tableEncryption: v.optional(tableEncryption),
});

const namesSchema = field.strictObject({
  table: v.optional(field.tableName),
  bucket: v.optional(field.bucketName),
  bucketPrefix: v.optional(field.bucketPrefix),
  destinationRole: v.optional(field.roleName),
  writerRole: v.optional(field.roleName),
  writerFunction: v.optional(field.functionName),
});

const stateBackendSchema = field.strictObject({
  bucket: field.bucketName,
  key: v.optional(field.objectKey),
  region: field.region,
  accountId: field.accountId,
  profile: v.optional(field.profile),
  roleArn: v.optional(field.roleArn("TerraformState")),
  lockTable: v.optional(field.tableName),
});

/** The shape of a user's config file: everything but the accounts is optional. */
export const configFileSchema = field.strictObject({
  source: field.strictObject(accountEntries),
  /** One destination; or use `destinations` for several. */
  destination: v.optional(field.strictObject(destinationEntries)),
  destinations: v.optional(
    v.pipe(
      v.array(
        namedDestinationSchema,
        (issue) => `must be an array of { name, accountId, region, access?, ... }, ${field.got(issue.input)}`,
      ),
      v.minLength(1, "must name at least one destination"),
      v.maxLength(
        MAX_DESTINATIONS,
        (issue) => `must name at most ${MAX_DESTINATIONS} destinations, got ${(issue.input as unknown[]).length}`,
      ),
    ),
  ),
  names: v.optional(namesSchema),
  externalId: v.optional(field.externalId),
  bulkObjects: v.optional(field.bulkObjects),
  tableEncryption: v.optional(tableEncryption),
  organizationId: v.optional(field.organizationId),
  trustMode: v.optional(field.trustMode),
  trustedPrincipals: v.optional(field.trustedPrincipals),
  maxSessionDurationSeconds: v.optional(
    field.sessionSeconds(MIN_ROLE_MAX_SESSION_SECONDS, MAX_ROLE_MAX_SESSION_SECONDS, "1-12 hours"),
  ),
  writerSessionDurationSeconds: v.optional(
    field.sessionSeconds(MIN_SESSION_SECONDS, MAX_CHAINED_SESSION_SECONDS, "role chaining allows at most 1 hour"),
  ),
  logRetentionDays: v.optional(field.logRetentionDays),
  /** Your accounts' role trust policy quota when raised above IAM's default. @default 2048 */
  roleTrustPolicyQuota: v.optional(field.roleTrustPolicyQuota),
  tracing: v.optional(field.boolean),
  allowDataDeletion: v.optional(field.boolean),
  stateBackend: v.optional(stateBackendSchema),
  emulator: v.optional(field.strictObject({ endpoint: field.emulatorEndpoint })),
  sourcePrincipals: v.optional(sourcePrincipalsSchema),
  vending: v.optional(vendingSchema),
  /** The inventory pattern (guide 003); off unless set. */
  inventory: v.optional(inventorySchema),
  /** Many accounts into one: an organization's accounts write into a central account; off unless set. */
  organizationWriter: v.optional(organizationWriterSchema),
});

/** What a config file may hold, before defaults. */
export type CrossAccountConfigInput = v.InferInput<typeof configFileSchema>;
/** A config file that passed {@link configFileSchema}: well-formed fields, cross-field rules not yet checked. */
export type ConfigFile = v.InferOutput<typeof configFileSchema>;
