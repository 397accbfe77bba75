import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { buildSync } from "esbuild";
import { writerEnvironment } from "../../functions/writer/environment";
import { bundleHandler } from "../../stacks/lambda/bundled-code";
import { WRITER_BUNDLE } from "../../stacks/writer/writer";
import { kb, measure, median, ms, RUNS, record } from "./table";

export async function bundleFigures(): Promise<void> {
  const ours = bundleHandler(WRITER_BUNDLE);
  const naive = buildSync({
    entryPoints: [WRITER_BUNDLE.entry],
    bundle: true,
    write: false,
    platform: "node",
    format: "cjs",
    minify: true,
    logLevel: "silent",
  }).outputFiles[0].contents;
  const oursGzip = gzipSync(ours).length;
  const naiveGzip = gzipSync(naive).length;
  record({
    figure: "Lambda bundle, minified",
    value: kb(ours.length),
    baseline: `${kb(naive.length)} (cjs, no mainFields)`,
    ratio: `${(ours.length / naive.length).toFixed(2)}x`,
    target: "<= 400 KB",
    met: ours.length <= 400 * 1024 ? "yes" : "no",
  });
  record({
    figure: "Lambda bundle, gzip",
    value: kb(oursGzip),
    baseline: kb(naiveGzip),
    ratio: `${(oursGzip / naiveGzip).toFixed(2)}x`,
    target: "report",
    met: "-",
  });

  // Module init: a fresh process imports the bundle with the function's environment (module-scope clients).
  const directory = mkdtempSync(path.join(os.tmpdir(), "bench-init-"));
  writeFileSync(path.join(directory, "index.mjs"), ours);
  writeFileSync(path.join(directory, "naive.cjs"), naive);
  const env = {
    ...process.env,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    ...writerEnvironment({
      destinations: [
        {
          name: "destination",
          accountId: "222222222222",
          region: "us-east-1",
          roleArn: "arn:aws:iam::222222222222:role/assume-role-via-111111111111",
          tableName: "wd-ddb-table",
          bucketName: "bucket",
        },
      ],
      bucketPrefix: "records",
      stsRegion: "us-east-1",
      roleSessionName: "bench",
      sessionDurationSeconds: 3600,
    }),
  };
  const init = (file: string) =>
    measure(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`,
      ],
      env,
    );
  const oursInit: number[] = [];
  const naiveInit: number[] = [];
  for (let run = 0; run < RUNS * 2; run += 1) {
    naiveInit.push(Number((await init(path.join(directory, "naive.cjs"))).stdout));
    oursInit.push(Number((await init(path.join(directory, "index.mjs"))).stdout));
  }
  const [a, b] = [median(oursInit), median(naiveInit)];
  record({
    figure: "bundle module init time",
    value: ms(a),
    baseline: ms(b),
    ratio: `${(a / b).toFixed(2)}x`,
    target: "<= 0.8x",
    met: a / b <= 0.8 ? "yes" : "no",
  });
  rmSync(directory, { recursive: true, force: true });
}
