import { REFRESH_BEFORE_EXPIRY_MS } from "../shared/refreshed-credentials";
import { callerPrefix, type VendAccess, type VendCallerSettings, type VendSettings } from "./environment";
import {
  callerArnOf,
  type FunctionUrlEvent,
  findCaller,
  parseVendBody,
  principalOf,
  type VendBody,
  VendRequestError,
} from "./request";
import { serializeSessionPolicy, sessionPolicy } from "./session-policy";

/** What the vend function passes to STS AssumeRole (a subset of AssumeRoleCommandInput; no TransitiveTagKeys). */
export interface AssumeRoleParams {
  readonly RoleArn: string;
  readonly RoleSessionName: string;
  readonly SourceIdentity: string;
  readonly Tags: readonly { readonly Key: string; readonly Value: string }[];
  readonly Policy: string;
  readonly DurationSeconds: number;
}

export interface VendedCredentials {
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly SessionToken: string;
  readonly Expiration: Date;
}

export type AssumeRole = (params: AssumeRoleParams) => Promise<VendedCredentials>;

// The most a cached answer may fall short of the asked duration, as every refreshed provider here refreshes: a cached
// credential answers a request only while it lives at least `durationSeconds` less this.
export { REFRESH_BEFORE_EXPIRY_MS };
/** Entries one cache holds at most; the oldest goes first, so callers inventing purposes cannot exhaust memory. */
export const MAX_CACHE_ENTRIES = 1000;

interface CacheEntry {
  readonly credentials: Promise<VendedCredentials>;
  /** What the AssumeRole asked for: how long the credentials live from the call. */
  readonly durationMs: number;
  /** Set once the call answered. */
  expiresAt?: number;
}

/**
 * Credentials already vended, per caller session, destination, access and purpose. An entry holds the AssumeRole
 * promise, so concurrent requests share one call; a failed call is forgotten. The duration is not part of the key:
 * an entry answers any request its remaining life covers (less the refresh margin), so a 15-minute credential never
 * answers a 1-hour request, and a caller varying durations cannot multiply entries.
 */
export class CredentialCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly maxEntries = MAX_CACHE_ENTRIES) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The entry's credentials if they will live at least `durationSeconds` less the refresh margin (a pending call:
   * if it asked for that long), else calls `vend` and keeps that in the entry's place.
   */
  obtain(
    key: string,
    nowMs: number,
    durationSeconds: number,
    vend: () => Promise<VendedCredentials>,
  ): Promise<VendedCredentials> {
    const cached = this.entries.get(key);
    const needed = durationSeconds * 1000 - REFRESH_BEFORE_EXPIRY_MS;
    const remaining = cached && (cached.expiresAt === undefined ? cached.durationMs : cached.expiresAt - nowMs);
    if (cached && remaining !== undefined && remaining >= needed) return cached.credentials;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    const entry: CacheEntry = { credentials: vend(), durationMs: durationSeconds * 1000 };
    this.entries.set(key, entry);
    entry.credentials.then(
      (credentials) => {
        entry.expiresAt = credentials.Expiration.getTime();
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.credentials;
  }
}

export interface VendDeps {
  readonly settings: VendSettings;
  readonly assumeRole: AssumeRole;
  readonly now: () => Date;
  readonly cache: CredentialCache;
}

/** A function URL response; `body` is JSON. */
export interface VendResponse {
  readonly statusCode: 200 | 400 | 403 | 405 | 502;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The JSON a `credential_process` prints, so a client can use the body as is. */
export interface CredentialProcessOutput {
  readonly Version: 1;
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly SessionToken: string;
  readonly Expiration: string;
}

// Credentials must not be kept by any cache between the function and the caller.
const HEADERS = { "content-type": "application/json", "cache-control": "no-store" };
const respond = (statusCode: VendResponse["statusCode"], body: object): VendResponse => ({
  statusCode,
  headers: HEADERS,
  body: JSON.stringify(body),
});

/**
 * The caller as STS identifiers (SourceIdentity, RoleSessionName: 2-64 of [\w+=,.@-]): `<name>@<account>` when it
 * fits, else the principal's name (1-64 characters, so 2 are reached by adding the account).
 */
export function callerIdentifier(userArn: string): string {
  const principal = principalOf(userArn);
  if (!principal) throw new Error(`not a user or role session ARN: ${userArn}`);
  const qualified = `${principal.name}@${principal.accountId}`;
  return qualified.length <= 64 ? qualified : principal.name;
}

/** A session tag value: at most 256 characters of letters, digits, spaces and _.:/=+-@ (a comma becomes '_'). */
export const tagValue = (value: string) => value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, "_").slice(0, 256);

const covers = (granted: VendAccess, asked: VendAccess) => granted === "read-write" || granted === asked;

/** Checks that the caller may have this destination and access; throws 403 naming what it may have. */
function authorize(caller: VendCallerSettings, userArn: string, body: VendBody): void {
  const allowedAccess = caller.access === "read-write" ? "read, write or read-write" : caller.access;
  const allowed = `${userArn} may ask for ${allowedAccess} access to ${caller.destinations.join(", ")}`;
  if (!caller.destinations.includes(body.destination)) {
    throw new VendRequestError(403, `destination ${JSON.stringify(body.destination)} is not granted: ${allowed}`);
  }
  if (!covers(caller.access, body.access))
    throw new VendRequestError(403, `access "${body.access}" is not granted: ${allowed}`);
}

/** The AssumeRole request that vends one session for this caller. */
export function assumeRoleParams(
  settings: VendSettings,
  caller: VendCallerSettings,
  userArn: string,
  body: VendBody,
): AssumeRoleParams {
  const destination = settings.destinations.find((candidate) => candidate.name === body.destination);
  if (!destination) throw new Error(`no destination named ${body.destination}`);
  const identifier = callerIdentifier(userArn);
  return {
    RoleArn: destination.roleArn,
    RoleSessionName: identifier,
    SourceIdentity: identifier,
    Tags: [
      { Key: "caller", Value: tagValue(userArn) },
      ...(body.purpose !== undefined ? [{ Key: "purpose", Value: body.purpose }] : []),
    ],
    Policy: serializeSessionPolicy(sessionPolicy({ access: body.access, destination, prefix: callerPrefix(caller) })),
    DurationSeconds: body.durationSeconds,
  };
}

function assumeRoleFailure(error: unknown, roleArn: string): VendResponse {
  const name = (error as { name?: unknown })?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === "AccessDenied" || name === "AccessDeniedException") {
    return respond(502, {
      error:
        `AssumeRole on ${roleArn} was denied: check that the role's trust policy names the vend function's ` +
        "execution role and allows sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession, and that the " +
        `function's role may call sts:AssumeRole on it (${message})`,
    });
  }
  return respond(502, {
    error: `AssumeRole on ${roleArn} failed with ${typeof name === "string" ? name : "an unknown error"}: ${message}`,
  });
}

/**
 * Answers a function URL request: the signed caller (from requestContext only) must be configured, ask for a
 * destination and access it was granted, and then gets credentials of that destination's vending role narrowed by a
 * session policy to its access and folder, as `credential_process` JSON. Every refusal vends nothing.
 */
export async function vendCredentials(event: FunctionUrlEvent, deps: VendDeps): Promise<VendResponse> {
  let params: AssumeRoleParams;
  let cacheKey: string;
  try {
    const userArn = callerArnOf(event);
    const caller = findCaller(deps.settings.callers, userArn);
    if (!caller) throw new VendRequestError(403, `${userArn} is not a caller of this vending function`);
    const body = parseVendBody(event, caller);
    authorize(caller, userArn, body);
    params = assumeRoleParams(deps.settings, caller, userArn, body);
    cacheKey = JSON.stringify([userArn, body.destination, body.access, body.purpose ?? null]);
  } catch (error) {
    if (error instanceof VendRequestError) return respond(error.statusCode, { error: error.message });
    throw error;
  }
  try {
    const now = deps.now().getTime();
    const credentials = await deps.cache.obtain(cacheKey, now, params.DurationSeconds, () => deps.assumeRole(params));
    const output: CredentialProcessOutput = {
      Version: 1,
      AccessKeyId: credentials.AccessKeyId,
      SecretAccessKey: credentials.SecretAccessKey,
      SessionToken: credentials.SessionToken,
      Expiration: credentials.Expiration.toISOString(),
    };
    return respond(200, output);
  } catch (error) {
    return assumeRoleFailure(error, params.RoleArn);
  }
}
