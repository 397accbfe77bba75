import type { SynthesizedStack } from "../synth";
import { address, bySid, DESTINATION_ACCOUNT, editPolicy, realStack, SOURCE_ACCOUNT, type Statement } from "./harness";

// The roles and policies of the real stack that the IAM control tests change, and how they change them.

export const destinationRole = () => realStack().resource("aws_iam_role", "name", `assume-role-via-${SOURCE_ACCOUNT}`);
export const writerRole = () =>
  realStack().resource("aws_iam_role", "name", `cross-account-write-to-${DESTINATION_ACCOUNT}`);
export const writerRoleArn = () => realStack().reference("aws_iam_role", writerRole().id, "arn");
export const destinationRoleArn = () => realStack().reference("aws_iam_role", destinationRole().id, "arn");
export const DESTINATION_ROLE = () => address("aws_iam_role", "name", `assume-role-via-${SOURCE_ACCOUNT}`);
export const WRITER_ROLE = () => address("aws_iam_role", "name", `cross-account-write-to-${DESTINATION_ACCOUNT}`);
export const PUT_RECORDS_POLICY = () => address("aws_iam_role_policy", "name", "put-records");
export const LOGS_POLICY = () => address("aws_iam_role_policy", "name", "write-own-logs");
export const ASSUME_POLICY = () => address("aws_iam_role_policy", "name", `sts-access-to-${DESTINATION_ACCOUNT}`);

export function trust(copy: SynthesizedStack, edit: (statement: Statement) => void): void {
  editPolicy(
    copy.resource("aws_iam_role", "name", `assume-role-via-${SOURCE_ACCOUNT}`).block,
    "assume_role_policy",
    ([statement]) => edit(statement),
  );
}

export function policyOf(
  copy: SynthesizedStack,
  name: string,
  sid: string,
  edit: (statement: Statement) => void,
): void {
  editPolicy(copy.resource("aws_iam_role_policy", "name", name).block, "policy", (statements) =>
    edit(bySid(statements, sid)),
  );
}
