import { matches } from "./conditions";
import type { IamInventory } from "./inventory";
import type { AccessTarget } from "./targets";

/** What a principal of the stack is allowed on resources that are none of the stack's, as its policy writes it. */
export interface OutsideGrant {
  readonly principal: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** The statement's conditions, as `<operator> <key> <values>`. */
  readonly conditions: readonly string[];
}

const ASSUME = "sts:AssumeRole";

/**
 * The Allow statements of the stack's principals, reduced to the actions and resources the map does not evaluate:
 * an action on a resource pattern is evaluated when a target of the map is that very resource or pattern and is
 * asked about that action (for sts:AssumeRole, a role of the stack or of its StackSets). The rest is on resources
 * the stack does not hold (X-Ray's `*`, lambda:ListFunctions, Organizations' OUs) or reaches further than what the
 * stack holds (a role name in every account of an organization): listed with its conditions, not evaluated.
 */
export function outsideGrants(inventory: IamInventory, targets: readonly AccessTarget[]): OutsideGrant[] {
  const roles = inventory.principals.filter((principal) => principal.kind === "role").map((role) => role.arn);
  const evaluated = (action: string, pattern: string) =>
    action === ASSUME
      ? roles.includes(pattern)
      : targets.some(
          (entry) =>
            entry.actions.some((asked) => matches(action, asked)) && [entry.label, entry.target.arn].includes(pattern),
        );
  const grants = inventory.principals.flatMap((principal) =>
    principal.identityPolicies
      .flatMap((named) => named.policy.Statement)
      .filter((statement) => statement.Effect === "Allow" && statement.Resource !== undefined)
      .flatMap((statement) => {
        const actions = [statement.Action].flat();
        const resources = [statement.Resource ?? []].flat();
        const outside = actions.filter((action) => resources.some((pattern) => !evaluated(action, pattern)));
        const where = resources.filter((pattern) => actions.some((action) => !evaluated(action, pattern)));
        const conditions = Object.entries(statement.Condition ?? {}).flatMap(([operator, entries]) =>
          Object.entries(entries).map(([key, values]) => `${operator} ${key} ${[values].flat().join(" or ")}`),
        );
        return outside.length > 0 ? [{ principal: principal.arn, actions: outside, resources: where, conditions }] : [];
      }),
  );
  return grants.sort((a, b) => a.principal.localeCompare(b.principal));
}
