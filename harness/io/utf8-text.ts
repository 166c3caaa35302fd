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
    const offset = firstInvalidByte(bytes);
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    const hex = bytes[offset].toString(16).padStart(2, '0');
    throw new InputError(`not UTF-8 text: byte 0x${hex} starts no valid UTF-8 sequence`, { file, line, offset }, 'input.not-utf8');
  }
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
