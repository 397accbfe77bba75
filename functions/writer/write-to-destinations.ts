import type { WriterRequest } from "./event";
import { type BulkWriteResult, writeBulk } from "./write-bulk";
import { DestinationWriteError, describeFailure } from "./write-failure";
import { type WriteResult, writeRecord } from "./write-record";
import type { DestinationWithClients } from "./writer-clients";

export interface WriterResponse {
  /** 201 written, 200 already there (or a bulk event fully done), 207 a bulk event with failed records, 400 bad event. */
  readonly statusCode: 200 | 201 | 207 | 400;
  /**
   * JSON. One destination: its WriteResult or BulkWriteResult with `destination` (its name). Several: `{ results }`,
   * one such result per destination. A bad event: `{ error, problems }`.
   */
  readonly body: string;
}

type DestinationResult = { readonly destination: string } & (WriteResult | BulkWriteResult);

async function writeTo(
  { settings, clients }: DestinationWithClients,
  request: WriterRequest,
): Promise<{ statusCode: 200 | 201 | 207; result: DestinationResult }> {
  const destination = settings.name;
  if (request.bulk) {
    const result = await writeBulk(clients, settings, request.records);
    return { statusCode: result.failed.length > 0 ? 207 : 200, result: { destination, ...result } };
  }
  const result = await writeRecord(clients, settings, request.records[0]);
  return { statusCode: result.alreadyWritten ? 200 : 201, result: { destination, ...result } };
}

/**
 * Writes the request's records into each destination it names, all destinations at once. Each destination gets
 * the same records (same timestamp and uuid) with the same guarantees as a single one, so retrying an event that
 * failed in one destination writes there and reports the others as already written.
 */
export async function writeToDestinations(
  destinations: ReadonlyMap<string, DestinationWithClients>,
  request: WriterRequest,
): Promise<WriterResponse> {
  const chosen = request.destinations.map((name) => {
    const destination = destinations.get(name);
    if (!destination) {
      const known = [...destinations.keys()].join(", ");
      throw new Error(`no destination named ${JSON.stringify(name)}; the writer knows ${known}`);
    }
    return destination;
  });
  if (chosen.length === 1) {
    const { statusCode, result } = await writeTo(chosen[0], request);
    return { statusCode, body: JSON.stringify(result) };
  }
  const settled = await Promise.allSettled(chosen.map((destination) => writeTo(destination, request)));
  const failed = settled.flatMap((outcome, index) =>
    outcome.status === "rejected" ? [{ name: chosen[index].settings.name, error: outcome.reason as unknown }] : [],
  );
  if (failed.length > 0) {
    const done = chosen
      .map((destination) => destination.settings.name)
      .filter((name) => !failed.some((failure) => failure.name === name));
    throw new DestinationWriteError(
      `${failed.map(({ name, error }) => `destination ${name}: ${error instanceof Error ? error.message : describeFailure(error)}`).join("; ")}` +
        ` (written to ${done.length > 0 ? done.join(", ") : "no destination"}; retrying the event is safe: destinations that have the record report it as already written)`,
      failed[0].error,
    );
  }
  const fulfilled = settled.map(
    (outcome) => (outcome as PromiseFulfilledResult<Awaited<ReturnType<typeof writeTo>>>).value,
  );
  const codes = fulfilled.map((outcome) => outcome.statusCode);
  const statusCode = codes.includes(207) ? 207 : codes.includes(201) ? 201 : 200;
  return { statusCode, body: JSON.stringify({ results: fulfilled.map((outcome) => outcome.result) }) };
}
