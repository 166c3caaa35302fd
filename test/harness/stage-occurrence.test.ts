// A packet can cross the same node twice (VPP: acl-plugin-out-ip4-fa on loop0's output and again on the
// NIC's output after VXLAN encapsulation). `node@K` names only the K-th crossing, so a mask for one
// crossing's history-dependent value leaves the other crossing's computed value compared.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compareTraces } from '../../harness/diff/compare.js';
import { parseFieldPath } from '../../harness/diff/mask-path.js';
import { loadCase } from '../../harness/suite/load-case.js';
import { runCase } from '../../harness/suite/run-case.js';
import { resolveRegistryModel } from '../../harness/suite/run-suite.js';
import type { GoldenSpec } from '../../harness/suite/case-spec.js';
import type { FieldValue, PacketTrace } from '../../harness/stage.js';

const REPO = resolve(import.meta.dirname, '../..');
const st = (node: string, fields: Record<string, FieldValue>) => ({ node, lines: [], fields });
const tr = (...stages: ReturnType<typeof st>[]): PacketTrace => ({ stages });

describe('occurrence selector: parsing', () => {
  it('node@K, [node name]@K and *@K carry the occurrence; no @ means every occurrence', () => {
    expect(parseFieldPath('#3:acl-plugin-out-ip4-fa@1.rule')).toMatchObject({ packet: 3, stageText: 'acl-plugin-out-ip4-fa', occurrence: 1, leaf: 'rule' });
    expect(parseFieldPath('[Gi0/8/0.100-output]@2.ip4.ttl')).toMatchObject({ stageText: 'Gi0/8/0.100-output', occurrence: 2, protos: ['ip4'], leaf: 'ttl' });
    expect(parseFieldPath('ip4-load-balance@2.outer.udp.src_port')).toMatchObject({ occurrence: 2, depth: 'outer', protos: ['udp'] });
    expect(parseFieldPath('*@2.flow_hash')).toMatchObject({ stage: undefined, occurrence: 2, leaf: 'flow_hash' });
    expect(parseFieldPath('#3:acl-plugin-out-ip4-fa.rule').occurrence).toBeUndefined();
  });

  it.each([
    ['acl@0.rule', /occurrences start at 1/],
    ['acl@.rule', /'@' is not an occurrence/],
    ['acl@x.rule', /'@x' is not an occurrence/],
    ['acl@1@2.rule', /'@1@2' is not an occurrence/],
    ['acl@-1.rule', /'@-1' is not an occurrence/],
    ['[qr-1]@0.ip4.id', /occurrences start at 1/],
    ['[qr-1]@.ip4.id', /'@' is not an occurrence/],
    ['[qr-1]@2', /bracketed stage/],
    ['ip4@1.ttl', /'ip4' is a field, not a stage/],
    ['outer@1.ip4.ttl', /'outer' is a field, not a stage/],
    ['acl.rule@1', /an occurrence '@K' follows a stage selector/],
    ['rule@1', /an occurrence '@K' follows a stage selector/],
  ])('%s is rejected', (text, why) => {
    expect(() => parseFieldPath(text)).toThrow(why);
  });

  it('a bad occurrence in case.yaml names the file, line and key (masks and bindings)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-occ-'));
    writeFileSync(join(dir, 'g.json'), JSON.stringify({ traces: [] }));
    const file = join(dir, 'case.yaml');
    writeFileSync(
      file,
      [
        'model: toy',
        'golden: { file: g.json, evidence: snapshot }',
        'masks:',
        "  - { path: 'ip4-input.ttl', reason: 'ok' }",
        "  - { path: '#3:acl-plugin-out-ip4-fa@0.rule', reason: 'bad' }",
        'bindings:',
        "  $x: 'nat44-in2out@first.out_port'",
        '',
      ].join('\n'),
    );
    const { spec, errors } = loadCase(file, 'occ');
    expect(spec).toBeUndefined();
    const msgs = errors.map((e) => e.message);
    expect(msgs).toContainEqual(expect.stringMatching(/case\.yaml \(line 5, key masks\[1\]\.path\): bad field path '#3:acl-plugin-out-ip4-fa@0\.rule': '@0': occurrences start at 1/));
    expect(msgs).toContainEqual(expect.stringMatching(/case\.yaml \(line 7, key bindings\.\$x\): bad field path 'nat44-in2out@first\.out_port': '@first' is not an occurrence/));
  });
});

describe('occurrence selector: comparing', () => {
  // One packet crossing the ACL twice: a session hit (history-dependent rule) then a global ACL rule.
  const golden = (first: number, second: number) =>
    tr(st('acl-plugin-out-ip4-fa', { rule: first, acl: -1 }), st('ip4-load-balance', { flow_hash: 0 }), st('acl-plugin-out-ip4-fa', { rule: second, acl: 3 }));
  const diffs = (mask: string, model: PacketTrace, g: PacketTrace) =>
    compareTraces([model], [g], { masks: [parseFieldPath(mask)] }).diffs.map((d) => `#${d.trace} ${d.stage} row ${d.row} ${d.path} ${d.expected}->${d.got}`);

  it('@1 masks the first crossing only: the second crossing is compared and a wrong value there fails, naming it', () => {
    const g = golden(177, 7);
    // The model's session index differs (history): masked. Its global rule number is right: compared.
    const ok = compareTraces([golden(0, 7)], [g], { masks: [parseFieldPath('#1:acl-plugin-out-ip4-fa@1.rule')] });
    expect(ok.diffs).toEqual([]);
    expect(ok.counters).toMatchObject({ masked: 1 });
    expect(ok.masks[0].fields).toBe(1);
    // Fault: the second crossing's rule is wrong -> named at row 2 (the second acl-plugin-out-ip4-fa).
    expect(diffs('#1:acl-plugin-out-ip4-fa@1.rule', golden(0, 8), g)).toEqual(['#1 acl-plugin-out-ip4-fa row 2 rule 7->8']);
    // Without the occurrence the same fault is hidden: the narrowing is what exposes it.
    expect(diffs('#1:acl-plugin-out-ip4-fa.rule', golden(0, 8), g)).toEqual([]);
    // @2 is the mirror image.
    expect(diffs('acl-plugin-out-ip4-fa@2.rule', golden(0, 8), g)).toEqual(['#1 acl-plugin-out-ip4-fa row 0 rule 177->0']);
  });

  it('an occurrence beyond the crossings masks nothing (and says so); *@K counts every stage; globs count their matches', () => {
    const g = golden(177, 7);
    const d = compareTraces([golden(0, 7)], [g], { masks: [parseFieldPath('acl-plugin-out-ip4-fa@3.rule')] });
    expect(d.diffs).toHaveLength(1);
    expect(d.notes).toContain("mask 'acl-plugin-out-ip4-fa@3.rule' matched no field");
    expect(diffs('*@1.rule', golden(0, 7), g)).toEqual([]);
    expect(diffs('*@3.rule', golden(0, 7), g)).toEqual(['#1 acl-plugin-out-ip4-fa row 0 rule 177->0']);
    expect(diffs('acl-plugin-*@1.rule', golden(0, 7), g)).toEqual([]);
  });

  it('in bindings: capture at @2 and require at @1 of a later packet; a wrong required value fails', () => {
    const two = (a: number, b: number) => tr(st('ip4-load-balance', { flow_hash: a }), st('ip4-load-balance', { flow_hash: b }));
    const b = { name: '$h', capture: parseFieldPath('#1:ip4-load-balance@2.flow_hash'), require: [parseFieldPath('#2:ip4-load-balance@1.flow_hash')] };
    const ok = compareTraces([two(0, 5), two(5, 9)], [two(0, 1), two(1, 9)], { bindings: [b] });
    expect(ok.diffs).toEqual([]);
    expect(ok.bindings).toEqual([{ name: '$h', model: 5, golden: 1, at: '#1:ip4-load-balance@2.flow_hash' }]);
    const bad = compareTraces([two(0, 5), two(6, 9)], [two(0, 1), two(1, 9)], { bindings: [b] });
    expect(bad.diffs.map((x) => [x.trace, x.row, x.path, x.expected, x.got, x.note])).toEqual([[2, 0, 'flow_hash', 5, 6, 'must equal $h (captured at #1:ip4-load-balance@2.flow_hash)']]);
  });
});

describe('contiv: the loop0-output session hit is masked, the NIC output global-ACL rule is compared', () => {
  // Packet trace 3 of the response sequence (k8s-worker1's SYN-ACK) crosses acl-plugin-out-ip4-fa on
  // loop0 (reflect-session hit, history) and on the NIC (global ACL, computed from the scenario).
  it.each([
    ['pod-to-pod-other-node', 'rule 5 trace_bits', 'acl 3 rule 7 trace_bits', 7],
    ['pod-to-service-other-node', 'rule 6 trace_bits', 'acl 1 rule 8 trace_bits', 8],
  ])('%s', async (flow, sessionHit, nicRule, rule) => {
    const { spec, errors } = loadCase(join(REPO, `fixtures/contiv/${flow}/response/case.yaml`), flow);
    if (!spec) throw errors[0];
    expect(spec.masks.map((m) => m.path.text)).toContain('#3:acl-plugin-out-ip4-fa@1.rule');
    const req = join(REPO, `golden/contiv/${flow}.request.trace`);
    const resp = readFileSync(join(REPO, `golden/contiv/${flow}.response.trace`), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-occ-'));
    const run = async (text: string) => {
      const f = join(dir, `${flow}.response.trace`);
      writeFileSync(f, text);
      const g = (file: string): GoldenSpec => ({ file, kind: 'trace', evidence: 'conformance' });
      return runCase({ ...spec, goldens: [g(req), g(f)] }, { resolveModel: resolveRegistryModel });
    };
    const pass = await run(resp);
    expect(pass.errors).toEqual([]);
    expect(pass.status).toBe('passed');
    // The masked session hit may be anything (history).
    expect(resp.split(sessionHit)).toHaveLength(2);
    expect((await run(resp.replace(sessionHit, 'rule 999 trace_bits'))).status).toBe('passed');
    // The NIC output's global-ACL rule is compared: a wrong golden number fails, naming that stage.
    expect(resp.split(nicRule)).toHaveLength(2);
    const fault = await run(resp.replace(nicRule, nicRule.replace(`rule ${rule}`, `rule ${rule + 40}`)));
    expect(fault.status).toBe('failed');
    const d = fault.comparisons[0].diff!;
    const nth = d.traces[2].rows.filter((r) => r.node === 'acl-plugin-out-ip4-fa');
    expect(nth).toHaveLength(2);
    expect(d.diffs.map((x) => [x.trace, x.stage, x.row, x.path, x.expected, x.got])).toEqual([[3, 'acl-plugin-out-ip4-fa', d.traces[2].rows.indexOf(nth[1]), 'rule', rule + 40, rule]]);
  });
});
