import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { vendEnvironment } from "../../functions/vend/environment";
import { type CrossAccountConfig, type VendingConfig, vendedDestinations, vendingRoleName } from "../config";
import type { DeployedDestination } from "../destinations/deployed-destination";
import { ExecutionRole } from "../lambda/execution-role";
import { toJson } from "../policy-document";
import { directInvokeGuard } from "./direct-invoke-guard";
import { VEND_BUNDLE, VendFunction } from "./vend-function";
import { VendingRole } from "./vending-role";

/** Terraform output names of the vending pattern (fixed, so scripts and users can read them). */
export const VENDING_OUTPUTS = {
  functionUrl: "vend-function-url",
  functionName: "vend-function-name",
  executionRoleArn: "vend-role-arn",
  vendingRoles: "vending-roles",
  directInvokeGuard: "vend-direct-invoke-guard",
} as const;

export interface VendingProps {
  readonly config: CrossAccountConfig;
  /** The config's `vending` section. */
  readonly vending: VendingConfig;
  /** Provider of the source account. */
  readonly sourceProvider: AwsProvider;
  /** Every destination of the stack; those a caller names get a vending role. */
  readonly destinations: readonly DeployedDestination[];
}

/**
 * The credential vending pattern (guide 001, done safely). Source side: a Lambda behind a function URL with IAM auth
 * that only the configured callers may invoke, whose role may assume exactly the vending roles. Destination side: a
 * vending role per destination a caller names, trusting only that function's role and only with a SourceIdentity.
 */
export class Vending extends Construct {
  public readonly executionRole: ExecutionRole;
  public readonly function: VendFunction;
  /** One per destination a caller names, in the config's order. */
  public readonly vendingRoles: readonly { readonly destination: DeployedDestination; readonly role: VendingRole }[];

  constructor(scope: Construct, id: string, props: VendingProps) {
    super(scope, id);
    const { config, vending, sourceProvider } = props;
    const { bucketPrefix } = config.names;

    // A Lambda execution role with its log group, as the writer's: trusted by Lambda of the source account only.
    this.executionRole = new ExecutionRole(this, "execution-role", {
      provider: sourceProvider,
      sourceAccountId: config.source.accountId,
      roleName: vending.executionRole,
      functionName: vending.functionName,
      logRetentionDays: config.logRetentionDays,
      tracing: config.tracing,
    });

    const destinations = vendedDestinations(
      vending,
      props.destinations.map((deployed) => ({ ...deployed, name: deployed.config.name })),
    );
    this.vendingRoles = destinations.map((destination) => ({
      destination,
      role: new VendingRole(this, `vending-role-${destination.config.name}`, {
        destination,
        roleName: vendingRoleName(destination.config),
        vendFunctionRole: this.executionRole.role,
        bucketPrefix,
        callerAccess: vending.callers
          .filter((caller) => caller.destinations.includes(destination.config.name))
          .map((caller) => caller.access),
      }),
    }));

    const environment = vendEnvironment({
      destinations: this.vendingRoles.map(({ destination: { config: destination, table, bucket }, role }) => ({
        name: destination.name,
        accountId: destination.accountId,
        region: destination.region,
        roleArn: role.role.arn,
        tableName: table.table.name,
        tableArn: table.table.arn,
        bucketName: bucket.bucket.bucket,
        bucketPrefix,
      })),
      callers: vending.callers,
      stsRegion: config.source.region,
    });

    this.function = new VendFunction(this, "vend", {
      provider: sourceProvider,
      functionName: vending.functionName,
      executionRole: this.executionRole,
      vendingRoles: this.vendingRoles.map(({ role }) => role),
      callerArns: vending.callers.map((caller) => caller.arn),
      environment,
      bundle: VEND_BUNDLE,
      tracing: config.tracing,
    });

    this.addOutputs();
  }

  private addOutputs(): void {
    const outputs = {
      [VENDING_OUTPUTS.functionUrl]: {
        value: this.function.url.functionUrl,
        description:
          "Function URL of the vending function (AuthType AWS_IAM): npm run assume -- <destination> --via <url>",
      },
      [VENDING_OUTPUTS.functionName]: { value: this.function.function.functionName, description: "Vending Lambda" },
      [VENDING_OUTPUTS.executionRoleArn]: {
        value: this.executionRole.role.arn,
        description: "The vending function's execution role, the only principal its vending roles trust",
      },
      [VENDING_OUTPUTS.vendingRoles]: {
        value: Object.fromEntries(
          this.vendingRoles.map(({ destination, role }) => [destination.config.name, role.role.arn]),
        ),
        description: "Each vended destination's vending role by destination name",
      },
      [VENDING_OUTPUTS.directInvokeGuard]: {
        value: guardOutput(this.function.function.arn),
        description:
          "Deploy one of these to deny lambda:InvokeFunction on the vend function except through its URL (a direct " +
          "invoke can forge the caller): the SCP, or the statement in every permissions boundary (docs/vending.md)",
      },
    };
    for (const [outputId, output] of Object.entries(outputs)) {
      new TerraformOutput(this, outputId, output).overrideLogicalId(outputId);
    }
  }
}

/** The guard as the output shows it: both documents as JSON, ready to paste. */
function guardOutput(functionArn: string) {
  const guard = directInvokeGuard(functionArn);
  return {
    service_control_policy: toJson(guard.serviceControlPolicy),
    permissions_boundary_statement: JSON.stringify(guard.permissionsBoundaryStatement),
  };
}
