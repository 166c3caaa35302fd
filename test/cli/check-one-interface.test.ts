// `dpconform check --capture NODE:IF=FILE` with a pcapng taken on several interfaces at once: every
// interface's frames were put on the one device (76 made-up divergences, exit 1, for the VM's and the
// external host's frames in one file). Refused: one line naming the file and the first frame of the
// second interface, exit 2. Sections appended one after another (one device, rotated files) still read.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCaptureAll } from '../../harness/io/capture.js';
import { encodePcapng, encodePcapngSections } from '../../harness/io/pcapng.js';
import type { Packet } from '../../harness/wire/packet.js';
import { dpconform } from './spawn-cli.js';

const SCENARIO = 'fixtures/neutron-dvr/scenario.yaml';
const GOLDEN = 'golden/neutron-dvr/captures';
const dir = mkdtempSync(join(tmpdir(), 'dpconform-check-one-interface-'));

const onInterface = (packets: Packet[], interfaceId: number): Packet[] => packets.map((p) => ({ data: p.data, meta: { linkType: p.meta.linkType, timestampNs: p.meta.timestampNs, interfaceId } }));
const byTime = (a: Packet, b: Packet): number => (a.meta.timestampNs! < b.meta.timestampNs! ? -1 : a.meta.timestampNs! > b.meta.timestampNs! ? 1 : 0);
const check = (file: string) => dpconform(['check', '--model', 'neutron-dvr', '--scenario', SCENARIO, '--capture', `vm-a7884fb1:eth0=${file}`]);

describe('dpconform check: a capture of several interfaces', () => {
  it('two interfaces in one pcapng: one line naming the file and the first frame of the second, exit 2', async () => {
    const vm = onInterface(await readCaptureAll(join(GOLDEN, 'vm-a7884fb1.eth0.pcap')), 0);
    const ext = onInterface(await readCaptureAll(join(GOLDEN, 'ext-host.eth0.pcap')), 1);
    const merged = [...vm, ...ext].sort(byTime);
    const firstExt = merged.findIndex((p) => p.meta.interfaceId === 1) + 1;
    const file = join(dir, 'two.pcapng');
    writeFileSync(file, encodePcapng(merged, { interfaces: [{ linkType: 1, name: 'eth0' }, { linkType: 1, name: 'veth-ext' }] }));
    const r = check(file);
    expect(r.errLines).toEqual([`dpconform: ${file} (packet ${firstExt}): frames of interface veth-ext after frames of eth0: a --capture holds one device's frames (vm-a7884fb1:eth0); split the capture per interface`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it("one device's capture in two sections (each its own interface 0): still one device, read as the original file", async () => {
    const vm = onInterface(await readCaptureAll(join(GOLDEN, 'vm-a7884fb1.eth0.pcap')), 0);
    const half = Math.floor(vm.length / 2);
    const file = join(dir, 'sections.pcapng');
    const eth0 = { interfaces: [{ linkType: 1, name: 'eth0' }] };
    writeFileSync(file, encodePcapngSections([{ options: eth0, packets: vm.slice(0, half) }, { options: { ...eth0, bigEndian: true }, packets: vm.slice(half) }]));
    const r = check(file);
    const plain = check(join(GOLDEN, 'vm-a7884fb1.eth0.pcap'));
    expect(r.errLines).toEqual([]);
    // The VM's capture alone (no reply captured elsewhere): the same counts and exit as the original file.
    expect(r.stdout.split('\n')[0]).toBe(plain.stdout.split('\n')[0]);
    expect(r.status).toBe(plain.status);
  });
});
