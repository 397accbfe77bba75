import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { type CrossAccountConfig, type PrincipalAccess, principalAccess } from "../config";
import type { DeployedDestination } from "../destinations/deployed-destination";
import { InstanceRole } from "./instance-role";
import { OperatorGroup } from "./operator-group";
import { principalProfiles } from "./profiles";

export interface SourcePrincipalsProps {
  readonly config: CrossAccountConfig;
  /** Provider of the source account. */
  readonly sourceProvider: AwsProvider;
  readonly destinations: readonly DeployedDestination[];
}

/**
 * The source-principals pattern (guides 002 and 004): EC2 instance roles and operator groups made in the source
 * account, each allowed to assume exactly its destinations' roles, and trusted by those roles, in one plan. A
 * principal that needs less than a destination's own access gets a role of its own there, so the writer's role is
 * never widened; its profiles are an output, ready for `~/.aws/config`.
 */
export class SourcePrincipals extends Construct {
  public readonly instanceRoles: readonly InstanceRole[];
  public readonly operatorGroups: readonly OperatorGroup[];

  constructor(scope: Construct, id: string, props: SourcePrincipalsProps) {
    super(scope, id);
    const { config, sourceProvider: provider } = props;
    const byName = new Map(props.destinations.map((destination) => [destination.config.name, destination]));
    const deployed = (name: string) => {
      const destination = byName.get(name);
      if (!destination) throw new Error(`sourcePrincipals names no destination "${name}"`);
      return destination;
    };
    const rolesFor = (principal: { destinations: readonly string[]; access?: PrincipalAccess }) =>
      principal.destinations.map((name) => {
        const destination = deployed(name);
        return destination.roles.roleFor(principalAccess(principal, destination.config));
      });

    this.instanceRoles = config.sourcePrincipals.instanceRoles.map(
      (role) =>
        new InstanceRole(this, `instance-role-${role.name}`, {
          provider,
          name: role.name,
          destinationRoles: rolesFor(role),
        }),
    );
    this.operatorGroups = config.sourcePrincipals.operators.map(
      (group) =>
        new OperatorGroup(this, `operators-${group.group}`, {
          provider,
          sourceAccountId: config.source.accountId,
          group: group.group,
          users: group.users,
          destinationRoles: rolesFor(group),
          requireMfa: group.requireMfa,
          maxMfaAgeSeconds: group.maxMfaAgeSeconds,
        }),
    );

    const profiles = principalProfiles(
      config,
      (destination, access) => deployed(destination.name).roles.roleFor(access).role.arn,
    );
    const value: Record<string, Record<string, { role_arn: string; access: string; profile: string }>> = {};
    for (const { principal, destination, access, roleArn, profile } of profiles) {
      value[principal] = { ...value[principal], [destination]: { role_arn: roleArn, access, profile } };
    }
    const output = new TerraformOutput(this, "source-principals", {
      value,
      description: "Each source principal's role per destination and a ready ~/.aws/config profile",
    });
    // Outputs are read by name: keep it free of the construct path's hash.
    output.overrideLogicalId("source-principals");
  }
}
