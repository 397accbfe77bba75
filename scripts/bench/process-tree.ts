import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const SAMPLE_EVERY_MS = 100;

/** What a command cost: its wall time and the peak of its whole process tree's resident memory. */
export interface TreeCost {
  readonly ms: number;
  /** Largest sum of VmRSS over the command and all its descendants at one sample. */
  readonly peakKb: number;
  /** Most processes in the tree at one sample. */
  readonly peakProcesses: number;
}

function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name, which is in parentheses and may hold spaces: state, ppid, ...
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // the process ended while being read
    }
  }
  return parents;
}

function residentKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The resident memory of `root` and its descendants now, summed, and how many they are. */
export function treeResidentKb(root: number): { kb: number; processes: number } {
  const parents = parentsByPid();
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let kb = 0;
  for (const pid of tree) kb += residentKb(pid);
  return { kb, processes: tree.size };
}

/** Runs a command to completion, sampling its process tree's memory every 100 ms (Linux /proc). */
export function measureTree(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<TreeCost>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
    let peakKb = 0;
    let peakProcesses = 0;
    const sample = () => {
      if (child.pid === undefined || child.exitCode !== null) return;
      const now = treeResidentKb(child.pid);
      peakKb = Math.max(peakKb, now.kb);
      peakProcesses = Math.max(peakProcesses, now.processes);
    };
    const timer = setInterval(sample, SAMPLE_EVERY_MS);
    child.once("error", (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearInterval(timer);
      if (code === 0) resolve({ ms: performance.now() - started, peakKb, peakProcesses });
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output}`));
    });
  });
}
