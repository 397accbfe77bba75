import type { TerraformJson } from "../synth";
import { grants, parsePolicy } from "./policies";
import { providerAccount, reference, resources, strings } from "./terraform";

/**
 * A user ARN without its path: a group membership names users by name, unique in the account whatever the path
 * (IAM identifiers), so a trusted `user/team/alice` is the member `alice`.
 */
export function withoutUserPath(arn: string): string {
  return arn.replace(/^(arn:aws:iam::\d{12}:user\/)(?:[^/]+\/)*([^/]+)$/, "$1$2");
}

/**
 * What the stack's own identity policies let each principal assume: a role's ARN reference (its inline policies)
 * or a user ARN without its path (the policies of the groups it is a member of), to the `sts:AssumeRole` resources allowed to it.
 */
export function assumeGrants(json: TerraformJson): Map<string, Set<string>> {
  const granted = new Map<string, Set<string>>();
  const add = (principal: string, resources: readonly string[]) => {
    const entry = granted.get(principal) ?? new Set<string>();
    for (const resource of resources) entry.add(resource);
    granted.set(principal, entry);
  };
  const assumable = (address: string, text: unknown) =>
    parsePolicy(address, "identity", text)
      .statements.filter((statement) => statement.effect === "Allow")
      .filter((statement) => statement.actions.some((action) => grants(action, "sts:AssumeRole")))
      .flatMap((statement) => statement.resources ?? []);
  for (const [address, block] of resources(json, "aws_iam_role_policy")) {
    const role = /^\$\{(aws_iam_role\.[^.}]+)\.(id|name)\}$/.exec(String(block.role));
    if (role) add(reference(role[1], "arn"), assumable(address, block.policy));
  }
  const members = new Map<string, string[]>();
  for (const [, membership] of resources(json, "aws_iam_group_membership")) {
    const account = providerAccount(json, membership);
    const group = /^\$\{(aws_iam_group\.[^.}]+)\.name\}$/.exec(String(membership.group))?.[1];
    if (group && account)
      members.set(
        group,
        strings(membership.users).map((user) => `arn:aws:iam::${account}:user/${user}`),
      );
  }
  for (const [address, block] of resources(json, "aws_iam_group_policy")) {
    const group = /^\$\{(aws_iam_group\.[^.}]+)\.(id|name)\}$/.exec(String(block.group))?.[1];
    for (const user of group ? (members.get(group) ?? []) : []) add(user, assumable(address, block.policy));
  }
  return granted;
}
