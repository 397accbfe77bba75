import { WITH_SOURCE_PRINCIPALS } from "../synth";
import * as controls from ".";
import { editPolicy, finding, MET_RULES, mutated, once } from "./harness";

// Source principals: the trust of a destination role may name principals other than a function's role only when
// the stack itself lets exactly them assume that very role; an instance role may assume several roles only when
// each trusts it back.
const principalsStack = once(WITH_SOURCE_PRINCIPALS);
const roleAddress = (name: string) => `aws_iam_role.${principalsStack().resource("aws_iam_role", "name", name).id}`;
const READ_ROLE = "assume-role-via-111111111111-analytics-eu-read";

describe("source principals against the controls", () => {
  test("every met control holds for instance roles and operator groups (both sides, by reference)", () => {
    expect(controls.check(principalsStack().json, MET_RULES)).toEqual([]);
  });

  test("CKV_AWS_60/61 — non-compliant: a destination role trusting a user that no group of the stack lets assume it", () => {
    const rule = controls.trustsExactlyTheWriterRole;
    const json = mutated((copy) => {
      editPolicy(copy.resource("aws_iam_role", "name", READ_ROLE).block, "assume_role_policy", ([statement]) => {
        (statement.Principal as { AWS: string[] }).AWS.push("arn:aws:iam::111111111111:user/mallory");
      });
    }, principalsStack());
    expect(rule.check(json)).toEqual([
      finding(
        rule,
        roleAddress(READ_ROLE),
        "trusts arn:aws:iam::111111111111:user/mallory, which is not the execution role",
      ),
    ]);
  });

  test("CKV_AWS_60/61 — non-compliant: the operators' group no longer allowed to assume the role its users are trusted by", () => {
    const rule = controls.trustsExactlyTheWriterRole;
    const json = mutated((copy) => {
      const group = copy.resource("aws_iam_group", "name", "prod-readers").id;
      const policy = Object.values(copy.resources("aws_iam_group_policy")).find(
        (block) => block.group === `\${aws_iam_group.${group}.id}`,
      );
      editPolicy(policy!, "policy", ([statement]) => {
        statement.Resource = [];
      });
    }, principalsStack());
    expect(rule.check(json).map((found) => found.message)).toEqual([
      expect.stringContaining("trusts arn:aws:iam::111111111111:user/alice, which is not"),
      expect.stringContaining("trusts arn:aws:iam::111111111111:user/bob, which is not"),
    ]);
  });

  test("source-assumes-one-role — non-compliant: the instance role allowed to assume a role that does not trust it", () => {
    const rule = controls.sourceAssumesOnlyOneRole;
    const json = mutated((copy) => {
      const instanceRole = copy.resource("aws_iam_role", "name", "batch-ec2").id;
      const policy = Object.values(copy.resources("aws_iam_role_policy")).find(
        (block) => block.role === `\${aws_iam_role.${instanceRole}.id}`,
      );
      const readRole = copy.resource("aws_iam_role", "name", READ_ROLE).id;
      editPolicy(policy!, "policy", ([statement]) => {
        (statement.Resource as string[]).push(`\${aws_iam_role.${readRole}.arn}`);
      });
    }, principalsStack());
    expect(rule.check(json)).toEqual([
      finding(
        rule,
        roleAddress("batch-ec2"),
        `\${aws_iam_role.${principalsStack().resource("aws_iam_role", "name", READ_ROLE).id}.arn} does not`,
      ),
    ]);
  });
});
