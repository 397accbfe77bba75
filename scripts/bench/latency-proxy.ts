import { Agent, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { upstreamRequest } from "../lib/upstream-request";

/**
 * A loopback HTTP proxy that holds every request for a fixed time before forwarding it, as a network round trip to
 * a distant region would. Requests wait side by side, so a caller that keeps several in flight overlaps the waits.
 */
export class LatencyProxy {
  static async start(target: string, latencyMs: number): Promise<LatencyProxy> {
    const proxy = new LatencyProxy(new URL(target), latencyMs);
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  private readonly server: Server;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });

  private constructor(
    private readonly target: URL,
    readonly latencyMs: number,
  ) {
    this.server = createServer((request, response) => {
      setTimeout(() => {
        const upstream = upstreamRequest(
          this.target,
          request,
          (answer) => {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(response);
          },
          this.agent,
        );
        upstream.once("error", () => response.destroy());
        request.pipe(upstream);
      }, this.latencyMs);
    });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    this.agent.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
