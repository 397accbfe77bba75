import { WITH_INVENTORY } from "../inventory-fixtures-stack";
import * as controls from ".";
import { bySid, editPolicy, finding, MET_RULES, mutated, once } from "./harness";

const inventoryStack = once(WITH_INVENTORY);
const policyAddress = () =>
  `aws_iam_role_policy.${inventoryStack().resource("aws_iam_role_policy", "name", "assume-read-roles-and-write-report").id}`;
const stackSetAddress = () =>
  `aws_cloudformation_stack_set.${inventoryStack().resource("aws_cloudformation_stack_set").id}`;

/** A copy of the inventory stack whose execution role policy statement `sid` is edited. */
function withAssumeStatement(sid: string, edit: (statement: Record<string, unknown>) => void) {
  return mutated((copy) => {
    const { block } = copy.resource("aws_iam_role_policy", "name", "assume-read-roles-and-write-report");
    editPolicy(block, "policy", (statements) => edit(bySid(statements, sid)));
  }, inventoryStack());
}

/** A copy of the inventory stack whose StackSet template is edited. */
function withTemplate(edit: (role: Record<string, any>) => void) {
  return mutated((copy) => {
    const { block } = copy.resource("aws_cloudformation_stack_set");
    const template = JSON.parse(block.template_body);
    edit(template.Resources.ListFunctionsRole.Properties);
    block.template_body = JSON.stringify(template);
  }, inventoryStack());
}

describe("controls over the inventory pattern", () => {
  test("every met rule holds for the inventory's roles, bucket, function and StackSet", () => {
    expect(controls.check(inventoryStack().json, MET_RULES)).toEqual([]);
  });

  test("source-assumes-one-role: a wildcard read-only role ARN without aws:ResourceOrgID is reported [aws-rule iam-resource-org-id]", () => {
    const open = withAssumeStatement("AssumeTheReadRoleInTheOrganization", (statement) => {
      delete statement.Condition;
    });
    expect(controls.sourceAssumesOnlyOneRole.check(open)).toEqual([
      finding(controls.sourceAssumesOnlyOneRole, policyAddress(), "without exactly one StringEquals aws:ResourceOrgID"),
    ]);
  });

  test("source-assumes-one-role: a wildcard on another role name, or an unlisted account, is reported", () => {
    const otherName = withAssumeStatement("AssumeTheReadRoleInTheOrganization", (statement) => {
      statement.Resource = "arn:aws:iam::*:role/OrganizationAccountAccessRole";
    });
    expect(controls.sourceAssumesOnlyOneRole.check(otherName)).toEqual([
      finding(controls.sourceAssumesOnlyOneRole, policyAddress(), "a pattern that matches more than one role"),
      expect.objectContaining({ message: expect.stringContaining("may assume 2 roles") }),
    ]);
    const unlisted = withAssumeStatement("AssumeTheReadRoleInListedAccounts", (statement) => {
      statement.Resource = ["arn:aws:iam::777777777777:role/CrossAccountListFunctionsRole"];
    });
    expect(controls.sourceAssumesOnlyOneRole.check(unlisted)).toEqual([
      finding(
        controls.sourceAssumesOnlyOneRole,
        policyAddress(),
        "names account 777777777777, which the function does not list",
      ),
    ]);
  });

  test("stack-set-read-role: the template role trusts exactly the execution role parameter and may only list", () => {
    expect(controls.stackSetReadRole.check(inventoryStack().json)).toEqual([]);
    const rooted = withTemplate((role) => {
      role.AssumeRolePolicyDocument.Statement[0].Principal = { AWS: "arn:aws:iam::123456789012:root" };
    });
    expect(controls.stackSetReadRole.check(rooted)).toEqual([
      finding(controls.stackSetReadRole, stackSetAddress(), 'only {"AWS":{"Ref":<parameter>}} is allowed'),
    ]);
    const broader = withTemplate((role) => {
      role.Policies[0].PolicyDocument.Statement[0].Action.push("lambda:GetFunction", "iam:*");
    });
    expect(controls.stackSetReadRole.check(broader)).toEqual([
      finding(controls.stackSetReadRole, stackSetAddress(), "allows lambda:GetFunction"),
      finding(controls.stackSetReadRole, stackSetAddress(), "allows iam:*"),
    ]);
    const otherParameter = mutated((copy) => {
      copy.resource("aws_cloudformation_stack_set").block.parameters.InventoryRoleArn =
        "arn:aws:iam::123456789012:role/someone-else";
    }, inventoryStack());
    expect(controls.stackSetReadRole.check(otherParameter)).toEqual([
      finding(
        controls.stackSetReadRole,
        stackSetAddress(),
        "trusts arn:aws:iam::123456789012:role/someone-else, which is not the execution role",
      ),
    ]);
  });

  test("the report bucket meets the destination buckets' controls", () => {
    const bucket = inventoryStack().resource("aws_s3_bucket", "bucket", `inventory-reports-123456789012-eu-west-1`);
    expect(bucket.block.bucket).toContain("inventory-reports");
    const s3Rules = [
      controls.bucketPublicAccessBlocked,
      controls.bucketOwnerEnforced,
      controls.bucketDeniesInsecureTransport,
      controls.bucketVersioned,
      controls.bucketEncrypted,
      controls.bucketLifecycleAbortsIncompleteUploads,
    ];
    expect(controls.check(inventoryStack().json, s3Rules)).toEqual([]);
  });
});
