// A node header whose name was damaged (`01:48:51:257008: ip4 lookup`, the name lost, `ip4-lookup
// (x)`) is not a header: the line was read as prose without a word, and only the body lines under
// it were warned about (as outside any stage) - the line that broke went unnamed.

import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { formatCanonical } from '../../harness/vpp-trace/format.js';
import { seedBlocks } from './seed.js';

const canonical = formatCanonical(parseTrace(seedBlocks()[2].text));
const lines = canonical.split('\n');
const at = lines.findIndex((l) => l.endsWith(': ip4-lookup'));

describe('a damaged node header', () => {
  it.each([['ip4 lookup'], [''], ['ip4-lookup (x)']])("'%s' is named with its line; the stage's lines are still warned about", (name) => {
    const header = lines[at].replace(/ ip4-lookup$/, name ? ` ${name}` : '');
    const text = [...lines.slice(0, at), header, ...lines.slice(at + 1)].join('\n');
    const f = parseTrace(text);
    expect(f.warnings[0]).toEqual({ line: at + 1, code: 'bad-node-header', message: `node header without a node name: '${header}' (read as prose)` });
    expect(f.warnings.slice(1).map((w) => [w.line, w.code])[0]).toEqual([at + 2, 'orphan-line']);
  });

  it('node headers and prose of the seed give no such warning', () => {
    const f = parseTrace(seedBlocks().map((b) => b.text).join('\n'));
    expect(f.warnings.filter((w) => w.code === 'bad-node-header')).toEqual([]);
  });
});
