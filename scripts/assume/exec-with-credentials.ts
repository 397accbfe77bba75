import { spawn } from "node:child_process";
import { constants } from "node:os";
import type { PrintableCredentials } from "./credential-formats";

/** Signals passed on to the command while it runs, as aws-vault exec does. */
// SIGUSR1 is Node.js's own (it starts the inspector).
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR2"];

/** Variables that would make the command's SDK or CLI prefer other credentials than the ones given to it. */
const CLEARED = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"] as const;

/**
 * `base` with the credentials in the variables the AWS SDKs and the CLI read (AWS_CREDENTIAL_EXPIRATION for the
 * SDKs' expiry, AWS_SECURITY_TOKEN for older tools, as aws-vault sets them) and any profile cleared. With the
 * emulator's `endpoint` (emulator configs only), AWS_ENDPOINT_URL sends the command's clients there.
 */
export function credentialEnvironment(
  base: NodeJS.ProcessEnv,
  credentials: PrintableCredentials,
  region?: string,
  endpoint?: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of CLEARED) delete env[name];
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: credentials.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.SecretAccessKey,
    AWS_SESSION_TOKEN: credentials.SessionToken,
    AWS_SECURITY_TOKEN: credentials.SessionToken,
  });
  if (credentials.Expiration) env.AWS_CREDENTIAL_EXPIRATION = credentials.Expiration;
  else delete env.AWS_CREDENTIAL_EXPIRATION;
  if (region) Object.assign(env, { AWS_REGION: region, AWS_DEFAULT_REGION: region });
  if (endpoint) env.AWS_ENDPOINT_URL = endpoint;
  return env;
}

/** How the command ended: its exit code, or the signal that ended it. */
export interface CommandEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The command could not be started (not found, not executable); exit code 127 as a shell would. */
export class CommandNotStartedError extends Error {
  readonly exitCode = 127;
}

/**
 * Runs `command` with `env` and this process's stdin, stdout and stderr, passing on the signals this process gets,
 * and resolves how it ended.
 */
export function runWithEnvironment(command: readonly string[], env: NodeJS.ProcessEnv): Promise<CommandEnd> {
  const [file, ...args] = command;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: "inherit" });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const stopForwarding = () => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    };
    child.on("error", (error: NodeJS.ErrnoException) => {
      stopForwarding();
      reject(new CommandNotStartedError(`could not run ${JSON.stringify(file)}: ${error.code ?? error.message}`));
    });
    child.on("exit", (code, signal) => {
      stopForwarding();
      resolve({ code, signal });
    });
  });
}

/**
 * Ends this process the way the command ended: with its exit code, or killed by its signal, which a shell (and tsx,
 * which runs `npm run assume`) reports as 128 + the signal's number.
 */
export function exitAs(end: CommandEnd): void {
  if (end.signal === null) {
    process.exit(end.code ?? 1);
  }
  const code = 128 + (constants.signals[end.signal] ?? 0);
  // Handlers of the signal (a runner's relay) would catch it: the default action ends this process.
  process.removeAllListeners(end.signal);
  process.kill(process.pid, end.signal);
  setTimeout(() => process.exit(code), 1000);
}
