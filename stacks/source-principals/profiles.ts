import {
  type CrossAccountConfig,
  type DestinationConfig,
  operatorMfaSerial,
  type PrincipalAccess,
  principalAccess,
} from "../config";

/** A ready `~/.aws/config` profile for one source principal and one destination. */
export interface PrincipalProfile {
  /** `instance-role/<name>` or `operator/<user>`. */
  readonly principal: string;
  /**
   * The profile's name, unique per principal: `<principal name>.<destination>-<access>` (destination names hold no
   * dot), so two operators of one group never write the same `[profile ...]` section.
   */
  readonly name: string;
  readonly destination: string;
  readonly access: PrincipalAccess;
  readonly roleArn: string;
  /** The profile's text, `[profile ...]` and its settings. */
  readonly profile: string;
}

/** How the profiles reach their credentials before assuming the destination role. */
export interface ProfileOptions {
  /** Where an instance's own credentials come from. @default "Ec2InstanceMetadata" */
  readonly instanceCredentialSource?: "Ec2InstanceMetadata" | "Environment";
  /** The operator's own profile (their IAM user's keys or SSO). @default "default" */
  readonly sourceProfile?: string;
}

function profileText(name: string, settings: Record<string, string | undefined>): string {
  const lines = Object.entries(settings).flatMap(([key, value]) => (value === undefined ? [] : [`${key} = ${value}`]));
  return [`[profile ${name}]`, ...lines].join("\n");
}

/**
 * Every source principal's profile for every destination it may reach: the role to assume, and how the CLI or an
 * SDK gets there by itself (instance metadata for instances; the operator's own profile and MFA device for users).
 * `roleArnOf` names the destination's role for an access: a Terraform reference in the stack, an ARN in scripts.
 */
export function principalProfiles(
  config: CrossAccountConfig,
  roleArnOf: (destination: DestinationConfig, access: PrincipalAccess) => string,
  options: ProfileOptions = {},
): PrincipalProfile[] {
  const byName = new Map(config.destinations.map((destination) => [destination.name, destination]));
  const source = config.source.accountId;
  const profiles: PrincipalProfile[] = [];
  const add = (
    principal: string,
    destinationName: string,
    access: PrincipalAccess,
    settings: Record<string, string | undefined>,
  ) => {
    const destination = byName.get(destinationName);
    if (!destination) throw new Error(`${principal} names no destination "${destinationName}"`);
    const roleArn = roleArnOf(destination, access);
    const name = `${principal.slice(principal.indexOf("/") + 1)}.${destinationName}-${access}`;
    const profile = profileText(name, {
      role_arn: roleArn,
      ...settings,
      region: destination.region,
      external_id: destination.externalId,
    });
    const earlier = profiles.findIndex((candidate) => candidate.name === name);
    if (earlier < 0) profiles.push({ principal, name, destination: destinationName, access, roleArn, profile });
    else if (profiles[earlier].principal !== principal)
      throw new Error(`the profile name "${name}" would be given to ${profiles[earlier].principal} and ${principal}`);
    // A user in two groups reaching one destination the same way: the profile with MFA satisfies both trusts.
    else if (settings.mfa_serial !== undefined) profiles[earlier] = { ...profiles[earlier], profile };
  };
  for (const role of config.sourcePrincipals.instanceRoles) {
    for (const name of role.destinations) {
      const destination = byName.get(name);
      const access = destination ? principalAccess(role, destination) : (role.access ?? "write");
      add(`instance-role/${role.name}`, name, access, {
        credential_source: options.instanceCredentialSource ?? "Ec2InstanceMetadata",
        role_session_name: role.name,
      });
    }
  }
  for (const group of config.sourcePrincipals.operators) {
    for (const user of group.users) {
      for (const name of group.destinations) {
        const destination = byName.get(name);
        const access = destination ? principalAccess(group, destination) : (group.access ?? "write");
        add(`operator/${user.name}`, name, access, {
          source_profile: options.sourceProfile ?? "default",
          mfa_serial: group.requireMfa ? operatorMfaSerial(source, user) : undefined,
          role_session_name: user.name,
        });
      }
    }
  }
  return profiles;
}
