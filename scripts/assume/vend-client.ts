import { Sha256 } from "@aws-crypto/sha256-js";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { VEND_ACCESS, type VendAccess } from "../../functions/vend/environment";
import type { CrossAccountConfig } from "../../stacks/config";
import { UsageError } from "../shared/process";
import { CREDENTIAL_FORMATS, type CredentialFormat, type FormatContext } from "./credential-formats";

/** The option that makes `npm run assume` ask a vending function instead of assuming the role itself. */
export const VIA_OPTION = "--via";

export const VIA_USAGE = `Usage: npm run assume -- <destination> --via <function url> [--access read|write|read-write]
                          [--purpose <purpose>] [--duration <seconds>] [--format env|json|credential-process]

Asks the vending function for credentials: the request is signed (SigV4, service "lambda") with your current AWS
credentials, and the function answers with credentials narrowed to your access and folder (--access defaults to read).`;

/** What a vending request asks for, and where. */
export interface VendRequestOptions {
  readonly url: string;
  readonly destination: string;
  readonly access: VendAccess;
  readonly purpose?: string;
  readonly durationSeconds?: number;
  readonly format: CredentialFormat;
}

const option = (args: readonly string[], index: number) => {
  const value = args[index + 1];
  if (value === undefined || value.startsWith("--")) throw new UsageError(`${args[index]} needs a value`);
  return value;
};

/** Parses `<destination> --via <url> [--access] [--purpose] [--duration] [--format]`; throws UsageError naming the bad value. */
export function parseViaArguments(args: readonly string[]): VendRequestOptions {
  const positional: string[] = [];
  const values: Record<string, string> = { "--access": "read", "--format": "env" };
  const known = [VIA_OPTION, "--access", "--purpose", "--duration", "--format"];
  for (let index = 0; index < args.length; index += 1) {
    if (known.includes(args[index])) {
      values[args[index]] = option(args, index);
      index += 1;
    } else if (args[index].startsWith("--")) {
      throw new UsageError(`unknown option ${JSON.stringify(args[index])}; allowed with --via: ${known.join(", ")}`);
    } else positional.push(args[index]);
  }
  if (positional.length !== 1) {
    throw new UsageError(`give one destination name, got ${JSON.stringify(positional.join(" "))}`);
  }
  const url = values[VIA_OPTION];
  if (!URL.canParse(url) || new URL(url).protocol !== "https:")
    throw new UsageError(
      `--via must be the vending function's https URL (output vend-function-url), got ${JSON.stringify(url)}`,
    );
  const access = values["--access"] as VendAccess;
  if (!VEND_ACCESS.includes(access))
    throw new UsageError(`--access must be one of ${VEND_ACCESS.join(", ")}, got ${JSON.stringify(access)}`);
  const format = values["--format"] as CredentialFormat;
  if (!CREDENTIAL_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${CREDENTIAL_FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  const duration = values["--duration"];
  const durationSeconds = duration === undefined ? undefined : Number(duration);
  if (
    durationSeconds !== undefined &&
    (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 3600)
  )
    throw new UsageError(
      `--duration must be a whole number of seconds from 900 to 3600 (role chaining), got ${JSON.stringify(duration)}`,
    );
  return {
    url,
    destination: positional[0],
    access,
    ...(values["--purpose"] !== undefined ? { purpose: values["--purpose"] } : {}),
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    format,
  };
}

/** The region of a function URL (`https://<id>.lambda-url.<region>.on.aws/`), or undefined for any other host. */
export function regionOfFunctionUrl(url: string): string | undefined {
  return /^[a-z0-9]+\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(new URL(url).hostname)?.[1];
}

/** A POST of the request's JSON body to the function URL, signed with SigV4 for service "lambda". */
export async function signedVendRequest(
  options: Pick<VendRequestOptions, "url" | "destination" | "access" | "purpose" | "durationSeconds">,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  region: string,
): Promise<HttpRequest> {
  const url = new URL(options.url);
  const body = JSON.stringify({
    destination: options.destination,
    access: options.access,
    ...(options.purpose !== undefined ? { purpose: options.purpose } : {}),
    ...(options.durationSeconds !== undefined ? { durationSeconds: options.durationSeconds } : {}),
  });
  const request = new HttpRequest({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    headers: { host: url.host, "content-type": "application/json" },
    body,
  });
  const signer = new SignatureV4({ service: "lambda", region, credentials, sha256: Sha256 });
  return (await signer.sign(request)) as HttpRequest;
}

/** A refusal of the vending function, with its status and its message. */
export class VendRefusedError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = "VendRefusedError";
  }
}

/** What each refusal means for the person asking. */
function refusal(statusCode: number, error: string, url: string): string {
  const hint: Record<number, string> = {
    400: "the request was malformed",
    403: "refused: you are not a caller of this function, or asked for more than you were granted",
    502: "the function could not assume the destination's vending role",
  };
  return `${url} answered ${statusCode} (${hint[statusCode] ?? "an error"}): ${error}`;
}

/** Sends a signed request and returns the vended credentials; throws {@link VendRefusedError} for any refusal. */
export async function requestVendedCredentials(request: HttpRequest, url: string) {
  const response = await fetch(url, { method: "POST", headers: request.headers, body: request.body as string });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch {
    // AWS's own refusals (a missing or bad signature) are JSON too; anything else is shown as is.
  }
  if (response.status !== 200) {
    const message =
      typeof body.error === "string"
        ? body.error
        : typeof body.Message === "string"
          ? body.Message
          : text.slice(0, 500);
    throw new VendRefusedError(response.status, refusal(response.status, message, url));
  }
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = body as Record<string, string>;
  if (!AccessKeyId || !SecretAccessKey || !SessionToken)
    throw new VendRefusedError(502, `${url} answered 200 without credentials: ${text.slice(0, 200)}`);
  return { AccessKeyId, SecretAccessKey, SessionToken, Expiration };
}

/**
 * `npm run assume -- <destination> --via <url>`: signs and asks; the credentials with the destination's region and
 * how to print them.
 */
export async function vendedCredentials(args: readonly string[], config: CrossAccountConfig) {
  const options = parseViaArguments(args);
  const destination = config.destinations.find((candidate) => candidate.name === options.destination);
  const region = regionOfFunctionUrl(options.url) ?? config.source.region;
  const request = await signedVendRequest(options, fromNodeProviderChain(), region);
  const credentials = await requestVendedCredentials(request, options.url);
  const actingAs = `${options.access} access to ${options.destination} vended by ${options.url}`;
  const context: FormatContext = {
    region: destination?.region,
    actingAs,
    json: { Destination: options.destination, Access: options.access },
  };
  return { credentials, region: destination?.region, format: options.format, context };
}
