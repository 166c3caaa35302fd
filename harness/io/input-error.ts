/**
 * Bad input, reported to a person as one line: the file and where in it (packet number, byte offset,
 * line, or a key path), and what is wrong. The CLI prints `message` and exits 2, never a stack trace.
 * Readers attach what they have; format() assembles the line.
 */
export interface InputLocation {
  file?: string;
  /** 1-based packet (frame) number in a capture. */
  packet?: number;
  /** Byte offset in the file. */
  offset?: number;
  /** 1-based line in a text file. */
  line?: number;
  /** A key path in a YAML/JSON document, e.g. `vpp[0].interfaces[2].mac`. */
  key?: string;
}

export class InputError extends Error {
  constructor(
    readonly reason: string,
    readonly where: InputLocation = {},
    /** A stable machine-readable kind, e.g. `pcap.bad-magic`, `scenario.unknown-key`. */
    readonly code = 'input',
  ) {
    super(InputError.format(reason, where));
    this.name = 'InputError';
  }

  static format(reason: string, w: InputLocation): string {
    const at: string[] = [];
    if (w.line !== undefined) at.push(`line ${w.line}`);
    if (w.packet !== undefined) at.push(`packet ${w.packet}`);
    if (w.offset !== undefined) at.push(`offset ${w.offset}`);
    // Without a file the error is about the command line: `--jobs expects ...` names its option
    // itself, and a "<input> (key --jobs):" prefix only read as a placeholder nobody filled in.
    if (w.key !== undefined && (w.file !== undefined || !reason.includes(w.key))) at.push(`key ${w.key}`);
    if (w.file === undefined) return at.length ? `${at.join(', ')}: ${reason}` : reason;
    return `${w.file}${at.length ? ` (${at.join(', ')})` : ''}: ${reason}`;
  }

  /** The same error with the file name filled in (readers below the CLI may not know it). */
  inFile(file: string): InputError {
    return new InputError(this.reason, { ...this.where, file }, this.code);
  }
}
