import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** A profile to write: its name and its whole section text (`[profile <name>]` and its settings). */
export interface ProfileSection {
  readonly name: string;
  readonly section: string;
  /** A comment line written above a new section, e.g. the principal it is for. */
  readonly comment?: string;
}

/** What writing profiles into a config file did. */
export interface ProfileUpdate {
  readonly text: string;
  readonly added: readonly string[];
  readonly replaced: readonly string[];
}

const header = (line: string) => /^\s*\[([^\]]*)\]\s*$/.exec(line)?.[1].trim();

/**
 * `text` (an AWS shared config file) with each profile's section replaced where a `[profile <name>]` section exists,
 * appended where none does; every other line, comments included, is kept as it was.
 */
export function upsertProfiles(text: string, profiles: readonly ProfileSection[]): ProfileUpdate {
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const added: string[] = [];
  const replaced: string[] = [];
  for (const profile of profiles) {
    const start = lines.findIndex((line) => header(line) === `profile ${profile.name}`);
    if (start < 0) {
      if (lines.length > 0 && lines.at(-1) !== "") lines.push("");
      lines.push(...(profile.comment ? [`# ${profile.comment}`] : []), ...profile.section.split("\n"));
      added.push(profile.name);
      continue;
    }
    let end = start + 1;
    while (end < lines.length && header(lines[end]) === undefined) end += 1;
    // Blank and comment lines just above the next section belong to it.
    while (end > start + 1 && /^\s*([#;].*)?$/.test(lines[end - 1])) end -= 1;
    lines.splice(start, end - start, ...profile.section.split("\n"));
    replaced.push(profile.name);
  }
  return { text: `${lines.join("\n")}\n`, added, replaced };
}

/**
 * Writes profiles into the config file at `given` (created, with its folder, when missing; owner-only as the AWS CLI
 * makes it). The new text goes to a temporary file renamed over the old one, so a failure leaves the file as it was.
 */
export function writeProfiles(given: string, profiles: readonly ProfileSection[]): ProfileUpdate {
  // A config file that is a link (dotfiles) is updated where it points.
  const file = existsSync(given) ? realpathSync(given) : given;
  const before = existsSync(file) ? readFileSync(file, "utf8") : "";
  const update = upsertProfiles(before, profiles);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, update.text, { mode: 0o600 });
  renameSync(temporary, file);
  return update;
}
