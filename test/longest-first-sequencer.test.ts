import { readdirSync } from "node:fs";
import * as path from "node:path";

// The test order jest.config.js sets (test/longest-first-sequencer.js), run on stand-ins for Jest's tests.
const LongestFirstSequencer = require("./longest-first-sequencer") as {
  new (): { sort(tests: FakeTest[]): FakeTest[]; _cache: Map<unknown, Record<string, [number, number]>> };
  EMULATOR_SECONDS: Record<string, number>;
};

interface FakeTest {
  readonly path: string;
  readonly context: { config: { cache: boolean; id: string }; hasteFS: { getSize(file: string): number } };
  duration?: number;
}

const E2E = path.join(__dirname, "e2e");
const context = (sizes: Record<string, number>) => ({
  config: { cache: false, id: "unit" },
  hasteFS: { getSize: (file: string) => sizes[file] ?? 0 },
});

describe("the order the suite runs in", () => {
  test("emulator files first, longest first by their measured seconds, then the rest by size as Jest orders them", () => {
    const sizes = {
      "/p/test/big.test.ts": 9_000,
      "/p/test/small.test.ts": 100,
      [path.join(E2E, "doctor.test.ts")]: 8_000,
      [path.join(E2E, "team-state.test.ts")]: 7_000,
      [path.join(E2E, "inventory-stack.test.ts")]: 10_000,
    };
    const shared = context(sizes);
    const tests: FakeTest[] = Object.keys(sizes).map((file) => ({ path: file, context: shared }));
    const sorted = new LongestFirstSequencer().sort(tests).map((test) => path.basename(test.path));
    expect(sorted).toEqual([
      "inventory-stack.test.ts",
      "team-state.test.ts",
      "doctor.test.ts",
      "big.test.ts",
      "small.test.ts",
    ]);
  });

  test("an emulator file Jest has timed goes by its own time", () => {
    const shared = context({});
    const doctor = path.join(E2E, "doctor.test.ts");
    const tests: FakeTest[] = [path.join(E2E, "team-state.test.ts"), doctor].map((file) => ({
      path: file,
      context: shared,
    }));
    const sequencer = new LongestFirstSequencer();
    sequencer._cache.set(shared, { [doctor]: [1, 900_000] });
    expect(sequencer.sort(tests).map((test) => path.basename(test.path))).toEqual([
      "doctor.test.ts",
      "team-state.test.ts",
    ]);
  });

  test("every emulator test file has its measured seconds", () => {
    const files = readdirSync(E2E).filter((file) => file.endsWith(".test.ts"));
    expect(Object.keys(LongestFirstSequencer.EMULATOR_SECONDS).sort()).toEqual(files.sort());
  });
});
