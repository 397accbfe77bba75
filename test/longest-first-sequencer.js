/**
 * The emulator tests first, longest first, then Jest's own order for the rest. On a fresh clone (CI) Jest has no
 * timing cache and orders by file size, unit and emulator files mixed, so a long deployment file could start last
 * and run alone while the other workers sit idle. An emulator file's time is Jest's own when it has one, else its
 * seconds as measured in CI (2 cores, three workers); a file missing here counts as quick.
 */
const path = require("node:path");
const Sequencer = require("@jest/test-sequencer").default;

const EMULATOR_SECONDS = {
  "inventory-stack.test.ts": 362,
  "deploy-and-write.test.ts": 315,
  "team-state.test.ts": 291,
  "reliability.test.ts": 274,
  "many-destinations.test.ts": 186,
  "start.test.ts": 151,
  "organization-writer.test.ts": 114,
  "vending.test.ts": 108,
  "source-principals.test.ts": 78,
  "doctor.test.ts": 42,
  "terraform-validate.test.ts": 37,
  "inventory-core.test.ts": 6,
};

const isEmulatorTest = (test) => path.basename(path.dirname(test.path)) === "e2e";
const expectedMs = (test) => test.duration ?? (EMULATOR_SECONDS[path.basename(test.path)] ?? 0) * 1000;

class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    const emulator = ordered.filter(isEmulatorTest).sort((a, b) => expectedMs(b) - expectedMs(a));
    return [...emulator, ...ordered.filter((test) => !isEmulatorTest(test))];
  }
}

LongestFirstSequencer.EMULATOR_SECONDS = EMULATOR_SECONDS;
module.exports = LongestFirstSequencer;
