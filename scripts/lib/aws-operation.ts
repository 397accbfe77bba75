import type { IncomingMessage } from "node:http";

/** Services of the query protocol by their signing name, as their operations are named here. */
const QUERY_SERVICES: Readonly<Record<string, string>> = {
  sts: "STS",
  iam: "IAM",
  cloudformation: "CloudFormation",
  ec2: "EC2",
};

/**
 * `Service.Operation` of an AWS request, from the JSON target header, the query action (its service from the
 * signature's credential scope) or the S3 REST shape.
 */
export function operationOf(request: IncomingMessage, body: Buffer): string {
  const target = request.headers["x-amz-target"];
  if (typeof target === "string") {
    const [prefix, action] = target.split(".");
    const service = prefix.startsWith("DynamoDB")
      ? "DynamoDB"
      : prefix.startsWith("AWSSecurityTokenService")
        ? "STS"
        : prefix;
    return `${service}.${action}`;
  }
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString())?.[1];
  if (action) {
    const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(String(request.headers.authorization ?? ""))?.[1];
    return `${QUERY_SERVICES[scope ?? "sts"] ?? scope}.${action}`;
  }
  const path = (request.url ?? "/").split("?")[0];
  const segments = path.split("/").filter(Boolean);
  if (request.method === "PUT" && segments.length >= 2) return "S3.PutObject";
  return `other.${request.method}`;
}
