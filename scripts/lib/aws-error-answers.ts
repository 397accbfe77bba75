import type { ServerResponse } from "node:http";

/**
 * The faults the fault proxy answers itself, with the error AWS would send; `expired-token` is what it answers a
 * request signed with an expired session.
 */
export type AwsErrorFault =
  | "throttling"
  | "provisioned-throughput"
  | "http-500"
  | "http-503"
  | "access-denied"
  | "expired-token";

/** Answers a request for `operation` (`Service.Operation`) with the error AWS sends for the fault, as AWS words it. */
export function sendAwsError(response: ServerResponse, operation: string, fault: AwsErrorFault): void {
  const [service] = operation.split(".");
  if (fault === "expired-token") {
    if (service === "DynamoDB") {
      response.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
      response.end(
        JSON.stringify({
          __type: "com.amazon.coral.service#ExpiredTokenException",
          message: "The security token included in the request is expired",
        }),
      );
    } else if (service === "STS") {
      response.writeHead(403, { "content-type": "text/xml" });
      response.end(
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`,
      );
    } else {
      response.writeHead(400, { "content-type": "application/xml" });
      response.end(`<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>`);
    }
    return;
  }
  if (fault === "access-denied") {
    response.writeHead(403, { "content-type": "text/xml" });
    response.end(
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole (injected)</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`,
    );
    return;
  }
  if (service === "DynamoDB" && (fault === "throttling" || fault === "provisioned-throughput")) {
    const type = fault === "throttling" ? "ThrottlingException" : "ProvisionedThroughputExceededException";
    response.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
    response.end(
      JSON.stringify({
        __type: `com.amazonaws.dynamodb.v20120810#${type}`,
        message: `Rate of requests exceeds the allowed throughput (injected ${type})`,
      }),
    );
    return;
  }
  if (fault === "throttling" || fault === "provisioned-throughput") {
    response.writeHead(503, { "content-type": "application/xml" });
    response.end(`<Error><Code>SlowDown</Code><Message>Please reduce your request rate (injected)</Message></Error>`);
    return;
  }
  response.writeHead(fault === "http-500" ? 500 : 503, { "content-type": "text/plain" });
  response.end(`injected ${fault}`);
}
