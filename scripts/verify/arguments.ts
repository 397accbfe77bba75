import { UsageError } from "../shared/process";
import { VERIFY_PATTERNS, type VerifyPattern } from "./outcome";

export const VERIFY_USAGE = `Usage: npm run verify [-- --json] [--pattern NAME]... [--baseline FILE] [--mfa-code CODE] [--stack DIR]

After a deploy, proves each pattern works where it was deployed (the stack of CROSS_ACCOUNT_CONFIG or the embedded
example): the writer writes a probe that is read back and removed, source principals assume their roles, a vending
caller gets credentials and an unknown one is refused, the inventory runs and its report is read, and the deployed
access stays within the baseline. One line per check, then a summary; exit code 1 when a check failed.

  --json           print the checks as JSON instead of lines and a table
  --pattern NAME   check only this pattern (repeatable): ${VERIFY_PATTERNS.join(", ")}
  --baseline FILE  the access map to stay within (default: access-baseline.json)
  --mfa-code CODE  a current code of your MFA device, for operators whose role requires MFA
  --stack DIR      the deployed stack's Terraform directory (default: where npm run deploy leaves it)
  --help           show this text`;

/** What the command line asks for. */
export interface VerifyArguments {
  readonly json: boolean;
  readonly help: boolean;
  /** @default - every pattern */
  readonly patterns?: readonly VerifyPattern[];
  readonly baseline?: string;
  readonly mfaCode?: string;
  readonly stack?: string;
}

/** Parses verify's command line; throws {@link UsageError} naming the bad argument and what is allowed. */
export function parseVerifyArguments(args: readonly string[]): VerifyArguments {
  const patterns: VerifyPattern[] = [];
  const values: { baseline?: string; mfaCode?: string; stack?: string } = {};
  let json = false;
  let help = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === "--json") json = true;
    else if (arg === "--help" || arg === "-h") help = true;
    else if (["--pattern", "--baseline", "--mfa-code", "--stack"].includes(arg)) {
      const value = args[index + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      index += 1;
      if (arg === "--pattern") patterns.push(patternNamed(value));
      else if (arg === "--baseline") values.baseline = value;
      else if (arg === "--stack") values.stack = value;
      else if (!/^\d{6}$/.test(value))
        throw new UsageError(`--mfa-code must be the 6 digits your MFA device shows, got ${JSON.stringify(value)}`);
      else values.mfaCode = value;
    } else
      throw new UsageError(
        `unknown argument ${JSON.stringify(arg)}; allowed: --json, --pattern NAME, --baseline FILE, --mfa-code CODE, --stack DIR, --help`,
      );
  }
  return { json, help, ...(patterns.length > 0 ? { patterns } : {}), ...values };
}

/** A pattern by name; throws {@link UsageError} naming the bad name and the allowed ones. */
export function patternNamed<T extends string>(
  name: string,
  allowed: readonly T[] = VERIFY_PATTERNS as unknown as T[],
): T {
  if (!(allowed as readonly string[]).includes(name))
    throw new UsageError(`--pattern must be one of ${allowed.join(", ")}, got ${JSON.stringify(name)}`);
  return name as T;
}
