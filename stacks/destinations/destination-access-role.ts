import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { type PolicyCondition, type PolicyStatement, policyDocument, toJson } from "../policy-document";
import { accessStatements, type DeployedStores, type StoreAccess } from "./stores";

/** Who may assume a destination role: one trust statement, added by the pattern the principals belong to. */
export interface TrustedBy {
  /** The statement id: letters and digits, unique in the role's trust policy. */
  readonly sid: string;
  /** Exact ARNs (or Terraform references to them) of the principals, or an account root with a condition. */
  readonly principals: string | readonly string[];
  /** Conditions of this statement besides the role-wide ones (ExternalId, organization). @default - none */
  readonly condition?: PolicyCondition;
}

export interface DestinationAccessRoleProps {
  /** Provider of the destination account. */
  readonly provider: AwsProvider;
  readonly roleName: string;
  readonly description: string;
  /** The destination's table and bucket, which say what each access allows. */
  readonly stores: DeployedStores;
  /** Objects may be put (and read) only under `<prefix>/`. */
  readonly bucketPrefix: string;
  readonly access: StoreAccess;
  /** Required `sts:ExternalId` of every principal. @default - none */
  readonly externalId?: string;
  /** Required `aws:PrincipalOrgID` of every principal. @default - none */
  readonly organizationId?: string;
  /** @default 3600 */
  readonly maxSessionDurationSeconds?: number;
}

const POLICY_NAMES: Record<StoreAccess, string> = {
  write: "put-records",
  read: "read-records",
  "read-write": "read-write-records",
};

/**
 * A role of one destination for one access: allowed exactly what that access means on the destination's table and
 * bucket prefix, and assumable by the principals that patterns add with {@link trust}, never anyone else. The trust
 * policy is written when the stack synthesizes, so every pattern can add its principals first.
 */
export class DestinationAccessRole extends Construct {
  public readonly role: IamRole;
  public readonly policy: IamRolePolicy;
  public readonly access: StoreAccess;
  private readonly statements: PolicyStatement[] = [];
  private readonly sharedCondition: Record<string, Record<string, string>> = {};

  constructor(scope: Construct, id: string, props: DestinationAccessRoleProps) {
    super(scope, id);
    const { provider } = props;
    this.access = props.access;
    const required: Record<string, string> = {};
    if (props.externalId) required["sts:ExternalId"] = props.externalId;
    if (props.organizationId) required["aws:PrincipalOrgID"] = props.organizationId;
    if (Object.keys(required).length > 0) this.sharedCondition.StringEquals = required;

    this.role = new IamRole(this, "role", {
      provider,
      name: props.roleName,
      description: props.description,
      maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
      assumeRolePolicy: Lazy.stringValue({ produce: () => this.trustPolicy(props.roleName) }),
    });
    this.policy = new IamRolePolicy(this, "policy", {
      provider,
      name: POLICY_NAMES[props.access],
      role: this.role.id,
      policy: toJson(policyDocument(...accessStatements(props.stores, props.access, props.bucketPrefix))),
    });
  }

  /** Lets more principals assume the role, each statement with the role-wide conditions. */
  trust(trusted: TrustedBy): void {
    if (this.statements.some((statement) => statement.Sid === trusted.sid)) {
      throw new Error(`${this.node.path} already trusts a statement ${trusted.sid}`);
    }
    const condition = { ...this.sharedCondition, ...trusted.condition };
    const principals = typeof trusted.principals === "string" ? trusted.principals : [...trusted.principals];
    this.statements.push({
      Sid: trusted.sid,
      Effect: "Allow",
      Principal: { AWS: principals },
      Action: "sts:AssumeRole",
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    });
  }

  private trustPolicy(roleName: string): string {
    if (this.statements.length === 0) throw new Error(`role ${roleName} (${this.node.path}) trusts no principal`);
    return toJson(policyDocument(...this.statements));
  }
}
