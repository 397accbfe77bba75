import { assumeTarget, type ContextValues, principal } from "../../scripts/access-map/evaluate";
import { principalProfiles } from "../../stacks/source-principals/profiles";
import * as controls from "../controls";
import { synthesize, THREE_DESTINATIONS } from "../synth";
import { allowed, denied, matrix } from "./matrix";
import { resolveStack } from "./resolve-stack";
import type { ResolvedStack } from "./resolved-stack";

// Operators with IAM paths (IAM user guide, "IAM identifiers"): a user's ARN carries its path
// (arn:aws:iam::<account>:user/team/alice) while its friendly name, what a group membership takes, does not; an MFA
// device has an ARN of its own (arn:aws:iam::<account>:mfa/<path><device name>).
const SOURCE = "111111111111";
const ALICE = `arn:aws:iam::${SOURCE}:user/team/ops/alice`;
const BOB_DEVICE = `arn:aws:iam::${SOURCE}:mfa/devices/bob-key`;
const WITH_PATHS = {
  ...THREE_DESTINATIONS,
  sourcePrincipals: {
    operators: [
      {
        group: "prod-readers",
        users: [ALICE, { user: "bob", mfaSerial: BOB_DEVICE }],
        destinations: ["analytics-eu"],
        access: "read" as const,
      },
    ],
  },
};
const synth = synthesize(WITH_PATHS);
const stack = resolveStack(WITH_PATHS);
const readRole = `assume-role-via-${SOURCE}-analytics-eu-read`;

function groupPolicies(resolved: ResolvedStack, group: string) {
  const { id } = resolved.synth.resource("aws_iam_group", "name", group);
  return Object.values(resolved.synth.resources("aws_iam_group_policy"))
    .filter((block) => block.group === `\${aws_iam_group.${id}.id}`)
    .map((block) => ({ name: String(block.name), policy: resolved.policy(block) }));
}
const MFA: ContextValues = { "aws:MultiFactorAuthPresent": "true" };
const asUser = (arn: string) => () => principal(arn, groupPolicies(stack, "prod-readers"), MFA);

describe("operators with an IAM path", () => {
  test("[aws-rule iam-user-path-arn] the role trusts the user's ARN with its path; the membership names the user", () => {
    const trust = synth.policy(synth.resource("aws_iam_role", "name", readRole).block, "assume_role_policy");
    expect(trust.Statement.at(-1)?.Principal).toEqual({ AWS: [ALICE, `arn:aws:iam::${SOURCE}:user/bob`] });
    expect(synth.resource("aws_iam_group_membership", "name", "prod-readers-members").block.users).toEqual([
      "alice",
      "bob",
    ]);
  });

  test("[aws-rule iam-user-path-arn] profiles name the default MFA device after the user, or the configured device", () => {
    const profiles = principalProfiles(stack.config, () => "arn:aws:iam::222222222222:role/r");
    expect(profiles.map(({ principal, profile }) => [principal, /mfa_serial = (.*)/.exec(profile)?.[1]])).toEqual([
      ["operator/alice", `arn:aws:iam::${SOURCE}:mfa/alice`],
      ["operator/bob", BOB_DEVICE],
    ]);
  });
});

test("every met control holds for users with paths (CKV_AWS_60/61 takes a trusted user/team/alice as the member alice)", () => {
  expect(
    controls.check(
      synth.json,
      controls.ALL_RULES.filter((rule) => rule.notMet === undefined),
    ),
  ).toEqual([]);
});

describe("IAM matrix, [aws-rule iam-user-path-arn]: an operator with a path", () => {
  const assumeRead = () => assumeTarget(stack.role(readRole));
  matrix([
    allowed(
      "alice, by her ARN with its path and MFA, assumes the read role",
      asUser(ALICE),
      "sts:AssumeRole",
      assumeRead,
    ),
    denied(
      "the path-less ARN user/alice (what a trust without the path names) is not trusted",
      asUser(`arn:aws:iam::${SOURCE}:user/alice`),
      "sts:AssumeRole",
      assumeRead,
    ),
    allowed("bob, without a path, assumes it", asUser(`arn:aws:iam::${SOURCE}:user/bob`), "sts:AssumeRole", assumeRead),
  ]);
});
