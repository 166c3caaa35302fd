// Streaming reads: byte chunks cut anywhere (inside a line, inside a UTF-8 sequence) give the same
// TraceFile as the whole text. ASCII chunks take the latin1 fast path, others the UTF-8 decoder.

import { describe, expect, it } from 'vitest';
import { parseTrace, parseTraceStream } from '../../harness/vpp-trace/parse.js';
import { formatVerbatim } from '../../harness/vpp-trace/format.js';
import { seedBlocks } from './seed.js';

async function* byteChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}

describe('parseTraceStream', () => {
  // Prose with non-ASCII text (an ellipsis, accented words) between two seed blocks.
  const text = `Café trace, première partie…\n${seedBlocks()[0].text}Suite — deuxième\n${seedBlocks()[1].text}`;
  const bytes = new TextEncoder().encode(text);
  const whole = parseTrace(text);

  for (const size of [1, 2, 3, 7, 64, 1000, 1 << 20]) {
    it(`${size}-byte chunks give the same trace and text as the whole string`, async () => {
      const f = await parseTraceStream(byteChunks(bytes, size));
      expect(formatVerbatim(f)).toBe(text);
      expect(f.threads).toEqual(whole.threads);
      expect(f.warnings).toEqual(whole.warnings);
    });
  }

  it('bytes the decoder still holds (a cut-off UTF-8 sequence) come out before the next ASCII chunk', async () => {
    // `é` then the first two bytes of `…` with its last byte lost, then ASCII: the decoder must
    // turn the held bytes into U+FFFD right there, so the ASCII chunk may not take the latin1 path.
    const enc = new TextEncoder();
    const head = new Uint8Array([...enc.encode('Café x'), 0xe2, 0x80]);
    const tail = enc.encode('\n' + seedBlocks()[0].text);
    async function* parts(): AsyncGenerator<Uint8Array> {
      yield head;
      yield tail;
    }
    const f = await parseTraceStream(parts());
    const expected = new TextDecoder().decode(new Uint8Array([...head, ...tail]));
    expect(formatVerbatim(f)).toBe(expected);
    expect(formatVerbatim(f).split('\n')[0]).toBe('Café x\ufffd');
  });
});
