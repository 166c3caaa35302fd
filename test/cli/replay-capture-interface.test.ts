// `replay --input x.pcapng` enters each frame at the interface its pcapng IDB names (if_name). A name
// the instance lacks (a capture from a Linux host: eth0) was reported against the scenario file,
// "instance k8s-master has no interface 'eth0'", as if the scenario were wrong. Now the capture and
// packet are named, with the instance's interfaces and --interface, exit 2. The same for a classic
// pcap, which names no interface ("the input names no interface", also against the scenario).

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePcap } from '../../harness/io/pcap.js';
import { encodePcapng } from '../../harness/io/pcapng.js';
import { LinkType } from '../../harness/wire/packet.js';
import { dpconform } from './spawn-cli.js';

const scenario = join(process.cwd(), 'fixtures/contiv/scenario.yaml');
const dir = mkdtempSync(join(tmpdir(), 'dpconform-replay-ifname-'));
const capture = join(dir, 'eth0.pcapng');
writeFileSync(capture, encodePcapng([{ data: new Uint8Array(60).fill(0x11), meta: { linkType: LinkType.ETHERNET } }], { interfaces: [{ linkType: LinkType.ETHERNET, name: 'eth0' }] }));
const replay = (more: string[]) => dpconform(['replay', '--scenario', scenario, '--instance', 'k8s-master', '--input', capture, ...more]);

describe("replay: a capture's interface name the instance lacks", () => {
  it('names the capture, the packet, the interfaces and --interface; exit 2', () => {
    const r = replay([]);
    expect(r.errLines).toEqual([
      `dpconform: ${capture} (packet 1): the capture's interface is named 'eth0', which instance k8s-master does not have (it has GigabitEthernet0/8/0, tap0, loop0, vxlan_tunnel0, tap2, tap11, tap4, tap5, tap8): give --interface`,
    ]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a classic pcap (no interface name): the capture named, not the scenario', () => {
    const pcap = join(dir, 'plain.pcap');
    writeFileSync(pcap, encodePcap([{ data: new Uint8Array(60).fill(0x11), meta: { linkType: LinkType.ETHERNET } }]));
    const r = dpconform(['replay', '--scenario', scenario, '--instance', 'k8s-master', '--input', pcap]);
    expect(r.errLines).toEqual([
      `dpconform: ${pcap} (packet 1): the capture names no interface of instance k8s-master (it has GigabitEthernet0/8/0, tap0, loop0, vxlan_tunnel0, tap2, tap11, tap4, tap5, tap8): give --interface`,
    ]);
    expect(r.status).toBe(2);
  });

  it('--interface tap0 replays it (exit 0)', () => {
    const r = replay(['--interface', 'tap0']);
    expect(r.errLines).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Packet 1');
  });
});
