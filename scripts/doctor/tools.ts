import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { CrossAccountConfig } from "../../stacks/config";
import { MIN_OPENTOFU_VERSION, MIN_TERRAFORM_VERSION } from "../../stacks/identifiers";
import { findProviderMirror } from "../terraform/terraform-env";
import { type CheckResult, ok, problem, skipped } from "./check";

/** S3 native state locking (`use_lockfile`) is generally available from Terraform 1.11 (experimental in 1.10). */
export const MINIMUM_TERRAFORM_FOR_NATIVE_LOCKING = "1.11.0";
/** The Node.js the project runs on (package.json engines). */
export const MINIMUM_NODE = "20.0.0";
/** The hashicorp/aws provider version @cdktf/provider-aws 20.1.0 generates for. */
export const AWS_PROVIDER_VERSION = "5.100.0";
const AWS_PROVIDER_SOURCE = "registry.terraform.io/hashicorp/aws";

/** Which Terraform binary cdktf runs, and its version; undefined version when it is missing or does not answer. */
export interface TerraformFound {
  readonly binary: string;
  readonly version?: string;
  /** OpenTofu rather than Terraform. */
  readonly tofu: boolean;
}

/** Compares dotted versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((version) => version.replace(/^v/, "").split(/[.-]/).slice(0, 3).map(Number));
  for (let index = 0; index < 3; index += 1) {
    const difference = (x[index] || 0) - (y[index] || 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Runs `<binary> version -json` (cdktf runs TERRAFORM_BINARY_NAME, else terraform), at most 15 s. */
export function findTerraform(env: NodeJS.ProcessEnv): Promise<TerraformFound> {
  const binary = env.TERRAFORM_BINARY_NAME || "terraform";
  return new Promise((resolve) => {
    const child = spawn(binary, ["version", "-json"], { env: { ...env, CHECKPOINT_DISABLE: "1" } });
    // Our own limit rather than spawn's `timeout`, whose timer outlives a binary that is not found (no exit event)
    // and kept the process alive 15 s.
    const limit = setTimeout(() => child.kill(), 15_000);
    limit.unref();
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.once("error", () => {
      clearTimeout(limit);
      resolve({ binary, tofu: false });
    });
    child.once("close", () => {
      clearTimeout(limit);
      try {
        const parsed = JSON.parse(stdout) as { terraform_version?: string };
        resolve({ binary, version: parsed.terraform_version, tofu: /tofu/i.test(path.basename(binary)) });
      } catch {
        resolve({ binary, tofu: false });
      }
    });
  });
}

/** Whether the config keeps state in S3 with native lock files. */
export const usesNativeLocking = (config: CrossAccountConfig) =>
  !!config.stateBackend && !config.stateBackend.lockTable;

export function checkNode(version = process.versions.node): CheckResult {
  return compareVersions(version, MINIMUM_NODE) >= 0
    ? ok("tools", "Node.js", `${version} (>= ${MINIMUM_NODE})`)
    : problem(
        "tools",
        "Node.js",
        `${version} is older than ${MINIMUM_NODE}`,
        "install Node.js 22 (https://nodejs.org/)",
      );
}

export function checkTerraform(found: TerraformFound, config: CrossAccountConfig): CheckResult {
  const subject = found.binary;
  if (!found.version) {
    return problem(
      "tools",
      subject,
      `\`${found.binary} version\` did not answer: it is not on PATH or does not run`,
      "install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install), or OpenTofu with TERRAFORM_BINARY_NAME=tofu",
    );
  }
  // Terraform 1.11 is the project's minimum (S3 native locking is GA there); OpenTofu has use_lockfile from 1.10.
  const minimum = found.tofu ? MIN_OPENTOFU_VERSION : MIN_TERRAFORM_VERSION;
  if (compareVersions(found.version, minimum) < 0) {
    const product = found.tofu ? "OpenTofu" : "Terraform";
    const why = usesNativeLocking(config)
      ? "S3 native state locking (use_lockfile) and the project need"
      : "the project needs";
    return problem(
      "tools",
      subject,
      `${found.version} is older than ${minimum}, which ${why}`,
      found.tofu
        ? `install OpenTofu >= ${minimum} (https://opentofu.org/docs/intro/install/)`
        : `install ${product} >= ${minimum} (https://developer.hashicorp.com/terraform/install)`,
    );
  }
  return ok("tools", subject, `${found.version} (>= ${minimum})`);
}

/** Terraform's os_arch of this machine, as provider packages are named. */
export const terraformPlatform = () =>
  `${process.platform === "win32" ? "windows" : process.platform}_${{ x64: "amd64", arm64: "arm64", ia32: "386" }[process.arch as string] ?? process.arch}`;

/**
 * hashicorp/aws at the version the stack needs: in the offline mirror the project's commands use
 * (scripts/terraform/terraform-env.ts), else the registry, asked through `probeRegistry` (injected: tests never call out).
 */
export async function checkProvider(
  env: NodeJS.ProcessEnv,
  probeRegistry: () => Promise<boolean>,
  findMirror: (env: NodeJS.ProcessEnv) => string | undefined = findProviderMirror,
): Promise<CheckResult> {
  const subject = `provider hashicorp/aws ${AWS_PROVIDER_VERSION}`;
  let mirror: string | undefined;
  try {
    mirror = findMirror(env);
  } catch (error) {
    return problem(
      "tools",
      subject,
      (error as Error).message,
      "unset TF_PROVIDER_MIRROR or point it at a provider mirror",
    );
  }
  const platform = terraformPlatform();
  if (mirror) {
    const versionDirectory = path.join(mirror, AWS_PROVIDER_SOURCE, AWS_PROVIDER_VERSION);
    const unpacked = path.join(versionDirectory, platform);
    const packed = path.join(
      mirror,
      AWS_PROVIDER_SOURCE,
      `terraform-provider-aws_${AWS_PROVIDER_VERSION}_${platform}.zip`,
    );
    if (existsSync(unpacked) || existsSync(packed))
      return ok("tools", subject, `offline mirror ${mirror} (${platform})`);
    return problem(
      "tools",
      subject,
      `the offline mirror ${mirror} has no hashicorp/aws ${AWS_PROVIDER_VERSION} for ${platform}`,
      `terraform providers mirror -platform=${platform} ${mirror} (in a synthesized stack directory, with internet access)`,
    );
  }
  if (await probeRegistry()) return ok("tools", subject, "registry.terraform.io answers (no offline mirror)");
  return problem(
    "tools",
    subject,
    "no offline mirror and registry.terraform.io does not answer: terraform init cannot install the provider",
    `set TF_PROVIDER_MIRROR to a directory holding ${AWS_PROVIDER_SOURCE}/${AWS_PROVIDER_VERSION}/${platform}/`,
  );
}

/** Asks the registry's discovery document, at most 3 s. */
export async function registryAnswers(): Promise<boolean> {
  try {
    const response = await fetch("https://registry.terraform.io/.well-known/terraform.json", {
      signal: AbortSignal.timeout(3000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** The emulator the config targets answers, at most 3 s. */
export async function checkEmulator(config: CrossAccountConfig): Promise<CheckResult> {
  if (!config.emulator) return skipped("tools", "emulator", "the config targets real AWS");
  const endpoint = config.emulator.endpoint.replace(/\/+$/, "");
  try {
    // Any answer will do: moto's dashboard page is small (data.json holds the whole state).
    await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(3000) });
    return ok("tools", "emulator", `${endpoint} answers`);
  } catch (error) {
    const port = new URL(endpoint).port || "80";
    return problem(
      "tools",
      "emulator",
      `nothing answers at ${endpoint}: ${(error as Error).message}`,
      `moto_server -p ${port}`,
    );
  }
}
