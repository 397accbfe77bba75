import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";

/**
 * What AWS fills in for a service-managed StackSet and provider 5.100 then reads back as a change on every plan
 * (hashicorp/terraform-provider-aws#23464, fixed in provider 6): ignored everywhere.
 */
export const AWS_FILLED_STACK_SET_ATTRIBUTES = ["administration_role_arn"];
/** StackSet attributes moto 5.2.1 does not keep: ignored in emulator mode only. */
export const EMULATOR_DROPPED_STACK_SET_ATTRIBUTES = ["auto_deployment", "capabilities"];

export interface ServiceManagedStackSetProps {
  /** Provider of the management account or delegated administrator. */
  readonly provider: AwsProvider;
  readonly name: string;
  readonly description: string;
  /** The template's parameters, by Terraform reference where they name what the stack makes. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The CloudFormation template, as a typed object. */
  readonly template: object;
  /** OUs (or the root) whose accounts get the stack, now and when they join later. */
  readonly organizationalUnitIds: readonly string[];
  /** The one region the stack instances are made in (IAM is global). */
  readonly region: string;
  /** Act as a delegated administrator rather than the management account. */
  readonly delegatedAdministrator: boolean;
  /** Deploying to an emulator that drops some StackSet attributes. */
  readonly emulator: boolean;
}

/**
 * A service-managed StackSet with auto-deployment (accounts that join an OU later get its stack; accounts that leave
 * lose it) and its instances in one region, made in `scope` as `stack-set` and `instances`: one way for every
 * pattern that fans a role out to an organization's OUs, so what AWS and provider 5.100 need is written once.
 */
export function serviceManagedStackSet(
  scope: Construct,
  props: ServiceManagedStackSetProps,
): { stackSet: CloudformationStackSet; instance: CloudformationStackSetInstance } {
  const { provider } = props;
  const callAs = props.delegatedAdministrator ? "DELEGATED_ADMIN" : "SELF";
  const stackSet = new CloudformationStackSet(scope, "stack-set", {
    provider,
    name: props.name,
    description: props.description,
    permissionModel: "SERVICE_MANAGED",
    callAs,
    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
    capabilities: ["CAPABILITY_NAMED_IAM"],
    parameters: { ...props.parameters },
    templateBody: JSON.stringify(props.template),
    // moto drops some attributes (emulator only); synth assertions prove the real settings.
    lifecycle: {
      ignoreChanges: [
        ...(props.emulator ? EMULATOR_DROPPED_STACK_SET_ATTRIBUTES : []),
        ...AWS_FILLED_STACK_SET_ATTRIBUTES,
      ],
    },
  });
  // No parameter_overrides or operation_preferences: provider 5.100 updates those by sending the OU ids as Accounts
  // (hashicorp/terraform-provider-aws#40675). A change of OUs replaces this resource (deployment_targets forces new).
  const instance = new CloudformationStackSetInstance(scope, "instances", {
    provider,
    stackSetName: stackSet.name,
    callAs,
    region: props.region,
    deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] },
    retainStack: false,
  });
  return { stackSet, instance };
}
