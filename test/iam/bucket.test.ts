import { anonymous, bucketTarget } from "../../scripts/access-map/evaluate";
import { REAL_ACCOUNTS } from "../synth";
import { actors, administratorOf, matrix, OBJECT_NAME, request, THIRD_ACCOUNT_ID } from "./matrix";
import { resolveStack } from "./resolve-stack";

describe("IAM matrix: the bucket against anyone else [aws-rule s3-deny-insecure-transport]", () => {
  const { bucket, names } = actors(resolveStack({ ...REAL_ACCOUNTS }));
  const putInPrefix = request("s3:PutObject", () => bucketTarget(bucket, `${names.bucketPrefix}/${OBJECT_NAME}`));

  matrix([
    putInPrefix.denied("an anonymous s3:PutObject under the prefix over TLS is refused", () => anonymous),
    putInPrefix.explicitlyDenied(
      "an anonymous s3:PutObject without TLS is refused by the bucket policy's Deny",
      () => anonymous,
      { context: { "aws:SecureTransport": "false" }, resourcePolicyResult: "ExplicitlyDenied" },
    ),
    putInPrefix.denied(
      `a principal of a third account (${THIRD_ACCOUNT_ID}) allowed * may not s3:PutObject under the prefix`,
      () => administratorOf(THIRD_ACCOUNT_ID, "role/attacker"),
      { sameAccount: false },
    ),
  ]);
});
