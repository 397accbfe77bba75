// The rules of the house (docs/layout.md), checked on every import by `npm run lint:imports` and `npm test`:
// a broken rule fails with its name and the import that broke it. test/house-rules.test.ts proves each one fires.

/** Where the harness lives: what only the tests, the demo and the bench need (emulator, fault proxy, bundle runner). */
const HARNESS = "^scripts/lib/";
/** What may use the harness: the tests, the demo, the bench and the harness itself. */
const HARNESS_USERS = ["^test/", "^scripts/bench/", "^scripts/bench\\.ts$", "^scripts/demo\\.ts$", HARNESS];
/** What a Lambda function may depend on: its own code, functions/shared/ and its runtime packages. */
const FUNCTIONS = "^functions/";
/** Code that only the tests need. */
const TEST_ONLY_PACKAGES = "node_modules/(aws-sdk-client-mock|jest|@jest|ts-jest|@types/jest)/";
/** The real IAM evaluator: product code in the access map (npm run access, CI's access gate), and the IAM tests. */
const IAM_EVALUATOR = "node_modules/@cloud-copilot/iam-simulate/";
/** Synthesis runs main.ts in a child process: nothing the harness loads needs cdktf. */
const CDKTF = "node_modules/(cdktf|@cdktf/[^/]+|constructs)/";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Rooms are one-way (STYLE.md 16): types and constants at the bottom, rules above, loading on top.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "stacks-import-only-function-contracts",
      comment: "stacks/ (and main.ts) see a function only through its environment.ts contract module.",
      severity: "error",
      from: { path: ["^stacks/", "^main\\.ts$"] },
      to: { path: FUNCTIONS, pathNot: "^functions/[^/]+/environment\\.ts$" },
    },
    {
      name: "functions-stand-alone",
      comment:
        "A function's bundle holds only functions/ and its packages: nothing of the stack, the scripts or tests.",
      severity: "error",
      from: { path: FUNCTIONS },
      to: { path: ["^stacks/", "^scripts/", "^test/", "^main\\.ts$"] },
    },
    {
      name: "harness-loads-no-cdktf",
      comment: "Nothing the harness reaches, even through a type, is cdktf, @cdktf/* or constructs.",
      severity: "error",
      from: { path: HARNESS },
      to: { path: CDKTF, reachable: true },
    },
    {
      name: "test-only-packages-stay-in-tests",
      comment: "aws-sdk-client-mock and jest are for tests only; nothing else imports them.",
      severity: "error",
      from: { pathNot: "^test/" },
      to: { path: TEST_ONLY_PACKAGES },
    },
    {
      name: "iam-evaluator-only-in-access-map-and-tests",
      comment:
        "The IAM evaluator is the access map's (product code users run) and the tests': never a stack or function.",
      severity: "error",
      from: { pathNot: ["^scripts/access-map/", "^test/"] },
      to: { path: IAM_EVALUATOR },
    },
    {
      name: "only-tests-demo-bench-use-the-harness",
      comment: "Code users run (stacks, functions, npm commands, their rooms) never imports the harness.",
      severity: "error",
      from: { pathNot: HARNESS_USERS },
      to: { path: HARNESS },
    },
    {
      name: "nothing-imports-tests",
      comment: "test/ may import anything; nothing outside it imports test/.",
      severity: "error",
      from: { pathNot: "^test/" },
      to: { path: "^test/" },
    },
    {
      name: "no-unresolvable-import",
      comment: "An import the tree cannot resolve is a typo or a missing package.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "no-orphans",
      comment: "A file nothing imports and that imports nothing is dead, unless a tool loads it by name.",
      severity: "error",
      // jest.config.js names the e2e setup file.
      from: { orphan: true, pathNot: ["^test/e2e/setup\\.ts$", "\\.d\\.ts$"] },
      to: {},
    },
  ],
  options: {
    // Type-only imports count: a reader reads them too, so a loop through a type is still a loop.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // node_modules is a symlink in worktrees: keep its paths as node_modules/..., not the link's target.
    preserveSymlinks: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^\\.build/", "^cdktf\\.out/", "^test/fixtures/"] },
    enhancedResolveOptions: {
      extensions: [".ts", ".mjs", ".cjs", ".js"],
      exportsFields: ["exports"],
      conditionNames: ["require", "import", "node", "default", "types"],
      mainFields: ["main", "types"],
    },
    moduleSystems: ["cjs", "es6"],
    reporterOptions: {
      // The folder-level picture of the rooms (npm run layout:picture).
      archi: { collapsePattern: "^(node_modules/(@[^/]+/)?[^/]+|scripts/[^/]+|functions/[^/]+|stacks/[^/]+|test)" },
    },
  },
};
