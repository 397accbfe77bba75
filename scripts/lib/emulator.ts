import { type ChildProcess, spawn } from "node:child_process";
import { statSync } from "node:fs";
import { createServer } from "node:net";
import * as path from "node:path";
import { MIN_OPENTOFU_VERSION, MIN_TERRAFORM_VERSION } from "../../stacks/identifiers";

/** What to install when a tool is missing, by tool. */
export const INSTALL_HINTS: Readonly<Record<string, string>> = {
  terraform:
    `install Terraform >= ${MIN_TERRAFORM_VERSION} (https://developer.hashicorp.com/terraform/install) or put ` +
    `OpenTofu >= ${MIN_OPENTOFU_VERSION}'s \`tofu\` on PATH as \`terraform\``,
  moto_server: "install the local AWS emulator: pip install 'moto[server]==5.2.1'",
};

/** Thrown when a command the project needs is not on PATH; the message says what to install. */
export class MissingToolError extends Error {
  constructor(readonly tools: readonly string[]) {
    super(
      `missing on PATH: ${tools.join(", ")}\n${tools.map((tool) => `  - ${tool}: ${INSTALL_HINTS[tool] ?? "install it"}`).join("\n")}`,
    );
    this.name = "MissingToolError";
  }
}

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(path.delimiter).some((directory) => {
    try {
      return statSync(path.join(directory, command)).isFile();
    } catch {
      return false;
    }
  });
}

/** The tools among `tools` that are not on PATH. */
export function missingTools(tools: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  return tools.filter((tool) => !onPath(tool, env));
}

/** Throws a {@link MissingToolError} when any of `tools` is not on PATH. */
export function requireTools(tools: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const missing = missingTools(tools, env);
  if (missing.length > 0) throw new MissingToolError(missing);
}

/** A free TCP port on loopback, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

const running = new Set<ChildProcess>();
let exitHooksInstalled = false;

// A started emulator never outlives this process, whether it ends normally, by an error or by Ctrl-C.
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  const killAll = () => {
    for (const child of running) child.kill("SIGKILL");
  };
  process.once("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    });
  }
}

export interface EmulatorOptions {
  /** @default - a free port */
  readonly port?: number;
  /** How long to wait for the emulator to answer. @default 30000 */
  readonly startTimeoutMs?: number;
  /** Leave the emulator running after this process exits (for `npm start -- --keep`). @default false */
  readonly detached?: boolean;
}

/**
 * A local moto_server on loopback: multi-account AWS (IAM, STS, DynamoDB, S3, Lambda, CloudWatch Logs).
 * Each start is a new process with empty state.
 */
export class Emulator {
  static async start(options: EmulatorOptions = {}): Promise<Emulator> {
    requireTools(["moto_server"]);
    const port = options.port ?? (await freePort());
    const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
      stdio: ["ignore", "ignore", "pipe"],
      detached: options.detached ?? false,
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const emulator = new Emulator(child, `http://127.0.0.1:${port}`);
    if (!options.detached) {
      installExitHooks();
      running.add(child);
    }
    try {
      await emulator.waitUntilReady(options.startTimeoutMs ?? 30_000, () => stderr);
    } catch (error) {
      await emulator.stop();
      throw error;
    }
    if (options.detached) {
      child.stderr?.destroy();
      child.unref();
    }
    return emulator;
  }

  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  private async waitUntilReady(timeoutMs: number, output: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(
          `moto_server exited with code ${this.child.exitCode} before answering at ${this.endpoint}:\n${output()}`,
        );
      }
      try {
        const response = await fetch(`${this.endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`moto_server did not answer at ${this.endpoint} within ${timeoutMs} ms:\n${output()}`);
  }

  /** Stops the process and waits for it to exit. */
  async stop(): Promise<void> {
    running.delete(this.child);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
}
