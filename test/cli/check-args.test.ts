// `check --edge NODE:IF@MAC` / `--capture NODE:IF=FILE` parsing. A MAC that is not one was reported
// only as "expected NODE:IF@MAC", which did not say which part was wrong.

import { describe, expect, it } from 'vitest';
import { parseCaptureArg, parseEdgeArg } from '../../harness/cli/check.js';

describe('check option values', () => {
  it.each(['vm:eth0@zz:zz:zz:zz:zz:zz', 'vm:eth0@00-11-22-33-44-55', 'vm:eth0@00:11:22:33:44:55:66', 'vm:eth0@'])('--edge %s: the MAC is named as not a MAC', (arg) => {
    const mac = arg.slice(arg.indexOf('@') + 1);
    expect(() => parseEdgeArg(arg)).toThrow(`--edge '${arg}': '${mac}' is not a MAC (six hex pairs joined by ':', e.g. fa:16:3e:66:15:3c)`);
  });

  it.each(['vm:eth0', 'vm@00:11:22:33:44:55', ':eth0@00:11:22:33:44:55'])('--edge %s: the shape is wrong', (arg) => {
    expect(() => parseEdgeArg(arg)).toThrow(`--edge '${arg}': expected NODE:IF@MAC`);
  });

  it('a good --edge: node, device, MAC in lower case (node names may hold ":")', () => {
    expect(parseEdgeArg('ns:a:eth0@FA:16:3e:66:15:3C')).toEqual({ node: 'ns:a', iface: 'eth0', mac: 'fa:16:3e:66:15:3c' });
  });

  it.each(['vm:eth0', 'vm=f.pcap', ':eth0=f.pcap', 'vm:=f.pcap', 'vm:eth0='])('--capture %s: expected NODE:IF=FILE', (arg) => {
    expect(() => parseCaptureArg(arg)).toThrow(`--capture '${arg}': expected NODE:IF=FILE`);
  });

  it('a good --capture: FILE may hold ":" and "="', () => {
    expect(parseCaptureArg('vm:eth0=/x/a=b:c.pcap')).toEqual({ node: 'vm', iface: 'eth0', file: '/x/a=b:c.pcap' });
  });
});
