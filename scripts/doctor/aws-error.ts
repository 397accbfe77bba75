/** The parts of an AWS SDK error the checks read: its name, HTTP status and message as AWS worded it. */
export interface AwsErrorShape {
  readonly name: string;
  readonly httpStatusCode?: number;
  readonly message: string;
}

/** The shape of anything thrown by an AWS SDK call or a credential provider. */
export function awsErrorOf(error: unknown): AwsErrorShape {
  const value = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return {
    name: value?.name ?? value?.code ?? "Error",
    httpStatusCode: value?.$metadata?.httpStatusCode,
    message: value?.message ?? String(error),
  };
}

/** "Name (HTTP 403): message" for a table cell. */
export function describeAwsError(error: unknown): string {
  const { name, httpStatusCode, message } = awsErrorOf(error);
  return `${name}${httpStatusCode ? ` (HTTP ${httpStatusCode})` : ""}: ${message}`;
}

/** The error of a connection that never got an answer (refused, reset, timed out, name not found). */
export function isUnreachable(error: unknown): boolean {
  const { name, message } = awsErrorOf(error);
  const code = (error as { code?: string })?.code ?? "";
  return (
    name === "TimeoutError" ||
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT/.test(`${code} ${message}`) ||
    name === "RequestTimeout"
  );
}
