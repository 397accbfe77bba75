import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { ENABLED_REGIONS, INVENTORY_DEFAULTS } from "../../functions/inventory/environment";
import { type AccountConfig, INVENTORY_NAMES, type InventoryConfig, inventoryReportBucketName } from "../config";
import { DestinationBucket } from "../destinations/destination-bucket";
import { ExecutionRole } from "../lambda/execution-role";
import { DirectReadRole } from "./direct-read-role";
import { InventoryFunction } from "./inventory-function";
import { OrganizationReadRole } from "./organization-read-role";
import { ReadRoleStackSet } from "./read-role-stack-set";
import { readRoleTemplate, TRUSTED_ROLE_PARAMETER } from "./role-template";

/** A listed account that the stack already reaches, with the provider it reaches it through. */
export interface DirectAccount {
  readonly accountId: string;
  readonly provider: AwsProvider;
}

export interface InventoryProps {
  readonly inventory: InventoryConfig;
  readonly source: AccountConfig;
  /** Provider of the source account: the function, its role and the report bucket. */
  readonly sourceProvider: AwsProvider;
  /** Provider of the management account or delegated administrator; required with OUs. */
  readonly organizationProvider?: AwsProvider;
  /** Accounts of `inventory.accountIds` that get the read-only role directly, through their provider. @default none */
  readonly directAccounts?: readonly DirectAccount[];
  readonly logRetentionDays: number;
  readonly tracing: boolean;
  /** Let `destroy` delete the report bucket with its reports. */
  readonly allowDataDeletion: boolean;
  /** Deploying to an emulator (moto), which drops some StackSet attributes. */
  readonly emulator: boolean;
}

/**
 * The inventory pattern (guide 003): a Lambda in the source account that lists the Lambda functions of an
 * organization's accounts and regions into a JSON Lines report in a locked-down bucket of the source account.
 * The read-only role it assumes is fanned out to the OUs' accounts by a service-managed StackSet whose trust
 * parameter is the function's execution role, by reference; a role in the organization account lists the accounts.
 */
export class Inventory extends Construct {
  public readonly executionRole: ExecutionRole;
  public readonly reportBucket: DestinationBucket;
  public readonly function: InventoryFunction;
  /** Undefined without OUs. */
  public readonly stackSet?: ReadRoleStackSet;
  /** Undefined without OUs. */
  public readonly organizationRole?: OrganizationReadRole;
  /** The read-only roles made directly in listed accounts the stack reaches, by account id. */
  public readonly directRoles: ReadonlyMap<string, DirectReadRole>;

  constructor(scope: Construct, id: string, props: InventoryProps) {
    super(scope, id);
    const { inventory, source, sourceProvider, organizationProvider } = props;
    const units = inventory.organizationalUnitIds;
    const organization = inventory.organization;
    /** The read-only role every target account gets, however it gets it. */
    const readRole = { roleName: inventory.roleName, describeRegions: inventory.regions === ENABLED_REGIONS };

    this.executionRole = new ExecutionRole(this, "execution-role", {
      provider: sourceProvider,
      sourceAccountId: source.accountId,
      roleName: INVENTORY_NAMES.executionRole,
      functionName: INVENTORY_NAMES.functionName,
      logRetentionDays: props.logRetentionDays,
      tracing: props.tracing,
    });
    this.reportBucket = new DestinationBucket(this, "report-bucket", {
      provider: sourceProvider,
      bucketName: inventoryReportBucketName(source),
      allowDataDeletion: props.allowDataDeletion,
      // moto 5.2.1 cannot match the TLS-only policy's Bool condition and would deny every put (emulator only, as for
      // the destinations' buckets; the synth tests prove the real policy).
      denyInsecureTransport: !props.emulator,
    });

    if (units.length > 0) {
      if (!organizationProvider || !organization || !inventory.organizationId)
        throw new Error(
          `Inventory ${id} targets ${units.join(", ")} and needs the organization's provider, account and id`,
        );
      this.organizationRole = new OrganizationReadRole(this, "organization-read-role", {
        provider: organizationProvider,
        roleName: INVENTORY_NAMES.organizationRole,
        trustedRoleArn: this.executionRole.role.arn,
        organizationId: inventory.organizationId,
        managementAccountId: organization.delegatedAdministrator ? "*" : organization.accountId,
      });
      this.stackSet = new ReadRoleStackSet(this, "read-role", {
        provider: organizationProvider,
        ...readRole,
        stackSetName: INVENTORY_NAMES.stackSet,
        trustedRoleArn: this.executionRole.role.arn,
        organizationalUnitIds: units,
        region: organization.region,
        delegatedAdministrator: organization.delegatedAdministrator,
        emulator: props.emulator,
      });
    }

    this.directRoles = new Map(
      (props.directAccounts ?? []).map(({ accountId, provider }) => [
        accountId,
        new DirectReadRole(this, `read-role-${accountId}`, {
          ...readRole,
          provider,
          accountId,
          trustedRoleArn: this.executionRole.role.arn,
          // Service-managed StackSets never deploy to the management account, even when they target the root.
          ...(this.stackSet && !(accountId === organization?.accountId && !organization.delegatedAdministrator)
            ? { notInUnits: this.stackSet.unitAccounts }
            : {}),
        }),
      ]),
    );

    this.function = new InventoryFunction(this, "inventory", {
      provider: sourceProvider,
      functionName: INVENTORY_NAMES.functionName,
      executionRole: this.executionRole,
      inventory,
      ...(this.organizationRole ? { organizationRoleArn: this.organizationRole.role.arn } : {}),
      reportBucket: this.reportBucket,
      sourceRegion: source.region,
      tracing: props.tracing,
    });

    const outputs: Record<string, { value: string; description: string }> = {
      "inventory-function-name": { value: this.function.function.functionName, description: "Inventory Lambda" },
      "inventory-role-arn": { value: this.executionRole.role.arn, description: "Inventory's execution role" },
      "inventory-read-role-template": {
        value: JSON.stringify(readRoleTemplate(readRole)),
        description: `CloudFormation template of the read-only role, for listed accounts outside the OUs that the stack does not reach (parameter ${TRUSTED_ROLE_PARAMETER} = inventory-role-arn)`,
      },
      "inventory-report-location": {
        value: `s3://${this.reportBucket.bucket.bucket}/${INVENTORY_DEFAULTS.reportPrefix}/`,
        description: "Where each run's JSON Lines report goes",
      },
    };
    if (this.stackSet)
      outputs["inventory-stack-set-name"] = {
        value: this.stackSet.stackSet.name,
        description: "StackSet that fans the read-only role out to the OUs",
      };
    for (const [outputId, output] of Object.entries(outputs))
      new TerraformOutput(this, outputId, output).overrideLogicalId(outputId);
  }
}
