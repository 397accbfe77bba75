import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bundleHandler } from "../stacks/lambda/bundled-code";
import { literalTraitKeys, treeShakableClient } from "../stacks/lambda/tree-shakable-sdk";
import { WRITER_BUNDLE } from "../stacks/writer/writer";

describe("literalTraitKeys", () => {
  test("writes computed trait keys as the string literals their constants hold, and nothing else", () => {
    const source = [
      `const _e = "error";`,
      `const _hE = "httpError";`,
      `const _q = "say \\"hi\\"";`,
      `export var AccessDenied$ = [-3, n0, _AD, { [_e]: _c, [_hE]: 403, [_q]: 1, [other]: 2 }, [], []];`,
    ].join("\n");
    const { code, replaced } = literalTraitKeys(source);
    expect(replaced).toBe(3);
    expect(code.split("\n")[3]).toBe(
      `export var AccessDenied$ = [-3, n0, _AD, { "error": _c, "httpError": 403, "say \\"hi\\"": 1, [other]: 2 }, [], []];`,
    );
  });
});

describe("treeShakableClient", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "sdk-copies-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("copies a client's ES modules once per version, with no computed key left in its schemas", () => {
    const copy = treeShakableClient("@aws-sdk/client-s3", root);
    const { version } = JSON.parse(readFileSync(require.resolve("@aws-sdk/client-s3/package.json"), "utf8")) as {
      version: string;
    };
    expect(path.basename(copy)).toBe(`@aws-sdk+client-s3@${version}-t1`);
    const schemas = path.join(copy, "dist-es", "schemas");
    for (const file of readdirSync(schemas))
      expect(readFileSync(path.join(schemas, file), "utf8")).not.toMatch(/\[_\w+\]:/);
    expect(treeShakableClient("@aws-sdk/client-s3", root)).toBe(copy);
    expect(readdirSync(root)).toEqual([path.basename(copy)]);
  });
});

describe("the writer bundle", () => {
  const bundle = Buffer.from(bundleHandler(WRITER_BUNDLE)).toString("utf8");

  test("keeps the schemas of the operations the writer calls", () => {
    for (const operation of ["PutObject", "PutItem", "BatchWriteItem", "AssumeRole"])
      expect(bundle).toContain(`"${operation}"`);
  });

  test("drops the schemas of S3 and DynamoDB operations it never calls", () => {
    for (const unused of [
      "PutBucketAnalyticsConfiguration",
      "SelectObjectContent",
      "GetObjectOutput",
      "ListObjectsV2",
      "CreateTable",
      "DescribeContinuousBackups",
    ]) {
      expect({ unused, present: bundle.includes(`"${unused}"`) }).toEqual({ unused, present: false });
    }
  });
});
