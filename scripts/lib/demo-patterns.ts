import { CreateAccessKeyCommand, CreateUserCommand } from "@aws-sdk/client-iam";
import type { AwsCredentialIdentity } from "@smithy/types";
import { type CrossAccountConfigInput, EXAMPLE_SOURCE_ACCOUNT_ID } from "../../stacks/config";
import { EmulatorAccount } from "../emulator/emulator-accounts";
import { UsageError } from "../shared/process";
import { emulatorConfig } from "../terraform/cdktf-project";
import { createEmulatorOrganization, EMULATOR_MANAGEMENT_ACCOUNT_ID } from "./emulator-organization";
import { DELETE_STACK_INSTANCES, deleteStackInstancesByAccount } from "./emulator-stack-sets";
import { FaultProxy } from "./fault-proxy";

/** The patterns `npm start` can deploy; the writer's destination is the stack's core and always deployed. */
export const DEMO_PATTERNS = ["writer", "source-principals", "vending", "inventory"] as const;
export type DemoPattern = (typeof DEMO_PATTERNS)[number];

/** The demo's operator: an IAM user the demo makes before the deploy (the stack makes groups, not users). */
export const DEMO_OPERATOR = "alice";
/** The demo's vending caller (a role of the source account; the emulator runs the bundle with its ARN). */
export const DEMO_VENDING_CALLER = `arn:aws:iam::${EXAMPLE_SOURCE_ACCOUNT_ID}:role/reporting`;
/** moto accepts any MFA code; on AWS it is the code the operator's device shows. */
export const DEMO_MFA_CODE = "123456";

/** `--pattern` values: each named once, from {@link DEMO_PATTERNS}; none means all. */
export function demoPatternsOf(names: readonly string[]): DemoPattern[] {
  for (const name of names)
    if (!(DEMO_PATTERNS as readonly string[]).includes(name))
      throw new UsageError(`--pattern must be one of ${DEMO_PATTERNS.join(", ")}, got ${JSON.stringify(name)}`);
  return names.length === 0 ? [...DEMO_PATTERNS] : DEMO_PATTERNS.filter((pattern) => names.includes(pattern));
}

/** What the demo made in the emulator before the deploy, and the config that deploys the chosen patterns. */
export interface DemoSetup {
  readonly config: CrossAccountConfigInput;
  /** The operator's access keys (with source principals). */
  readonly operator?: AwsCredentialIdentity;
  /**
   * Terraform's endpoint with the inventory, unless kept: translates the StackSet requests moto does not understand,
   * and lives only as long as this process.
   */
  readonly translator?: FaultProxy;
  /** Member accounts of the emulator's organization (with the inventory). */
  readonly members: readonly string[];
  /** One line per thing made, for the progress output. */
  readonly made: readonly string[];
}

/**
 * The embedded example plus the chosen patterns, built at run time because the organization's ids exist only once
 * the emulator made them: an instance role and an MFA operator for the destination, a vending caller with read
 * access, and the inventory over an organization of one OU with one member account, in one region.
 */
export async function prepareDemo(
  endpoint: string,
  patterns: readonly DemoPattern[],
  options: { translate: boolean } = { translate: true },
): Promise<DemoSetup> {
  const overrides: Partial<CrossAccountConfigInput> = {};
  const made: string[] = [];
  let operator: AwsCredentialIdentity | undefined;
  let translator: FaultProxy | undefined;
  let members: string[] = [];
  if (patterns.includes("source-principals")) {
    const source = await EmulatorAccount.open(endpoint, EXAMPLE_SOURCE_ACCOUNT_ID);
    await source.iam.send(new CreateUserCommand({ UserName: DEMO_OPERATOR }));
    const { AccessKey: key } = await source.iam.send(new CreateAccessKeyCommand({ UserName: DEMO_OPERATOR }));
    operator = { accessKeyId: key?.AccessKeyId ?? "", secretAccessKey: key?.SecretAccessKey ?? "" };
    made.push(`IAM user ${DEMO_OPERATOR} in ${EXAMPLE_SOURCE_ACCOUNT_ID} (the operator; the stack makes its group)`);
    overrides.sourcePrincipals = {
      instanceRoles: [{ name: "batch-ec2", destinations: ["destination"] }],
      operators: [{ group: "operators", users: [DEMO_OPERATOR], destinations: ["destination"] }],
    };
  }
  if (patterns.includes("vending"))
    overrides.vending = { callers: [{ arn: DEMO_VENDING_CALLER, destinations: ["destination"], access: "read" }] };
  if (patterns.includes("inventory")) {
    const organization = await createEmulatorOrganization(endpoint, 1);
    members = [...organization.members];
    made.push(
      `organization ${organization.organizationId}: OU ${organization.unitId} with member account ${members.join(", ")}`,
    );
    // moto ignores the OU targets of DeleteStackInstances: the translator names the OU's accounts (docs/inventory.md).
    if (options.translate) {
      translator = await FaultProxy.start(endpoint);
      translator.rewrite(DELETE_STACK_INSTANCES, deleteStackInstancesByAccount(endpoint));
    }
    overrides.inventory = {
      organizationalUnitIds: [organization.unitId],
      regions: ["us-east-1"],
      organizationId: organization.organizationId,
      organization: { accountId: EMULATOR_MANAGEMENT_ACCOUNT_ID, region: "us-east-1" },
    };
  }
  const config = emulatorConfig(translator?.endpoint ?? endpoint, overrides);
  return { config, operator, translator, members, made };
}
