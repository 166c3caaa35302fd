// splitRecords (several records of one node under one header, vpp-facts §2.2 item 3) tried every end
// for every start and parsed each candidate from scratch: a 3,000-line ethernet-input body of
// one-line records with one bad last line took 50 s in `trace parse` (cubic). A part that fails at
// a line fails there however much follows, so longer parts are no longer tried; whatever is left is
// bounded (past the budget the body stays raw text, warned about). The splits found are the same.

import { describe, expect, it } from 'vitest';
import { lookupNode } from '../../harness/vpp-trace/nodes/index.js';
import type { NodeKind } from '../../harness/vpp-trace/nodes/kind.js';
import { parseTrace, splitRecords } from '../../harness/vpp-trace/parse.js';

const ETH = '  IP4: 00:00:00:00:00:02 -> 02:fe:69:99:eb:9d';

/** The ethernet-input kind, counting the body lines handed to its parser. */
function countedEthernet(): { kind: NodeKind<unknown>; lines: () => number } {
  const real = lookupNode('ethernet-input')!.kind as NodeKind<unknown>;
  let lines = 0;
  const kind: NodeKind<unknown> = {
    ...real,
    parse(l) {
      lines += l.length;
      return real.parse(l);
    },
  };
  return { kind, lines: () => lines };
}

describe('splitRecords cost', () => {
  it('a body of one-line records with a bad last line: parsed lines grow quadratically at most, not cubically', () => {
    const n = 400;
    const { kind, lines } = countedEthernet();
    expect(splitRecords(kind, [...Array<string>(n).fill(ETH), '  garbage'])).toBeUndefined();
    // Trying every end for every start handed ~n^3/6 (10 million) lines to the parser; now each start
    // tries the whole rest once and the ends up to where that failed.
    expect(lines()).toBeLessThan(n * n);
  });

  it('the same body without the bad line still splits into one record per line', () => {
    const { kind, lines } = countedEthernet();
    const records = splitRecords(kind, Array<string>(400).fill(ETH));
    expect(records).toHaveLength(400);
    expect(lines()).toBeLessThan(400 * 400);
  });

  it('past its budget a body is left unsplit (raw text, warned about) instead of parsing for minutes', () => {
    const n = 20_000;
    const { kind, lines } = countedEthernet();
    expect(splitRecords(kind, Array<string>(n).fill(ETH))).toBeUndefined();
    expect(lines()).toBeLessThanOrEqual((1 << 20) + 16 * n + n);
  });

  it('a 3,000-line body in a trace is read at once, kept as raw text with its warning', () => {
    const text = ['Packet 1', '', '00:00:00:000001: ethernet-input', ...Array<string>(3000).fill(ETH), '  garbage', ''].join('\n');
    const f = parseTrace(text, { file: 'long.txt' });
    const stage = f.threads[0].packets[0].stages[0];
    expect(stage.kind).toBeUndefined();
    expect(stage.lines).toHaveLength(3001);
    expect(f.warnings.map((w) => w.code)).toEqual(['record']);
  });
});
