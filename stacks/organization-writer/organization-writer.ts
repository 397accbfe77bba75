import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { PARTITION_KEY, SORT_KEY } from "../../functions/organization-writer/environment";
import { ORGANIZATION_WRITER_NAMES, type OrganizationWriterConfig, unitIdOf } from "../config";
import { DestinationBucket } from "../destinations/destination-bucket";
import { DestinationTable } from "../destinations/destination-table";
import { CentralRole } from "./central-role";
import { MemberRoleStackSet } from "./member-role-stack-set";
import { CENTRAL_ROLE_PARAMETER, memberRoleTemplate } from "./member-role-template";

export interface OrganizationWriterProps {
  readonly organizationWriter: OrganizationWriterConfig;
  /** Provider of the central account (a destination's, when the central account and region is one). */
  readonly centralProvider: AwsProvider;
  /** Provider of the management account or delegated administrator (shared with the inventory's). */
  readonly organizationProvider: AwsProvider;
  /** Let `destroy` delete the central table and bucket with their records. */
  readonly allowDataDeletion: boolean;
  /** Deploying to an emulator (moto): no TLS-only bucket policy, StackSet attributes it drops ignored. */
  readonly emulator: boolean;
}

/**
 * Many accounts into one: every account of some OUs writes records into one central account. The central account
 * holds a table (partition key: the writer's account) and a bucket with a destination's controls, and one role
 * that trusts the member role of the organization's OUs only; a service-managed StackSet fans the member role out.
 */
export class OrganizationWriter extends Construct {
  public readonly table: DestinationTable;
  public readonly bucket: DestinationBucket;
  public readonly centralRole: CentralRole;
  public readonly stackSet: MemberRoleStackSet;

  constructor(scope: Construct, id: string, props: OrganizationWriterProps) {
    super(scope, id);
    const { organizationWriter: config, centralProvider: provider } = props;
    // The partition must be the account for dynamodb:LeadingKeys to fence each account in: not the writer's shape.
    this.table = new DestinationTable(this, "table", {
      provider,
      tableName: config.table,
      allowDataDeletion: props.allowDataDeletion,
      key: { partition: PARTITION_KEY, sort: SORT_KEY },
    });
    this.bucket = new DestinationBucket(this, "bucket", {
      provider,
      bucketName: config.bucket,
      allowDataDeletion: props.allowDataDeletion,
      // moto 5.2.1 cannot match the TLS-only policy's Bool condition (emulator only, as for the destinations).
      denyInsecureTransport: !props.emulator,
    });
    this.centralRole = new CentralRole(this, "central-role", {
      provider,
      roleName: config.centralRoleName,
      organizationId: config.organizationId,
      organizationalUnitPaths: config.organizationalUnitPaths,
      memberRoleName: config.memberRoleName,
      table: this.table,
      bucket: this.bucket,
      bucketPrefix: config.bucketPrefix,
    });
    const memberRole = { roleName: config.memberRoleName, ...config.memberTrust };
    this.stackSet = new MemberRoleStackSet(this, "member-role", {
      provider: props.organizationProvider,
      ...memberRole,
      stackSetName: ORGANIZATION_WRITER_NAMES.stackSet,
      centralRoleArn: this.centralRole.role.arn,
      organizationalUnitIds: config.organizationalUnitPaths.map(unitIdOf),
      region: config.organization.region,
      delegatedAdministrator: config.organization.delegatedAdministrator,
      emulator: props.emulator,
    });

    const outputs: Record<string, { value: string; description: string }> = {
      "organization-writer-central-role-arn": {
        value: this.centralRole.role.arn,
        description: "Central role every member role may assume (with the account session tag)",
      },
      "organization-writer-table-name": { value: this.table.table.name, description: "Central table" },
      "organization-writer-bucket-name": { value: this.bucket.bucket.bucket, description: "Central bucket" },
      "organization-writer-bucket-prefix": {
        value: config.bucketPrefix,
        description: "Objects go under <prefix>/<account>/",
      },
      "organization-writer-region": { value: config.central.region, description: "Central account's region" },
      "organization-writer-member-role-template": {
        value: JSON.stringify(memberRoleTemplate(memberRole)),
        description: `CloudFormation template of the member role, for accounts outside the OUs (parameter ${CENTRAL_ROLE_PARAMETER} = organization-writer-central-role-arn)`,
      },
    };
    for (const [outputId, output] of Object.entries(outputs))
      new TerraformOutput(this, outputId, output).overrideLogicalId(outputId);
  }
}
