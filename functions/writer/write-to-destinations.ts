import { WriterRequest } from "./event";
import { Destination, DestinationWriteError, WriteResult, WriterClients, describeFailure, writeRecord } from "./write-record";
import { BulkWriteResult, writeRecords } from "./write-records";

/** One destination, ready to write to: its clients carry credentials of its role. */
export interface DestinationTarget {
  readonly destination: Destination;
  readonly clients: WriterClients;
}

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

async function writeTo(target: DestinationTarget, request: WriterRequest): Promise<{ statusCode: 200 | 201 | 207; result: DestinationResult }> {
  const destination = target.destination.name;
  if (request.bulk) {
    const result = await writeRecords(target.clients, target.destination, request.records);
    return { statusCode: result.failed.length > 0 ? 207 : 200, result: { destination, ...result } };
  }
  const result = await writeRecord(target.clients, target.destination, request.records[0]);
  return { statusCode: result.alreadyWritten ? 200 : 201, result: { destination, ...result } };
}

/**
 * Writes the request's records into each destination it names, all destinations at once. Each destination gets
 * the same records (same timestamp and uuid) with the same guarantees as a single one, so retrying an event that
 * failed in one destination writes there and reports the others as already written.
 */
export async function writeToDestinations(targets: ReadonlyMap<string, DestinationTarget>, request: WriterRequest): Promise<WriterResponse> {
  const chosen = request.destinations.map((name) => {
    const target = targets.get(name);
    if (!target) throw new Error(`no destination named ${JSON.stringify(name)}; the writer knows ${[...targets.keys()].join(", ")}`);
    return target;
  });
  if (chosen.length === 1) {
    const { statusCode, result } = await writeTo(chosen[0], request);
    return { statusCode, body: JSON.stringify(result) };
  }
  const settled = await Promise.allSettled(chosen.map((target) => writeTo(target, request)));
  const failed = settled.flatMap((outcome, index) => (outcome.status === "rejected" ? [{ name: chosen[index].destination.name, error: outcome.reason as unknown }] : []));
  if (failed.length > 0) {
    const done = chosen.map((target) => target.destination.name).filter((name) => !failed.some((failure) => failure.name === name));
    throw new DestinationWriteError(
      `${failed.map(({ name, error }) => `destination ${name}: ${error instanceof Error ? error.message : describeFailure(error)}`).join("; ")}` +
        ` (written to ${done.length > 0 ? done.join(", ") : "no destination"}; retrying the event is safe: destinations that have the record report it as already written)`,
      failed[0].error,
    );
  }
  const fulfilled = settled.map((outcome) => (outcome as PromiseFulfilledResult<Awaited<ReturnType<typeof writeTo>>>).value);
  const codes = fulfilled.map((outcome) => outcome.statusCode);
  const statusCode = codes.includes(207) ? 207 : codes.includes(201) ? 201 : 200;
  return { statusCode, body: JSON.stringify({ results: fulfilled.map((outcome) => outcome.result) }) };
}
