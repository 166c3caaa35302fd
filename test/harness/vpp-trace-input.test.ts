// VPP trace text through the harness: the entry packet of a trace input (headers merged across the
// first stages), and real seed-004 traces (golden/contiv, verbatim) compared with themselves and with
// a copy carrying one wrong TTL.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readInputPackets, readTraces } from '../../harness/suite/sources.js';
import { stagesFromJson } from '../../harness/suite/stage-json.js';
import { runSuite } from '../../harness/suite/run-suite.js';
import { compareTraces } from '../../harness/diff/compare.js';
import { dissect } from '../../harness/dissect/dissect.js';
import { hex } from '../../harness/wire/bytes.js';
import { cli } from './cli.js';

const REPO = resolve(import.meta.dirname, '../..');
const GOLDEN = join(REPO, 'golden/contiv');
const TRACES = readdirSync(GOLDEN).filter((f) => f.endsWith('.trace')).sort();
const NODE_LINE = /^\d\d:\d\d:\d\d:\d{6}: (\S+)/;

describe('a VPP trace as a case input', () => {
  it('injects the frame that entered the first node: Ethernet, IPv4 and TCP merged across stages', async () => {
    const file = join(GOLDEN, 'pod-to-pod-same-node.request.trace');
    const [inj] = await readInputPackets({ file, kind: 'trace' });
    expect(inj.at).toEqual({ node: 'virtio-input' });
    // The frame the VPP model engineer's entry-frame rebuild committed as this case's input.
    const committed = stagesFromJson(readFileSync(join(REPO, 'fixtures/contiv/pod-to-pod-same-node/request/input.json'), 'utf8'), 'input.json')[0].stages[0].packet!;
    expect(hex(inj.packet.data)).toBe(hex(committed.data));
    expect(inj.packet.known?.ranges()).toEqual(committed.known?.ranges());
    const layers = dissect(inj.packet).map((l) => l.name);
    expect(layers.slice(0, 3)).toEqual(['eth', 'ip4', 'tcp']);
    expect(dissect(inj.packet).find((l) => l.name === 'ip4')!.fields).toMatchObject({ ttl: 64, checksum_valid: true });
    expect(dissect(inj.packet).find((l) => l.name === 'tcp')!.fields).toMatchObject({ src_port: 39820, seq: 0x8c66e434 });
  });

  it('a case whose input is the seed trace itself passes through the VPP model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-trace-input-'));
    const trace = join(GOLDEN, 'pod-to-pod-same-node.request.trace');
    writeFileSync(join(dir, 'case.yaml'), [
      'name: trace-input/pod-to-pod-same-node',
      'model: vpp',
      `scenario: ${join(REPO, 'fixtures/contiv/pod-to-pod-same-node/scenario.yaml')}`,
      'inputs:',
      // The record prints hw_if_index 7; which interface that is, is the scenario's (tap11): said here.
      `  - { file: ${trace}, at: { instance: k8s-master, interface: tap11 } }`,
      `golden: { file: ${trace}, evidence: conformance }`,
      '',
    ].join('\n'));
    const r = await runSuite({ paths: [dir] });
    expect(r.cases[0].errors.map((e) => e.message)).toEqual([]);
    expect(r.cases[0].status).toBe('passed');
    expect(r.conformance.compared).toBeGreaterThan(100);
  });
});

/** The text with the TTL on the last `ttl N` line changed to N+1, and the node of that line. */
function withTtlFault(text: string): { text: string; node: string; ttl: number } {
  const lines = text.split('\n');
  let at = lines.length - 1;
  while (at >= 0 && !/\bttl \d+/.test(lines[at])) at--;
  const node = lines.slice(0, at).reverse().map((l) => NODE_LINE.exec(l)?.[1]).find(Boolean)!;
  let ttl = 0;
  lines[at] = lines[at].replace(/\bttl (\d+)/, (_, n) => `ttl ${(ttl = Number(n) + 1)}`);
  return { text: lines.join('\n'), node, ttl };
}

describe('real seed 004 traces (golden/contiv, verbatim)', () => {
  it.each(TRACES)('%s: compares clean against itself; one TTL changed names that stage and field', async (name) => {
    const file = join(GOLDEN, name);
    const golden = await readTraces(file, 'trace');
    expect(golden.length).toBeGreaterThan(0);
    expect(golden.flatMap((t) => t.stages).length).toBeGreaterThan(5);
    const clean = compareTraces(await readTraces(file, 'trace'), golden, { dissect });
    expect(clean.diffs).toEqual([]);
    expect(clean.counters.compared).toBeGreaterThan(50);

    const dir = mkdtempSync(join(tmpdir(), 'dpconform-seed-'));
    const fault = withTtlFault(readFileSync(file, 'utf8'));
    const faulty = join(dir, name);
    writeFileSync(faulty, fault.text);
    const d = compareTraces(await readTraces(faulty, 'trace'), golden, { dissect });
    expect(d.divergences.length).toBe(1);
    expect(d.divergences[0].first).toMatchObject({ stage: fault.node, got: fault.ttl, expected: fault.ttl - 1 });
    expect(d.divergences[0].first.path).toMatch(/^(inner\.)?ip4\.ttl$/);

    const same = await cli(['diff', file, file]);
    expect(same.code).toBe(0);
    const cmd = await cli(['diff', file, faulty]);
    expect(cmd.code).toBe(1);
    // `diff A B` names each value by its side (neither file is expected); compareTraces above is run's golden/model.
    expect(cmd.stdout).toContain(`${fault.node}: ${d.divergences[0].first.path} A ${fault.ttl - 1}, B ${fault.ttl}`);
  });
});
