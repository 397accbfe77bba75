import { anonymous, assumeTarget, roleItself } from "../../scripts/access-map/evaluate";
import { REAL_ACCOUNTS } from "../synth";
import { actors, administratorOf, matrix, request, THIRD_ACCOUNT_ID } from "./matrix";
import { resolveStack } from "./resolve-stack";

describe("IAM matrix: who may assume the destination role (trustMode role-arn)", () => {
  const { source, destination, writer, writerRole, destinationRole, otherSourceRole, sourceAdministrator } = actors(
    resolveStack({ ...REAL_ACCOUNTS }),
  );
  const assumeDestination = request("sts:AssumeRole", () => assumeTarget(destinationRole));

  matrix([
    assumeDestination.allowed(
      "the writer's execution role (the Lambda's session) assumes the destination role: identity allow + trust allow, cross-account",
      writer,
      { sameAccount: false },
    ),
    assumeDestination.allowed("the writer's execution role, named by its role ARN, assumes the destination role", () =>
      roleItself(writerRole),
    ),
    assumeDestination.denied(
      "another role of the source account whose own policy allows sts:AssumeRole on * may not assume it",
      otherSourceRole,
    ),
    assumeDestination.denied(
      "an IAM user of the source account with AdministratorAccess (*:*) may not assume it",
      sourceAdministrator,
    ),
    assumeDestination.denied("the source account's root user may not assume it", () =>
      administratorOf(source.accountId, "root"),
    ),
    assumeDestination.denied(`a principal of a third account (${THIRD_ACCOUNT_ID}) allowed * may not assume it`, () =>
      administratorOf(THIRD_ACCOUNT_ID, "role/attacker"),
    ),
    assumeDestination.denied(
      "a role of the destination account itself with AdministratorAccess may not assume it (the trust names only the writer)",
      () => administratorOf(destination.accountId, "role/OrganizationAccountAccessRole"),
      { sameAccount: true },
    ),
    assumeDestination.denied("an anonymous caller may not assume it", () => anonymous),
  ]);
});
