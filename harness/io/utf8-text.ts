import { isUtf8 } from 'node:buffer';
import { InputError } from './input-error.js';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
const REPLACEMENT = '\uFFFD';

/**
 * Bytes of a text file (YAML) as a string, refusing what is not UTF-8. Read with Node's 'utf8'
 * decoding, a Latin-1 byte became U+FFFD without a word: a scenario MAC or a case name silently
 * differed from what the file holds. The error names the first bad byte's offset and line.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return strict.decode(bytes);
  } catch {
    throw notUtf8(bytes, file, { offset: 0, line: 1 });
  }
}

/**
 * The chunks of a streamed text file (a VPP trace, perhaps gigabytes, perhaps stdin) passed on as
 * they come once each is known to be UTF-8, refusing the first that is not with the same one line as
 * decodeUtf8 (offset and line counted from the start of the file). Decoding stays with the consumer;
 * a sequence split between two chunks is held back and passed on with the next one.
 */
export async function* utf8Chunks(chunks: AsyncIterable<string | Uint8Array>, file: string): AsyncGenerator<string | Uint8Array> {
  const before = { offset: 0, line: 1 };
  let held: Uint8Array = new Uint8Array(0);
  for await (const c of chunks) {
    if (typeof c === 'string') {
      yield c;
      continue;
    }
    const bytes = held.length ? Buffer.concat([held, c]) : c;
    const whole = bytes.subarray(0, completeLength(bytes));
    held = bytes.slice(whole.length);
    if (!isUtf8(whole)) throw notUtf8(whole, file, before);
    before.offset += whole.length;
    for (const b of whole) if (b === 0x0a) before.line++;
    yield whole;
  }
  if (held.length) throw notUtf8(held, file, before); // the file ends inside a sequence
}

/** Bytes up to the last sequence that may still be cut short by the chunk's end (at most 3 held). */
function completeLength(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 3); i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look for its lead
    const needs = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return bytes.length - i < needs ? i : bytes.length;
  }
  return bytes.length;
}

/** The error for `bytes` (known bad), which start `before.offset` bytes and `before.line - 1` newlines into the file. */
function notUtf8(bytes: Uint8Array, file: string, before: { offset: number; line: number }): InputError {
  const at = firstInvalidByte(bytes);
  let line = before.line;
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
  const hex = bytes[at].toString(16).padStart(2, '0');
  return new InputError(`not UTF-8 text: byte 0x${hex} starts no valid UTF-8 sequence`, { file, line, offset: before.offset + at }, 'input.not-utf8');
}

/**
 * The lenient decoder turns each bad sequence into U+FFFD; every U+FFFD before the first bad one is a
 * real one (3 bytes, EF BF BD), so the UTF-8 length of the text before it is that sequence's offset.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  const text = lenient.decode(bytes);
  const encoder = new TextEncoder();
  for (let i = text.indexOf(REPLACEMENT); i >= 0; i = text.indexOf(REPLACEMENT, i + 1)) {
    const offset = encoder.encode(text.slice(0, i)).length;
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
  }
  return bytes.length - 1; // not reached: the strict decoder failed, so some sequence is bad
}
