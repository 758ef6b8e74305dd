import { CliError } from './errors.js';

/** Bound on `--note`: a change note is a sentence for the audit log, not a document. */
export const NOTE_LIMIT = 500;

/** The note travels in the X-Change-Note header: printable ASCII on one line, bounded. */
export function checkNote(note: string | undefined): string | undefined {
  if (note === undefined) return undefined;
  if (note.length > NOTE_LIMIT) throw new CliError(`--note is limited to ${NOTE_LIMIT} characters`);
  for (const char of note) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code > 0x7e)
      throw new CliError(
        '--note must be printable ASCII on one line (it is sent as the X-Change-Note header)',
      );
  }
  return note;
}
