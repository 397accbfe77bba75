import { CommandError, run } from "../scripts/shared/process";

// That the harness loads no cdktf is rule harness-loads-no-cdktf of .dependency-cruiser.cjs (test/house-rules.test.ts).
const NODE = process.execPath;

describe("run", () => {
  test("collects the output and writes the input to stdin", async () => {
    const echo = "process.stdin.pipe(process.stdout); console.error('note')";
    const result = await run(NODE, ["-e", echo], { input: "events" });
    expect(result).toEqual({ code: 0, stdout: "events", stderr: "note\n" });
  });

  test("gives the command an empty stdin when there is no input", async () => {
    const count = "let n = 0; process.stdin.on('data', (c) => (n += c.length)).on('end', () => console.log(n))";
    expect((await run(NODE, ["-e", count])).stdout).toBe("0\n");
  });

  test("accepts the exit codes it is told are not failures", async () => {
    expect((await run(NODE, ["-e", "process.exit(2)"], { okCodes: [0, 2] })).code).toBe(2);
  });
});

describe("run fails", () => {
  test("on an unexpected exit code with a CommandError carrying the result and the output's tail", async () => {
    const failing = "console.error('it broke'); process.exit(3)";
    const failed = await run(NODE, ["-e", failing]).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(CommandError);
    expect((failed as CommandError).result).toEqual({ code: 3, stdout: "", stderr: "it broke\n" });
    expect((failed as CommandError).message).toMatch(/exited with 3:\nit broke$/);
  });
});
