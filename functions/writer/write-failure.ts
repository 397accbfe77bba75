/** An AWS call failed; the message names the account, role and resource involved. */
export class DestinationWriteError extends Error {
  constructor(
    message: string,
    readonly cause: unknown,
  ) {
    super(message);
    this.name = "DestinationWriteError";
  }
}

/** An AWS error as `Name (HTTP status): message`. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return `${error.name}${status ? ` (HTTP ${status})` : ""}: ${error.message}`;
  }
  return String(error);
}
