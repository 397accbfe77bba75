import { ORGANIZATION_WRITER_NAMES } from "../../stacks/config";
import { WITH_ORGANIZATION_WRITER } from "../organization-writer-fixtures";
import { synthesize } from "../synth";
import { bySid, editPolicy, MET_RULES, mutated } from "./harness";
import * as controls from "./index";

const stack = synthesize(WITH_ORGANIZATION_WRITER);
const TRUST = "MemberRolesOfTheOrganizationUnitsOnly";
const centralRole = (copy: typeof stack) =>
  copy.resource("aws_iam_role", "name", ORGANIZATION_WRITER_NAMES.centralRole);
const widened = (edit: (statement: Record<string, any>) => void) =>
  mutated(
    (copy) => editPolicy(centralRole(copy).block, "assume_role_policy", (statements) => edit(bySid(statements, TRUST))),
    stack,
  );
const findings = (json: ReturnType<typeof widened>) =>
  controls.check(json, [controls.organizationWildcardTrust]).map((finding) => finding.message);

describe("controls: the organization writer", () => {
  test("the organization writer's stack meets every control the project meets", () => {
    expect(controls.check(stack.json, MET_RULES)).toEqual([]);
  });

  test("organization-wildcard-trust: a wildcard trust without aws:PrincipalOrgID fails", () => {
    expect(findings(widened((statement) => delete statement.Condition.StringEquals["aws:PrincipalOrgID"]))).toEqual([
      `trust statement ${TRUST} trusts every principal without exactly one StringEquals aws:PrincipalOrgID`,
    ]);
  });

  test("organization-wildcard-trust: a wildcard trust of any role name fails, and the writer's trust rule reports it too", () => {
    const json = widened((statement) => {
      statement.Condition.ArnLike["aws:PrincipalArn"] = "arn:aws:iam::*:role/*";
    });
    expect(findings(json)).toEqual([
      `trust statement ${TRUST} trusts every principal without one ArnLike aws:PrincipalArn arn:aws:iam::*:role/<one role name>`,
    ]);
    expect(controls.check(json, [controls.trustsExactlyTheWriterRole]).map((finding) => finding.message)).toContain(
      `trust statement ${TRUST} trusts the wildcard principal *`,
    );
  });

  test("organization-wildcard-trust: a wildcard trust without the account session tag fails", () => {
    expect(
      findings(
        widened((statement) => delete statement.Condition.StringEquals["aws:RequestTag/organization-writer-account"]),
      ),
    ).toEqual([
      `trust statement ${TRUST} trusts every principal without StringEquals aws:RequestTag/organization-writer-account = \${aws:PrincipalAccount}`,
    ]);
  });

  test("organization-writer-member-role: a member role allowed more than assuming the central role fails", () => {
    const json = mutated((copy) => {
      const block = copy.resource("aws_cloudformation_stack_set", "name", ORGANIZATION_WRITER_NAMES.stackSet).block;
      const template = JSON.parse(block.template_body);
      template.Resources.OrganizationWriterRole.Properties.Policies[0].PolicyDocument.Statement[0].Action.push(
        "s3:GetObject",
      );
      block.template_body = JSON.stringify(template);
    }, stack);
    expect(controls.check(json, [controls.organizationWriterMemberRole]).map((finding) => finding.message)).toEqual([
      "member role allows s3:GetObject; only sts:AssumeRole, sts:TagSession on the central role",
    ]);
  });
});
