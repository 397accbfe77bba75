import * as path from "node:path";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { INVENTORY_DEFAULTS, inventoryEnvironment } from "../../functions/inventory/environment";
import type { InventoryConfig } from "../config";
import type { DestinationBucket } from "../destinations/destination-bucket";
import { BundledCode, type BundledCodeProps } from "../lambda/bundled-code";
import type { ExecutionRole } from "../lambda/execution-role";
import { type PolicyStatement, policyDocument, toJson } from "../policy-document";

const FUNCTIONS = path.resolve(__dirname, "..", "..", "functions");

/** How the inventory Lambda is bundled: like the writer, with the environment-only credential chain. */
export const INVENTORY_BUNDLE: BundledCodeProps = {
  entry: path.join(FUNCTIONS, "inventory", "handler.ts"),
  credentialChain: path.join(FUNCTIONS, "writer", "lambda-credential-chain.ts"),
};

export interface InventoryFunctionProps {
  /** Provider of the source account. */
  readonly provider: AwsProvider;
  readonly functionName: string;
  /** The execution role (and log group) made for this function. */
  readonly executionRole: ExecutionRole;
  readonly inventory: InventoryConfig;
  /** The read-only role of the organization account, by reference; absent without OUs. */
  readonly organizationRoleArn?: string;
  readonly reportBucket: DestinationBucket;
  readonly sourceRegion: string;
  /** @default true */
  readonly tracing?: boolean;
  /** @default 900 (Lambda's maximum: a large organization takes minutes) */
  readonly timeoutSeconds?: number;
}

/**
 * How Lambda treats an asynchronous run (the schedule's, or `--invocation-type Event`) that fails: not again. A failed
 * run has already spent up to 900 s on the whole organization and reported what it could; Lambda's default would run
 * it twice more within minutes. An event Lambda could not start within an hour (throttled) is dropped: the next
 * scheduled run replaces it rather than piling up behind it.
 */
export const INVENTORY_ASYNC_INVOKE = { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 3600 } as const;

/** `arn:aws:iam::<account>:role/<name>` of an account, or of any account for `*`. */
export const roleArnIn = (account: string, roleName: string) => `arn:aws:iam::${account}:role/${roleName}`;

/**
 * The inventory Lambda in the source account: it may assume the read-only role only (in the organization's
 * accounts by aws:ResourceOrgID, in the listed accounts by exact ARN), the organization read role, and put its
 * report under the report prefix. Optionally run on an EventBridge schedule.
 */
export class InventoryFunction extends Construct {
  public readonly function: LambdaFunction;
  public readonly policy: IamRolePolicy;
  public readonly code: BundledCode;
  /** The schedule rule; undefined without `schedule`. */
  public readonly schedule?: CloudwatchEventRule;
  /** Retries and event age of asynchronous runs, set whether or not there is a schedule. */
  public readonly asyncInvoke: LambdaFunctionEventInvokeConfig;

  constructor(scope: Construct, id: string, props: InventoryFunctionProps) {
    super(scope, id);
    const { provider, inventory, executionRole } = props;
    const { reportPrefix } = INVENTORY_DEFAULTS;

    this.policy = new IamRolePolicy(this, "policy", {
      provider,
      name: "assume-read-roles-and-write-report",
      role: executionRole.role.id,
      policy: toJson(policyDocument(...assumeStatements(props), ...props.reportBucket.writeStatements(reportPrefix))),
    });

    this.code = new BundledCode(this, "code", INVENTORY_BUNDLE);
    this.function = new LambdaFunction(this, "function", {
      provider,
      functionName: props.functionName,
      description: "Lists the Lambda functions of an organization's accounts and regions into a JSON Lines report",
      ...this.code.functionProps(executionRole.role.arn, props.tracing),
      timeout: props.timeoutSeconds ?? 900,
      memorySize: 512,
      environment: {
        variables: inventoryEnvironment({
          targets: { organizationalUnitIds: inventory.organizationalUnitIds, accountIds: inventory.accountIds },
          regions: inventory.regions,
          roleName: inventory.roleName,
          ...(props.organizationRoleArn ? { organizationRoleArn: props.organizationRoleArn } : {}),
          reportBucket: props.reportBucket.bucket.bucket,
          reportPrefix,
          concurrency: inventory.concurrency,
          stsRegion: props.sourceRegion,
        }),
      },
      dependsOn: [executionRole.logGroup, executionRole.logsPolicy, this.policy],
    });

    this.asyncInvoke = new LambdaFunctionEventInvokeConfig(this, "async-invoke", {
      provider,
      functionName: this.function.functionName,
      ...INVENTORY_ASYNC_INVOKE,
    });
    if (inventory.schedule) this.schedule = this.addSchedule(provider, inventory.schedule);
  }

  private addSchedule(provider: AwsProvider, expression: string): CloudwatchEventRule {
    const rule = new CloudwatchEventRule(this, "schedule", {
      provider,
      name: `${this.function.functionName}-schedule`,
      description: "Runs the cross-account inventory",
      scheduleExpression: expression,
    });
    new CloudwatchEventTarget(this, "schedule-target", { provider, rule: rule.name, arn: this.function.arn });
    new LambdaPermission(this, "schedule-permission", {
      provider,
      statementId: "RunOnSchedule",
      action: "lambda:InvokeFunction",
      functionName: this.function.functionName,
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
    });
    return rule;
  }
}

/** sts:AssumeRole on the read-only role (by organization, by account) and on the organization read role. */
function assumeStatements(props: InventoryFunctionProps): PolicyStatement[] {
  const { inventory } = props;
  const statements: PolicyStatement[] = [];
  if (inventory.organizationalUnitIds.length > 0 && inventory.organizationId) {
    statements.push({
      Sid: "AssumeTheReadRoleInTheOrganization",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      // Member account ids are unknown at plan time: any account's role of that name, in this organization only.
      Resource: roleArnIn("*", inventory.roleName),
      Condition: { StringEquals: { "aws:ResourceOrgID": inventory.organizationId } },
    });
  }
  if (inventory.accountIds.length > 0) {
    statements.push({
      Sid: "AssumeTheReadRoleInListedAccounts",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: inventory.accountIds.map((account) => roleArnIn(account, inventory.roleName)),
    });
  }
  if (props.organizationRoleArn) {
    statements.push({
      Sid: "AssumeTheOrganizationReadRole",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: props.organizationRoleArn,
    });
  }
  return statements;
}
