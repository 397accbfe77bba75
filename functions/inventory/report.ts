import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

/** A part is written once it holds this many lines... */
export const PART_MAX_LINES = 5000;
/** ...or this many bytes, whichever comes first, so memory stays flat however many accounts there are. */
export const PART_MAX_BYTES = 4 * 1024 * 1024;

export interface ReportLocation {
  readonly bucket: string;
  /** Without leading or trailing slashes; may be empty. */
  readonly prefix: string;
  readonly runId: string;
}

export interface ReportLimits {
  readonly maxLines: number;
  readonly maxBytes: number;
}

/** The key of a report's part, numbered from 1: `<prefix>/<runId>/part-00001.jsonl`. */
export function partKey(location: ReportLocation, part: number): string {
  return `${runPrefix(location)}part-${String(part).padStart(5, "0")}.jsonl`;
}

export function summaryKey(location: ReportLocation): string {
  return `${runPrefix(location)}summary.json`;
}

function runPrefix({ prefix, runId }: ReportLocation): string {
  return `${prefix ? `${prefix}/` : ""}${runId}/`;
}

/** `s3://bucket/prefix/runId/`: where a run's parts and summary are. */
export function reportUri(location: ReportLocation): string {
  return `s3://${location.bucket}/${runPrefix(location)}`;
}

/** A run id that sorts by time: `2025-06-01T12-00-00-000Z-1a2b3c`. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const suffix = Math.floor(random() * 0x1000000)
    .toString(16)
    .padStart(6, "0");
  return `${now.toISOString().replace(/[:.]/g, "-")}-${suffix}`;
}

/**
 * Writes rows as a JSON Lines report in parts: lines are buffered and put as one object per {@link PART_MAX_LINES}
 * lines or {@link PART_MAX_BYTES} bytes. `write` waits while a part is being put, so callers slow down instead of
 * piling up lines; puts happen one at a time, in order.
 */
export class ReportWriter {
  private lines: string[] = [];
  private bytes = 0;
  private parts = 0;
  private written = 0;
  private putting: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly s3: S3Client,
    readonly location: ReportLocation,
    private readonly limits: ReportLimits = { maxLines: PART_MAX_LINES, maxBytes: PART_MAX_BYTES },
  ) {}

  /** Parts put (or being put) so far. */
  get partCount(): number {
    return this.parts;
  }

  /** Lines put so far. */
  get lineCount(): number {
    return this.written;
  }

  /** Lines held in memory, not yet put. */
  get bufferedLines(): number {
    return this.lines.length;
  }

  async write(row: object): Promise<void> {
    if (this.closed) throw new Error(`report ${reportUri(this.location)} is closed`);
    const line = `${JSON.stringify(row)}\n`;
    this.lines.push(line);
    this.bytes += Buffer.byteLength(line);
    if (this.lines.length >= this.limits.maxLines || this.bytes >= this.limits.maxBytes) await this.flush();
    else await this.putting;
  }

  /** Puts the remaining lines as a last part and the summary; returns the report's URI. */
  async close(summary: object): Promise<string> {
    this.closed = true;
    await this.flush();
    await this.put(
      summaryKey(this.location),
      JSON.stringify({ ...summary, parts: this.parts, lines: this.written }, null, 2),
      "application/json",
    );
    return reportUri(this.location);
  }

  private flush(): Promise<void> {
    if (this.lines.length === 0) return this.putting;
    const body = this.lines.join("");
    const count = this.lines.length;
    this.lines = [];
    this.bytes = 0;
    this.parts += 1;
    const key = partKey(this.location, this.parts);
    this.putting = this.putting.then(async () => {
      await this.put(key, body, "application/x-ndjson");
      this.written += count;
    });
    return this.putting;
  }

  private async put(key: string, body: string, contentType: string): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.location.bucket, Key: key, Body: body, ContentType: contentType }),
      );
    } catch (error) {
      const { name, message } = error as Error;
      throw new Error(
        `could not put the inventory report part s3://${this.location.bucket}/${key}: ${name}: ${message}`,
      );
    }
  }
}
