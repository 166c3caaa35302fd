// An empty operand or option value - what `-o "$OUT"` or `inspect "$FILE"` pass when the variable is
// unset - is refused before the command runs, naming the argument or option, exit 2. It was read as a
// file named '' ("dpconform: : no such file or directory"), or as "no output file" (`run -r json -o ''`
// wrote the report to stdout and exited 0).

import { describe, expect, it } from 'vitest';
import { dpconform } from './spawn-cli.js';

describe('empty values', () => {
  it.each([
    [['inspect', ''], "dpconform: argument 1 of 'inspect' is empty"],
    [['inspect', 'golden/neutron-dvr/captures/vm-a7884fb1.eth0.pcap', ''], "dpconform: argument 2 of 'inspect' is empty"],
    [['run', '-r', 'json', '-o', '', 'fixtures/contiv'], "dpconform: --output has an empty value"],
    [['inspect', '--filter', 'ip4.ttl=64', '--filter', '', 'golden/neutron-dvr/captures/vm-a7884fb1.eth0.pcap'], "dpconform: --filter has an empty value"],
    [['diff', '', 'golden/contiv/host-to-pod.resp'], "dpconform: argument 1 of 'diff' is empty"],
  ])('%j', (args, line) => {
    const r = dpconform(args);
    expect(r.errLines).toEqual([line]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });
});
