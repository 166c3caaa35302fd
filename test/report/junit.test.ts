// JUnit XML validity, checked structurally against the facts of the JUnit schema used by CI servers
// (Ant's XMLJUnitResultFormatter format as written down in the common JUnit.xsd):
//   testsuites > testsuite+ ; testsuite requires name, tests, failures, errors, time, timestamp
//   (xs:dateTime without zone), hostname, and inside testsuites also id and package; its children are,
//   in order, properties, testcase*, system-out, system-err. properties > property(name, value).
//   testcase requires name, classname, time (decimal) and holds at most one of failure | error |
//   skipped, then optional system-out/system-err. failure and error carry type (required) and message.
//   tests/failures/errors are non-negative integers and must equal the counts of testcases.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync, mkdirSync } from 'node:fs';
import { runSuite } from '../../harness/suite/run-suite.js';
import { junitReport } from '../../harness/report/junit.js';
import { editJson, fixtureCopy, models } from '../harness/helpers.js';
import { parseXml, type XmlElement } from './xml.js';

const INT = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const DATETIME_NO_TZ = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

function requireAttrs(el: XmlElement, names: string[]): void {
  for (const n of names) expect(el.attrs[n], `${el.name}@${n}`).toBeDefined();
}

export function validateJunit(xml: string): XmlElement {
  const root = parseXml(xml);
  expect(root.name).toBe('testsuites');
  expect(root.children.length).toBeGreaterThan(0);
  for (const s of root.children) {
    expect(s.name).toBe('testsuite');
    requireAttrs(s, ['name', 'tests', 'failures', 'errors', 'time', 'timestamp', 'hostname', 'id', 'package']);
    expect(s.attrs.name.trim()).not.toBe('');
    for (const a of ['tests', 'failures', 'errors', 'id']) expect(s.attrs[a]).toMatch(INT);
    if (s.attrs.skipped !== undefined) expect(s.attrs.skipped).toMatch(INT);
    expect(s.attrs.time).toMatch(DECIMAL);
    expect(s.attrs.timestamp).toMatch(DATETIME_NO_TZ);
    const kinds = s.children.map((c) => c.name);
    expect(kinds[0]).toBe('properties');
    expect(kinds.slice(-2)).toEqual(['system-out', 'system-err']);
    expect(kinds.slice(1, -2).every((k) => k === 'testcase')).toBe(true);
    for (const p of s.children[0].children) {
      expect(p.name).toBe('property');
      requireAttrs(p, ['name', 'value']);
    }
    const cases = s.children.filter((c) => c.name === 'testcase');
    expect(Number(s.attrs.tests)).toBe(cases.length);
    let failures = 0;
    let errors = 0;
    let skipped = 0;
    for (const tc of cases) {
      requireAttrs(tc, ['name', 'classname', 'time']);
      expect(tc.attrs.time).toMatch(DECIMAL);
      const outcome = tc.children.filter((c) => ['failure', 'error', 'skipped'].includes(c.name));
      expect(outcome.length).toBeLessThanOrEqual(1);
      expect(tc.children.every((c) => ['failure', 'error', 'skipped', 'system-out', 'system-err'].includes(c.name))).toBe(true);
      for (const o of outcome) {
        if (o.name !== 'skipped') requireAttrs(o, ['type', 'message']);
        if (o.name === 'failure') failures++;
        if (o.name === 'error') errors++;
        if (o.name === 'skipped') skipped++;
      }
    }
    expect(Number(s.attrs.failures)).toBe(failures);
    expect(Number(s.attrs.errors)).toBe(errors);
    if (s.attrs.skipped !== undefined) expect(Number(s.attrs.skipped)).toBe(skipped);
  }
  return root;
}

describe('JUnit report', () => {
  it('is valid JUnit XML with one testcase per case and the first divergence as the failure message', async () => {
    const root = fixtureCopy();
    editJson(join(root, 'cases/toy-syn/syn.golden.json'), (d) => {
      d.traces[0].stages[2].fields['ip4.ttl'] = 62;
      d.traces[0].stages[3].fields['ip4.ttl'] = 62;
    });
    mkdirSync(join(root, 'cases/broken'));
    // Markup and a control character in a case's error text must not break the XML. (Through an
    // unknown key: a case name with a control character is refused before it reaches any report.)
    writeFileSync(join(root, 'cases/broken/case.yaml'), '"a <b> & \\u0001 c": 1\nmodel: toy\n');
    const r = await runSuite({ paths: [join(root, 'cases')], models });
    const xml = junitReport(r);
    const doc = validateJunit(xml);
    const cases = doc.children[0].children.filter((c) => c.name === 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual(r.cases.map((c) => c.name));
    const syn = cases.find((c) => c.attrs.name === 'toy/syn')!;
    expect(syn.children[0].name).toBe('failure');
    expect(syn.children[0].attrs.message).toBe('SYN 10.1.1.12:39820 -> 10.1.1.9:8080  diverges at toy-rewrite: ip4.ttl expected 62, got 63; 1 later difference follows from it');
    const broken = cases.find((c) => c.children[0]?.name === 'error')!;
    expect(broken.children[0].attrs.message).toMatch(/unknown key 'a <b> & \ufffd c'/);
    const snap = cases.find((c) => c.attrs.name === 'toy/snapshot')!;
    expect(snap.attrs.classname).toMatch(/^snapshot\./);
    expect(snap.children.map((c) => c.name)).toEqual(['skipped', 'system-out']);
  });

  it('the validator rejects what the schema rejects (so it can fail)', () => {
    const good = '<testsuites><testsuite name="x" tests="1" failures="0" errors="0" time="0.1" timestamp="2024-01-01T00:00:00" hostname="h" id="0" package="p"><properties/><testcase name="a" classname="c" time="0"/><system-out/><system-err/></testsuite></testsuites>';
    expect(() => validateJunit(good)).not.toThrow();
    expect(() => validateJunit(good.replace(' hostname="h"', ''))).toThrow();
    expect(() => validateJunit(good.replace('tests="1"', 'tests="2"'))).toThrow();
    expect(() => validateJunit(good.replace('<properties/>', ''))).toThrow();
    expect(() => validateJunit(good.replace('2024-01-01T00:00:00', '2024-01-01T00:00:00Z'))).toThrow();
    expect(() => validateJunit(good.replace('classname="c" ', ''))).toThrow();
    expect(() => validateJunit(good.replace('name="a"', 'name="a<b"'))).toThrow();
    expect(() => validateJunit(good.replace('time="0"/>', 'time="0"><failure message="m">x</failure></testcase>'))).toThrow();
  });
});
