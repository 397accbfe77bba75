/** Unit tests (synth, config, writer logic) and emulator tests (real terraform + moto_server), run by `npm test`. */
const transform = { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] };
const common = {
  testEnvironment: "node",
  transform,
  moduleFileExtensions: ["ts", "js", "json"],
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  // Build output: bundles, tree-shakable SDK client copies (their package.json would shadow the real packages),
  // emulator work directories.
  modulePathIgnorePatterns: ["<rootDir>/.build/", "<rootDir>/cdktf.out/", "<rootDir>/.work/"],
};

module.exports = {
  // Emulator tests mostly wait on terraform, its provider processes and the emulator (the provider's own waits, such
  // as an S3 lifecycle configuration's, are sleeps): three workers run them side by side even on 2 cores.
  maxWorkers: 3,
  // The emulator tests first, longest first: a fresh clone has no timings to order them by.
  testSequencer: "<rootDir>/test/longest-first-sequencer.js",
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: ["<rootDir>/test/**/*.test.ts"],
      // Test files live in subfolders by subject; the emulator tests are the e2e project's.
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/e2e/"],
    },
    {
      ...common,
      displayName: "e2e",
      testMatch: ["<rootDir>/test/e2e/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/setup.ts", "<rootDir>/test/e2e/setup.ts"],
    },
  ],
};
