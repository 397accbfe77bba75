import { ACCOUNT_TAG } from "../../functions/organization-writer/environment";
import {
  CENTRAL_ROLE_PARAMETER,
  MEMBER_ROLE_ACTIONS,
  MEMBER_ROLE_RESOURCE,
} from "../../stacks/organization-writer/member-role-template";
import { conditionValues, policies, type Statement } from "./policies";
import { rule } from "./rule";
import { resources } from "./terraform";

/** The one role name a wildcard trust may admit: `arn:aws:iam::*:role/<name>`, the name without wildcards. */
const MEMBER_ROLE_PATTERN = /^arn:aws:iam::\*:role\/[\w+=,.@-]+$/;

/** Whether a statement trusts every AWS principal: `Principal: "*"` or `{"AWS": "*"}`. */
export function trustsAnyone(statement: Statement): boolean {
  return statement.principal === "*" || (statement.principal?.AWS ?? []).includes("*");
}

/**
 * What a trust statement with a wildcard principal lacks of the organization writer's conditions (empty when it has
 * them all): one organization, its OU paths, one member role name, and the account session tag bound to the caller.
 */
export function missingOrganizationConditions(statement: Statement): string[] {
  const missing: string[] = [];
  if (conditionValues(statement, "StringEquals", "aws:PrincipalOrgID").length !== 1)
    missing.push("exactly one StringEquals aws:PrincipalOrgID");
  if (conditionValues(statement, "ForAnyValue:StringLike", "aws:PrincipalOrgPaths").length === 0)
    missing.push("ForAnyValue:StringLike aws:PrincipalOrgPaths");
  const arns = conditionValues(statement, "ArnLike", "aws:PrincipalArn");
  if (arns.length !== 1 || !MEMBER_ROLE_PATTERN.test(arns[0]))
    missing.push("one ArnLike aws:PrincipalArn arn:aws:iam::*:role/<one role name>");
  if (conditionValues(statement, "StringEquals", `aws:RequestTag/${ACCOUNT_TAG}`).join() !== "$${aws:PrincipalAccount}")
    missing.push(`StringEquals aws:RequestTag/${ACCOUNT_TAG} = \${aws:PrincipalAccount}`);
  for (const action of statement.actions.filter(
    (candidate) => !(MEMBER_ROLE_ACTIONS as readonly string[]).includes(candidate),
  ))
    missing.push(`no action but ${MEMBER_ROLE_ACTIONS.join(" and ")} (got ${action})`);
  return missing;
}

export const organizationWildcardTrust = rule(
  "organization-wildcard-trust",
  'A trust policy that names every principal ("*") holds only with the organization writer\'s conditions: one aws:PrincipalOrgID, its aws:PrincipalOrgPaths, ArnLike aws:PrincipalArn on one role name, and the account session tag equal to aws:PrincipalAccount',
  (json, report) => {
    for (const policy of policies(json).filter((candidate) => candidate.kind === "trust"))
      for (const statement of policy.statements.filter(
        (candidate) => candidate.effect === "Allow" && trustsAnyone(candidate),
      )) {
        const missing = missingOrganizationConditions(statement);
        if (missing.length > 0)
          report(
            policy.address,
            `trust statement ${statement.sid} trusts every principal without ${missing.join(", ")}`,
          );
      }
  },
);

export const organizationWriterMemberRole = rule(
  "organization-writer-member-role",
  "The organization writer's StackSet role may only sts:AssumeRole and sts:TagSession on the central role (its template parameter)",
  (json, report) => {
    for (const [address, stackSet] of resources(json, "aws_cloudformation_stack_set")) {
      const template = JSON.parse(String(stackSet.template_body));
      const role = template.Resources?.[MEMBER_ROLE_RESOURCE];
      if (!role) continue;
      for (const policy of role.Properties.Policies ?? [])
        for (const statement of policy.PolicyDocument.Statement ?? []) {
          const actions: string[] = [statement.Action].flat();
          for (const action of actions.filter(
            (candidate) => !(MEMBER_ROLE_ACTIONS as readonly string[]).includes(candidate),
          ))
            report(address, `member role allows ${action}; only ${MEMBER_ROLE_ACTIONS.join(", ")} on the central role`);
          if (statement.Resource?.Ref !== CENTRAL_ROLE_PARAMETER)
            report(
              address,
              `member role's ${actions.join(", ")} is on ${JSON.stringify(statement.Resource)}, not the central role`,
            );
        }
    }
  },
);
