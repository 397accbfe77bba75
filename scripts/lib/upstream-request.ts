import { type Agent, type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";

/** The request a loopback proxy sends on to `target`: the method, path and headers of the one it received. */
export function upstreamRequest(
  target: URL,
  request: IncomingMessage,
  onAnswer: (answer: IncomingMessage) => void,
  agent?: Agent,
): ClientRequest {
  return httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      headers: request.headers,
      agent,
    },
    onAnswer,
  );
}
