import { spawn } from "node:child_process";
import * as path from "node:path";

/** The project's checkout: where main.ts, node_modules and the build output are. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
/** Build output the scripts and tests write (bundles, work directories, the Terraform CLI config). */
export const BUILD_DIRECTORY = path.join(PROJECT_ROOT, ".build");
/** The project's tsx, which runs TypeScript entry points (main.ts, the scripts) without a compile step. */
export const TSX = path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx");

/** Bad command-line arguments: the message says which and what is allowed; scripts exit with 2 on it. */
export class UsageError extends Error {}

/** How a command ended and what it printed. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command failed; the message carries its output's tail. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    const tail = (result.stderr || result.stdout).trim().split("\n").slice(-25).join("\n");
    super(`\`${command}\` exited with ${result.code}:\n${tail}`);
    this.name = "CommandError";
  }
}

/** How {@link run} runs a command. */
export interface RunOptions {
  /** @default - this process's working directory */
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Exit codes that are not failures. @default [0] */
  readonly okCodes?: readonly number[];
  /** Echo output while running. @default false */
  readonly echo?: boolean;
  /** Written to the command's stdin, which is then closed. @default - no stdin */
  readonly input?: string;
}

/** Runs a command to completion, collecting its output; throws {@link CommandError} on an unexpected exit code. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk;
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk;
      if (options.echo) process.stderr.write(chunk);
    });
    child.once("error", reject);
    child.once("close", (code) => {
      const result = { code: code ?? 1, stdout, stderr };
      if ((options.okCodes ?? [0]).includes(result.code)) resolve(result);
      else reject(new CommandError(`${command} ${args.join(" ")}`, result));
    });
    child.stdin?.end(options.input);
  });
}
