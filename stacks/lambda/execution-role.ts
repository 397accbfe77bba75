import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { type PolicyStatement, policyDocument, toJson } from "../policy-document";

export interface ExecutionRoleProps {
  /** Provider of the source account. */
  readonly provider: AwsProvider;
  readonly sourceAccountId: string;
  readonly roleName: string;
  /** Name of the function that will use the role: its log group is `/aws/lambda/<name>`. */
  readonly functionName: string;
  readonly logRetentionDays: number;
  /** Allow the function to send X-Ray trace segments. */
  readonly tracing: boolean;
}

/**
 * A Lambda function's execution role in the source account, with its log group. Only Lambda of the source account
 * may assume it; it may write its own log streams (and traces) and nothing else until its pattern adds what the
 * function needs. The writer, the inventory and the vend function each have one.
 */
export class ExecutionRole extends Construct {
  public readonly role: IamRole;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly logsPolicy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ExecutionRoleProps) {
    super(scope, id);
    const { provider } = props;

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      provider,
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
    });

    this.role = new IamRole(this, "execution-role", {
      provider,
      name: props.roleName,
      description: `Execution role of the ${props.functionName} Lambda`,
      assumeRolePolicy: toJson(
        policyDocument({
          Sid: "LambdaOfThisAccountOnly",
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": props.sourceAccountId } },
        }),
      ),
    });

    const statements: PolicyStatement[] = [
      {
        Sid: "WriteOwnLogStreams",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${this.logGroup.arn}:log-stream:*`,
      },
    ];
    if (props.tracing) {
      // X-Ray's write actions support no resource-level permissions, so "*" is the only possible resource.
      statements.push({
        Sid: "SendTraces",
        Effect: "Allow",
        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        Resource: "*",
      });
    }
    this.logsPolicy = new IamRolePolicy(this, "logs-policy", {
      provider,
      name: "write-own-logs",
      role: this.role.id,
      policy: toJson(policyDocument(...statements)),
    });
  }
}
