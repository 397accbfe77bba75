import { ASSUME_ANY_ROLE, assumeTarget, type ContextValues, principal } from "../../scripts/access-map/evaluate";
import { REAL_ACCOUNTS } from "../synth";
import { actors, matrix, request } from "./matrix";
import { resolveStack } from "./resolve-stack";

describe("IAM matrix, trustedPrincipals: an operator user with MFA and an EC2 instance role [aws-rule iam-mfa-condition]", () => {
  const OPERATOR = "arn:aws:iam::333333333333:user/alice";
  const INSTANCE_ROLE = "arn:aws:iam::111111111111:role/batch-ec2";
  const { destinationRole, writer, otherSourceRole } = actors(
    resolveStack({
      ...REAL_ACCOUNTS,
      trustedPrincipals: [{ arn: OPERATOR, requireMfa: true }, { arn: INSTANCE_ROLE }],
    }),
  );
  const assumeDestination = request("sts:AssumeRole", () => assumeTarget(destinationRole));
  // Each trusted principal's own policy lets it assume any role: only the trust policy decides.
  const assumer = (arn: string, context?: ContextValues) => () => principal(arn, [ASSUME_ANY_ROLE], context);
  const withMfa = { "aws:MultiFactorAuthPresent": "true" };
  const withoutMfa = { "aws:MultiFactorAuthPresent": "false" };

  matrix([
    assumeDestination.allowed("the operator user assumes the destination role with MFA", assumer(OPERATOR, withMfa), {
      sameAccount: false,
    }),
    assumeDestination.denied("the operator user may not assume it without MFA", assumer(OPERATOR, withoutMfa)),
    assumeDestination.denied(
      "another user of the operator's account, with MFA, may not assume it",
      assumer("arn:aws:iam::333333333333:user/mallory", withMfa),
    ),
    assumeDestination.allowed("the EC2 instance role assumes it (no MFA asked of a role)", assumer(INSTANCE_ROLE), {
      sameAccount: false,
    }),
    assumeDestination.allowed("the writer still assumes it", writer),
    assumeDestination.denied("another source role still may not", otherSourceRole),
  ]);
});
