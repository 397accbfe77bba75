import type { ConfigRule } from "./config-rule";
import { accountsOf } from "./operator-users";

/** The rules of operator users: the ARNs they are given are in the source account. */
export const OPERATOR_USER_RULES: readonly ConfigRule[] = [
  {
    name: "operator-users-in-source-account",
    check: (file) =>
      (file.sourcePrincipals?.operators ?? []).flatMap((group, groupIndex) =>
        group.users.flatMap((entry, index) =>
          accountsOf(entry)
            .filter(({ arn }) => arn.split(":")[4] !== file.source.accountId)
            .map(
              ({ what, arn }) =>
                `sourcePrincipals.operators.${groupIndex}.users.${index} ${what} must be in the source account ` +
                `${file.source.accountId}, got "${arn}"`,
            ),
        ),
      ),
  },
];
