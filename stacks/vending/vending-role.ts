import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import type { VendAccess } from "../../functions/vend/environment";
import type { DeployedDestination } from "../destinations/deployed-destination";
import { accessStatements, type StoreAccess } from "../destinations/stores";
import { policyDocument, toJson } from "../policy-document";

/** The actions the vending function's role may use on a vending role, in its trust and in its own policy. */
export const VENDING_TRUST_ACTIONS = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"] as const;
/** The session tags the vend function sets (functions/vend/vend.ts): the caller always, a purpose when asked. */
export const VENDING_SESSION_TAGS = ["caller", "purpose"] as const;

export interface VendingRoleProps {
  /** The destination whose table and bucket the vended sessions use; its provider makes the role. */
  readonly destination: DeployedDestination;
  readonly roleName: string;
  /** The one principal that may assume this role: the vending function's execution role. */
  readonly vendFunctionRole: IamRole;
  /** Objects live under `<bucketPrefix>/`; each caller's session narrows that to its own folder. */
  readonly bucketPrefix: string;
  /** What the callers of this destination may ask for: the role allows their union. */
  readonly callerAccess: readonly VendAccess[];
}

/** The union of callers' access: read and write together, or the one they share. */
export function unionAccess(accesses: readonly VendAccess[]): StoreAccess {
  const reads = accesses.some((access) => access !== "write");
  const writes = accesses.some((access) => access !== "read");
  if (reads && writes) return "read-write";
  if (!reads && !writes) throw new Error("unionAccess needs at least one access");
  return reads ? "read" : "write";
}

/**
 * A destination's vending role: assumable only by the vending function's execution role, and only with a
 * SourceIdentity set (so every vended session names its caller in the destination's CloudTrail, and role chaining
 * cannot drop it). Its own policy is the union of what the destination's callers get; the session policy the
 * function sends narrows each session to one caller's access and folder.
 */
export class VendingRole extends Construct {
  public readonly role: IamRole;
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: VendingRoleProps) {
    super(scope, id);
    const { destination, vendFunctionRole } = props;
    const { provider } = destination;

    this.role = new IamRole(this, "role", {
      provider,
      name: props.roleName,
      description: "Assumed by the source account's vending function for its named callers, with a SourceIdentity",
      maxSessionDuration: 3600,
      assumeRolePolicy: toJson(
        policyDocument(
          {
            Sid: "VendFunctionWithSourceIdentityOnly",
            Effect: "Allow",
            Principal: { AWS: vendFunctionRole.arn },
            Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
            Condition: { Null: { "sts:SourceIdentity": "false" } },
          },
          {
            // sts:SourceIdentity is not in TagSession's request context, so its own statement limits the tags instead.
            Sid: "VendFunctionTagsCallerAndPurposeOnly",
            Effect: "Allow",
            Principal: { AWS: vendFunctionRole.arn },
            Action: "sts:TagSession",
            Condition: {
              "ForAllValues:StringEquals": { "aws:TagKeys": [...VENDING_SESSION_TAGS] },
              Null: { "aws:RequestTag/caller": "false" },
            },
          },
        ),
      ),
    });

    const access = unionAccess(props.callerAccess);
    this.policy = new IamRolePolicy(this, "policy", {
      provider,
      name: `vend-${access}-records`,
      role: this.role.id,
      policy: toJson(policyDocument(...accessStatements(destination, access, props.bucketPrefix))),
    });
  }
}
