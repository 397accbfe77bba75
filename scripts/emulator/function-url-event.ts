import { randomUUID } from "node:crypto";

/** The caller a signed function URL request comes from, as IAM authorization of the URL reports it. */
export interface SignedCaller {
  /** `arn:aws:iam::<account>:user/<name>` or a role session `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  readonly userArn: string;
  /** @default "ASIAEXAMPLE" */
  readonly accessKey?: string;
}

/**
 * An event as a Lambda function URL with AuthType AWS_IAM delivers a signed POST (payload format 2.0): the caller's
 * identity in `requestContext.authorizer.iam`, where only AWS puts it. moto cannot invoke a function URL, so tests
 * and the bench hand these to the real bundle.
 */
export function functionUrlEvent(caller: SignedCaller | undefined, body: unknown, method = "POST") {
  const accountId = caller?.userArn.split(":")[4];
  const now = new Date();
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: "/",
    rawQueryString: "",
    headers: { "content-type": "application/json", host: "vend.lambda-url.us-east-1.on.aws" },
    requestContext: {
      accountId: caller ? accountId : "anonymous",
      apiId: "vend",
      domainName: "vend.lambda-url.us-east-1.on.aws",
      domainPrefix: "vend",
      http: { method, path: "/", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "vend-client" },
      ...(caller
        ? {
            authorizer: {
              iam: {
                accessKey: caller.accessKey ?? "ASIAEXAMPLE",
                accountId,
                callerId: `AROAEXAMPLE:${caller.userArn.split("/").at(-1)}`,
                cognitoIdentity: null,
                principalOrgId: null,
                userArn: caller.userArn,
                userId: "AROAEXAMPLE",
              },
            },
          }
        : {}),
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: text,
    isBase64Encoded: false,
  };
}
