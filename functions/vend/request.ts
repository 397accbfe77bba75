import * as z from "zod/mini";
import {
  DEFAULT_DURATION_SECONDS,
  type IamPrincipal,
  MAX_DURATION_SECONDS,
  MIN_DURATION_SECONDS,
  parsePrincipalArn,
  principalKey,
  VEND_ACCESS,
  type VendAccess,
  type VendCallerSettings,
} from "./environment";

/** The parts of a Lambda function URL event (payload format 2.0) the vend function reads. */
export interface FunctionUrlEvent {
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: {
    readonly http?: { readonly method?: string };
    readonly authorizer?: {
      readonly iam?: {
        readonly userArn?: string;
        readonly accountId?: string;
        readonly callerId?: string;
        readonly accessKey?: string;
      };
    };
  };
}

/** A request that is answered without vending anything: its status and a message for the caller. */
export class VendRequestError extends Error {
  constructor(
    readonly statusCode: 400 | 403 | 405,
    message: string,
  ) {
    super(message);
    this.name = "VendRequestError";
  }
}

/** What a caller asks for, after validation. */
export interface VendBody {
  readonly destination: string;
  readonly access: VendAccess;
  /** Goes into the session's `purpose` tag and keeps its credentials apart in the cache. @default - none, no tag */
  readonly purpose?: string;
  readonly durationSeconds: number;
}

const SESSION_ARN = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/[\w+=,.@-]{2,64}$/;

/**
 * The IAM principal behind a function URL's `userArn`: a user's own ARN, or for a role session
 * (`arn:aws:sts::<account>:assumed-role/<role>/<session>`) its role. A session ARN carries no path, so roles are
 * matched by account and name (unique in an account whatever the path).
 */
export function principalOf(userArn: string): IamPrincipal | undefined {
  const session = SESSION_ARN.exec(userArn);
  if (session) return { partition: session[1], accountId: session[2], kind: "role", name: session[3] };
  return parsePrincipalArn(userArn);
}

/** The role ARN (path-less) of a role session ARN; other ARNs unchanged. */
export function roleArnOfSession(userArn: string): string {
  const principal = principalOf(userArn);
  return principal?.kind === "role"
    ? `arn:${principal.partition}:iam::${principal.accountId}:role/${principal.name}`
    : userArn;
}

/** The signed caller's ARN, which only IAM authorization of the function URL sets; never read from the body. */
export function callerArnOf(event: FunctionUrlEvent): string {
  const userArn = event.requestContext?.authorizer?.iam?.userArn;
  if (typeof userArn !== "string" || userArn === "") {
    throw new VendRequestError(
      403,
      "the request carries no IAM identity: call the function URL signed with SigV4 (AuthType AWS_IAM)",
    );
  }
  return userArn;
}

/** The configured caller a signed ARN belongs to, or undefined. */
export function findCaller(callers: readonly VendCallerSettings[], userArn: string): VendCallerSettings | undefined {
  const principal = principalOf(userArn);
  if (!principal) return undefined;
  const key = principalKey(principal);
  return callers.find((caller) => {
    const configured = parsePrincipalArn(caller.arn);
    return configured !== undefined && principalKey(configured) === key;
  });
}

const BODY_FIELDS = ["destination", "access", "purpose", "durationSeconds"] as const;
const got = (input: unknown) => (input === undefined ? "got nothing" : `got ${JSON.stringify(input)?.slice(0, 80)}`);

function bodySchema(maxDurationSeconds: number) {
  return z.strictObject(
    {
      destination: z
        .string({ error: (issue) => `must be a destination name, ${got(issue.input)}` })
        .check(z.minLength(1, { error: "must be a destination name, got an empty string" })),
      access: z.enum(VEND_ACCESS, {
        error: (issue) => `must be ${VEND_ACCESS.map((access) => `"${access}"`).join(", ")}, ${got(issue.input)}`,
      }),
      purpose: z.optional(
        z.string({ error: (issue) => `must be a string, ${got(issue.input)}` }).check(
          z.regex(/^[\w+=,.@-]{1,64}$/, {
            error: (issue) => `must be 1-64 of letters, digits and _+=,.@-, ${got(issue.input)}`,
          }),
        ),
      ),
      durationSeconds: z.optional(
        z.int({ error: (issue) => `must be a whole number of seconds, ${got(issue.input)}` }).check(
          z.gte(MIN_DURATION_SECONDS, {
            error: (issue) => `must be at least ${MIN_DURATION_SECONDS}, ${got(issue.input)}`,
          }),
          z.lte(maxDurationSeconds, {
            error: (issue) => `must be at most ${maxDurationSeconds} for this caller, ${got(issue.input)}`,
          }),
        ),
      ),
    },
    {
      error: (issue) =>
        issue.code === "invalid_type" ? `the body must be a JSON object, ${got(issue.input)}` : undefined,
    },
  );
}

/** The longest session a caller may ask for. */
export const callerMaxDuration = (caller: Pick<VendCallerSettings, "maxDurationSeconds">) =>
  Math.min(caller.maxDurationSeconds ?? MAX_DURATION_SECONDS, MAX_DURATION_SECONDS);

/** Validates a POST's JSON body for this caller; throws {@link VendRequestError} (405, 400) naming what is wrong. */
export function parseVendBody(
  event: FunctionUrlEvent,
  caller: Pick<VendCallerSettings, "maxDurationSeconds">,
): VendBody {
  const method = event.requestContext?.http?.method;
  if (method !== "POST") throw new VendRequestError(405, `use POST with a JSON body, got ${method ?? "no method"}`);
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString("utf8") : (event.body ?? "");
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new VendRequestError(
      400,
      `the body must be JSON such as {"destination":"analytics","access":"read"}, ${got(raw.slice(0, 80))}`,
    );
  }
  const maxDurationSeconds = callerMaxDuration(caller);
  const parsed = bodySchema(maxDurationSeconds).safeParse(json, { reportInput: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((issue) => {
      if (issue.code === "unrecognized_keys")
        return `the body has unknown fields ${issue.keys.join(", ")}; allowed: ${BODY_FIELDS.join(", ")}`;
      return issue.path.length > 0 ? `${issue.path.map(String).join(".")} ${issue.message}` : issue.message;
    });
    throw new VendRequestError(400, problems.join("; "));
  }
  const { destination, access, purpose, durationSeconds } = parsed.data;
  return {
    destination,
    access,
    ...(purpose !== undefined ? { purpose } : {}),
    durationSeconds: durationSeconds ?? Math.min(DEFAULT_DURATION_SECONDS, maxDurationSeconds),
  };
}
