import * as path from "node:path";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionUrl } from "@cdktf/provider-aws/lib/lambda-function-url";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { callerPermissionId, VEND_URL_AUTH_TYPE } from "../config";
import { BundledCode, type BundledCodeProps } from "../lambda/bundled-code";
import type { ExecutionRole } from "../lambda/execution-role";
import { policyDocument, toJson } from "../policy-document";
import { InvokeViaUrl } from "./invoke-via-url";
import type { VendingRole } from "./vending-role";
import { VENDING_TRUST_ACTIONS } from "./vending-role";

const FUNCTIONS = path.resolve(__dirname, "..", "..", "functions");

/**
 * How the vend Lambda is bundled: its entry, the environment-only credential chain (Lambda gives credentials in the
 * environment only) and a tree-shakable STS client.
 */
export const VEND_BUNDLE: BundledCodeProps = {
  entry: path.join(FUNCTIONS, "vend", "handler.ts"),
  credentialChain: path.join(FUNCTIONS, "writer", "lambda-credential-chain.ts"),
  sdkClients: ["@aws-sdk/client-sts"],
};

export interface VendFunctionProps {
  /** Provider of the source account. */
  readonly provider: AwsProvider;
  readonly functionName: string;
  /** The execution role (and log group) made for this function. */
  readonly executionRole: ExecutionRole;
  /** The vending role of each destination a caller names. */
  readonly vendingRoles: readonly VendingRole[];
  /** Exact ARNs of the principals that may invoke the function URL. */
  readonly callerArns: readonly string[];
  /** The function's environment (vendEnvironment). */
  readonly environment: Readonly<Record<string, string>>;
  readonly bundle: BundledCodeProps;
  /** @default true */
  readonly tracing?: boolean;
}

/**
 * The vend Lambda in the source account behind a function URL with IAM auth: only the named callers may invoke it,
 * and it may assume (with SourceIdentity and session tags) exactly the vending roles.
 */
export class VendFunction extends Construct {
  public readonly function: LambdaFunction;
  public readonly url: LambdaFunctionUrl;
  public readonly assumePolicy: IamRolePolicy;
  /** lambda:InvokeFunctionUrl, one per caller, in the order of `callerArns`. */
  public readonly permissions: readonly LambdaPermission[];
  /** lambda:InvokeFunction through the URL only, for every caller (a CloudFormation stack: see InvokeViaUrl). */
  public readonly invokeViaUrl: InvokeViaUrl;
  public readonly code: BundledCode;

  constructor(scope: Construct, id: string, props: VendFunctionProps) {
    super(scope, id);
    const { provider, executionRole } = props;
    if (props.vendingRoles.length === 0)
      throw new Error(`VendFunction ${id} needs at least one vending role, got none`);

    this.assumePolicy = new IamRolePolicy(this, "assume-policy", {
      provider,
      name: "vend-from-vending-roles",
      role: executionRole.role.id,
      policy: toJson(
        policyDocument({
          Sid: "AssumeTheVendingRolesOnly",
          Effect: "Allow",
          Action: [...VENDING_TRUST_ACTIONS],
          Resource: props.vendingRoles.map((vendingRole) => vendingRole.role.arn),
        }),
      ),
    });

    this.code = new BundledCode(this, "code", props.bundle);
    this.function = new LambdaFunction(this, "function", {
      provider,
      functionName: props.functionName,
      description: "Vends narrowed, short credentials of destination vending roles to named callers",
      ...this.code.functionProps(executionRole.role.arn, props.tracing),
      timeout: 30,
      memorySize: 256,
      environment: { variables: { ...props.environment } },
      dependsOn: [executionRole.logGroup, executionRole.logsPolicy, this.assumePolicy],
    });

    this.url = new LambdaFunctionUrl(this, "url", {
      provider,
      functionName: this.function.functionName,
      authorizationType: VEND_URL_AUTH_TYPE,
    });

    this.permissions = props.callerArns.map((arn) => {
      const statementId = callerPermissionId(arn);
      return new LambdaPermission(this, statementId, {
        provider,
        statementId,
        functionName: this.function.functionName,
        action: "lambda:InvokeFunctionUrl",
        principal: arn,
        functionUrlAuthType: VEND_URL_AUTH_TYPE,
      });
    });
    this.invokeViaUrl = new InvokeViaUrl(this, "invoke-via-url", {
      provider,
      function: this.function,
      functionName: props.functionName,
      callerArns: props.callerArns,
    });
  }
}
