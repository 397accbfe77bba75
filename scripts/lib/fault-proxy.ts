import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sendAwsError } from "./aws-error-answers";
import { operationOf } from "./aws-operation";
import { upstreamRequest } from "./upstream-request";

/** What the proxy does to a request instead of (or besides) forwarding it. */
export type Fault =
  | "throttling" // DynamoDB ThrottlingException (400) / S3 SlowDown (503)
  | "provisioned-throughput" // DynamoDB ProvisionedThroughputExceededException (400)
  | "http-500"
  | "http-503"
  | "reset-before" // connection reset before the request reaches AWS: nothing happened
  | "reset-after" // forwarded, then the connection reset before the answer: it happened, the caller cannot know
  | "slow" // forwarded only after the client's request timeout
  | "access-denied" // STS AccessDenied (403), as IAM answers right after a role or trust changes
  | "unprocessed"; // BatchWriteItem: only the first half of the items is written, the rest handed back as UnprocessedItems

export interface FaultRule {
  /** Operation as `Service.Operation`, e.g. `DynamoDB.PutItem`, `S3.PutObject`, `STS.AssumeRole`. */
  readonly operation: string;
  readonly fault: Fault;
  /** How many matching requests get the fault, the first ones. */
  readonly times: number;
  /** Only requests whose body contains this, e.g. an account id in an AssumeRole's RoleArn. @default - any */
  readonly bodyContains?: string;
}

/**
 * Rewrites a request's body before it is forwarded: how a test translates a request the emulator does not understand
 * into one it does (see `scripts/lib/emulator-stack-sets.ts`). The proxy forwards the returned body.
 */
export type RequestRewrite = (body: string) => Promise<string>;

export interface FaultProxyOptions {
  /** Delay of a `slow` fault. @default 6000 (longer than the writer's 5 s request timeout) */
  readonly slowMs?: number;
  /**
   * Rewrite AssumeRole answers so sessions expire this many seconds after they are issued, and refuse requests
   * signed with a session past its expiry with ExpiredToken, as AWS does.
   */
  readonly sessionSeconds?: number;
}

/**
 * A loopback HTTP proxy in front of the emulator that injects faults by operation and counts every request by
 * operation. Tests and the benchmark count AssumeRole calls here, outside the code under test.
 */
export class FaultProxy {
  static async start(target: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(target), options);
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  /** Requests seen, by operation. */
  readonly requests = new Map<string, number>();
  /** Faults injected, by `operation fault`. */
  readonly injected = new Map<string, number>();
  /** Requests whose body a rewrite changed before they were forwarded, by operation. */
  readonly rewritten = new Map<string, number>();
  /** Requests refused because their session had expired. */
  expiredRejections = 0;
  private readonly sessionExpiry = new Map<string, number>();
  private rules: Array<FaultRule & { left: number }> = [];
  private readonly rewrites = new Map<string, RequestRewrite>();
  private faultsPerTarget?: number;
  private readonly faultsByTarget = new Map<string, number>();
  private readonly server: Server;

  private constructor(
    private readonly target: URL,
    private readonly options: FaultProxyOptions,
  ) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Adds rules; earlier rules for the same operation are used up first. */
  inject(...rules: FaultRule[]): this {
    this.rules.push(...rules.map((rule) => ({ ...rule, left: rule.times })));
    return this;
  }

  /** Forwards every request for `operation` (`Service.Operation`) with the body `rewrite` returns; kept by reset. */
  rewrite(operation: string, rewrite: RequestRewrite): this {
    this.rewrites.set(operation, rewrite);
    return this;
  }

  /**
   * At most `faults` faults for any one request target (the same operation, path and body: a request and its
   * retries), so a set of faults is spread over the requests instead of exhausting one request's retries.
   * Cleared by {@link reset}.
   */
  limitFaultsPerTarget(faults: number): this {
    this.faultsPerTarget = faults;
    return this;
  }

  reset(): void {
    this.rules = [];
    this.faultsPerTarget = undefined;
    this.faultsByTarget.clear();
    this.requests.clear();
    this.injected.clear();
    this.expiredRejections = 0;
  }

  count(operation: string): number {
    return this.requests.get(operation) ?? 0;
  }

  totalInjected(): number {
    return [...this.injected.values()].reduce((sum, count) => sum + count, 0);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const operation = operationOf(request, body);
    this.requests.set(operation, (this.requests.get(operation) ?? 0) + 1);
    const accessKey = /Credential=([A-Z0-9]+)\//.exec(String(request.headers.authorization ?? ""))?.[1];
    const expiry = accessKey ? this.sessionExpiry.get(accessKey) : undefined;
    if (expiry !== undefined && Date.now() >= expiry) {
      this.expiredRejections += 1;
      return sendAwsError(response, operation, "expired-token");
    }
    const target = `${operation} ${request.url} ${createHash("sha1").update(body).digest("hex")}`;
    const capped = this.faultsPerTarget !== undefined && (this.faultsByTarget.get(target) ?? 0) >= this.faultsPerTarget;
    const rule = capped
      ? undefined
      : this.rules.find(
          (candidate) =>
            candidate.operation === operation &&
            candidate.left > 0 &&
            (candidate.bodyContains === undefined || body.toString().includes(candidate.bodyContains)),
        );
    if (rule) {
      this.faultsByTarget.set(target, (this.faultsByTarget.get(target) ?? 0) + 1);
      rule.left -= 1;
      const key = `${operation} ${rule.fault}`;
      this.injected.set(key, (this.injected.get(key) ?? 0) + 1);
    }
    if (!rule) return this.forward(request, await this.rewrittenBody(operation, request, body), response);
    switch (rule.fault) {
      case "reset-before":
        request.socket.destroy();
        return;
      case "reset-after": {
        await this.forward(request, body, undefined);
        request.socket.destroy();
        return;
      }
      case "unprocessed":
        return this.forwardHalf(request, body, response);
      case "slow":
        await new Promise((resolve) => setTimeout(resolve, this.options.slowMs ?? 6000));
        return this.forward(request, body, response);
      default:
        return sendAwsError(response, operation, rule.fault);
    }
  }

  private async rewrittenBody(operation: string, request: IncomingMessage, body: Buffer): Promise<Buffer> {
    const rewrite = this.rewrites.get(operation);
    if (!rewrite) return body;
    const rewritten = Buffer.from(await rewrite(body.toString()));
    if (rewritten.equals(body)) return body;
    request.headers["content-length"] = String(rewritten.length);
    this.rewritten.set(operation, (this.rewritten.get(operation) ?? 0) + 1);
    return rewritten;
  }

  /** Forwards the first half of each table's write requests and answers that the rest was not processed. */
  private async forwardHalf(request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
    const input = JSON.parse(body.toString()) as { RequestItems: Record<string, unknown[]> };
    const kept: Record<string, unknown[]> = {};
    const unprocessed: Record<string, unknown[]> = {};
    for (const [table, requests] of Object.entries(input.RequestItems)) {
      const half = Math.ceil(requests.length / 2);
      kept[table] = requests.slice(0, half);
      if (requests.length > half) unprocessed[table] = requests.slice(half);
    }
    const forwarded = Buffer.from(JSON.stringify({ ...input, RequestItems: kept }));
    request.headers["content-length"] = String(forwarded.length);
    await this.forward(request, forwarded, undefined);
    const answer = Buffer.from(JSON.stringify({ UnprocessedItems: unprocessed }));
    response.writeHead(200, { "content-type": "application/x-amz-json-1.0", "content-length": String(answer.length) });
    response.end(answer);
  }

  private forward(request: IncomingMessage, body: Buffer, response: ServerResponse | undefined): Promise<void> {
    return new Promise((resolve) => {
      const upstream = upstreamRequest(this.target, request, async (answer) => {
        let payload = await readBody(answer);
        if (this.options.sessionSeconds !== undefined && operationOf(request, body) === "STS.AssumeRole") {
          const expiresAt = Date.now() + this.options.sessionSeconds * 1000;
          const text = payload.toString();
          const issuedKey = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(text)?.[1];
          if (issuedKey) this.sessionExpiry.set(issuedKey, expiresAt);
          payload = Buffer.from(
            text.replace(
              /<Expiration>[^<]*<\/Expiration>/,
              `<Expiration>${new Date(expiresAt).toISOString()}</Expiration>`,
            ),
          );
        }
        if (response && !response.destroyed) {
          const headers = { ...answer.headers, "content-length": String(payload.length) };
          delete headers["transfer-encoding"];
          response.writeHead(answer.statusCode ?? 502, headers);
          response.end(payload);
        }
        resolve();
      });
      upstream.once("error", () => {
        if (response && !response.destroyed) response.destroy();
        resolve();
      });
      upstream.end(body);
    });
  }
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.once("end", () => resolve(Buffer.concat(chunks)));
    stream.once("error", reject);
  });
}
