// case.yaml -> CaseSpec, validated with line numbers so a person can fix a case from one line:
//   `fixtures/x/case.yaml (line 7, key masks[1]): bad field path 'ip4..ttl': empty segment`.
//
// Format (paths are relative to the case folder):
//   name: pod-to-pod/request          # default: the case folder relative to the suite root
//   model: vpp                        # a model registry name (models/index.ts)
//   scenario: ../scenario.yaml        # optional for models that need none
//   description: free text
//   inputs:                           # replayed in order through ONE model instance
//     - file: x.trace | x.pcap | x.pcapng | x.json   # format from the extension, or `format:`
//       format: trace | capture | stages
//       at: { instance: k8s-master, node: virtio-input, interface: tap2 }
//       packets: [1, 2]               # which packets of the file, in order (default all)
//   golden:                           # one golden or a list of them. Trace and stage goldens of a
//                                     # list are ONE sequence: their packet traces, concatenated in
//                                     # order, are compared with the model's (bindings span the files),
//                                     # so they share one evidence kind. Each capture is compared on
//                                     # its own, with the model's output on its interface.
//     file: x.trace                   # VPP trace text, JSON stage records, or a capture
//     format: trace | capture | stages
//     interface: tap8                 # captures: the model output interface it was taken on
//     evidence: conformance | snapshot
//     source: "seed 004 block 2"
//     packets: [2, 4]                 # captures: which frames of the file to compare, in this order
//                                     # (default all); `--update` leaves such a golden alone
//     masks:                          # for this golden only (object form only); `#N:` counts its
//                                     # own compared packets
//       - { path: '#2:outer.ip4.id', reason: 'IP id the kernel picked for its ICMP error' }
//   masks:                            # fields not compared, each with the reason (see diff/mask-path.ts)
//     - { path: '#2:acl-plugin-out-ip4-fa.rule', reason: 'ACL session pool index: depends on sessions VPP held before (history)' }
//     - { path: '#8:[qr-1].outer.ip4.id', reason: 'kernel picks ICMP error ids at random (__ip_select_ident)' }
//                                     # A plain string ('ip4.id') still loads, with reason null in every
//                                     # report: the object form is the format, write new masks so.
//                                     # Runtime values no model can know (VPP trace times, buffer
//                                     # indices, mbuf addresses...) are masked by the harness in every
//                                     # golden of their kind: diff/runtime-masks.ts, never listed here.
//                                     # `#N:` in case masks and bindings counts packet traces across
//                                     # the whole golden sequence. `node@K` (`[node name]@K`) names
//                                     # only the K-th stage of that node in a packet trace (a packet
//                                     # crossing it twice): '#3:acl-plugin-out-ip4-fa@1.rule' leaves
//                                     # the second crossing's rule compared; a bad K ('@0', '@x') is an
//                                     # error with this file's line and key. In captures, headers an ICMP error
//                                     # quotes are `inner.*` (inner.ip4.src, inner.udp.src_port).
//                                     # Capture fields whose model bytes are unknown (KnownBytes, e.g. a
//                                     # NAT port chosen at random) are counted "unknown", not compared;
//                                     # a checksum over them is verified in the golden instead.
//   bindings:
//     $port: nat44-in2out.out_port    # capture; the golden's later repeats of its value are required
//     $ip: { capture: 'nat44-in2out.ip4.src', require: ['#2:nat44-out2in.ip4.dst'] }
//     $hash: '#3:ip4-load-balance@2.flow_hash'   # occurrences work in bindings too
//   tags: [contiv, nat]

import { existsSync, statSync } from 'node:fs';
import { dirname, resolve, extname } from 'node:path';
import { parseDocument, LineCounter, isMap, isSeq, isScalar, type Node, type Pair } from 'yaml';
import { InputError } from '../io/input-error.js';
import { notAFileKind } from '../io/read-twice.js';
import { systemErrorReason } from '../cli/guard.js';
import { decodeUtf8 } from '../io/utf8-text.js';
import { yamlAliasError } from '../io/yaml-aliases.js';
import { readYamlBytes } from '../scenario/yaml-size.js';
import { parseFieldPath } from '../diff/mask-path.js';
import type { BindingSpec, CaseSpec, Evidence, GoldenSpec, InputSpec, MaskSpec, SourceKind, StatedAt } from './case-spec.js';

const CASE_KEYS = ['name', 'model', 'scenario', 'description', 'inputs', 'golden', 'masks', 'bindings', 'tags'];
const INPUT_KEYS = ['file', 'format', 'at', 'packets'];
const GOLDEN_KEYS = ['file', 'format', 'interface', 'evidence', 'source', 'packets', 'masks'];
const AT_KEYS = ['instance', 'node', 'interface'];
const MASK_KEYS = ['path', 'reason'];
const KINDS: SourceKind[] = ['trace', 'capture', 'stages'];
/** C0 and C1 control characters and DEL (a newline, a tab, ESC...). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const ONE_LINE = 'expected one line of text without control characters (newline, tab, ESC...): it is printed in report lines';

export function kindFromExtension(file: string): SourceKind | undefined {
  const e = extname(file).toLowerCase();
  if (e === '.trace' || e === '.txt') return 'trace';
  if (e === '.pcap' || e === '.pcapng' || e === '.cap') return 'capture';
  if (e === '.json') return 'stages';
  return undefined;
}

/** Collects every problem of one case file instead of stopping at the first. */
class Checker {
  readonly errors: InputError[] = [];
  /** The mapping node each `pairs()` result came from: a key missing from it is reported at its line. */
  private readonly mappings = new WeakMap<Map<string, Pair<Node, Node>>, Node>();
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  fail(reason: string, node: Node | null | undefined, key: string, code = 'case.invalid'): void {
    const line = node?.range ? this.lines.linePos(node.range[0]).line : undefined;
    this.errors.push(new InputError(reason, { file: this.file, line, key }, code));
  }

  lineOf(node: Node | null | undefined): number | undefined {
    return node?.range ? this.lines.linePos(node.range[0]).line : undefined;
  }

  /** The pairs of a mapping node, reporting unknown keys. */
  pairs(node: Node | null | undefined, key: string, allowed: string[]): Map<string, Pair<Node, Node>> {
    const out = new Map<string, Pair<Node, Node>>();
    if (node) this.mappings.set(out, node);
    if (!isMap(node)) {
      this.fail(`expected a mapping`, node, key, 'case.wrong-type');
      return out;
    }
    for (const p of node.items as Pair<Node, Node>[]) {
      const k = isScalar(p.key) ? String(p.key.value) : '';
      const path = key ? `${key}.${k}` : k;
      if (!allowed.includes(k)) {
        this.fail(`unknown key '${k}' (allowed: ${allowed.join(', ')})`, p.key, path, 'case.unknown-key');
        continue;
      }
      out.set(k, p);
    }
    return out;
  }

  /**
   * A key `in` (a `pairs()` result) must hold, reported at the line where that mapping starts (it
   * was line 1 whatever the mapping: a golden without `evidence:` at line 12 said line 1).
   */
  missing(in_: Map<string, Pair<Node, Node>>, key: string): void {
    this.errors.push(new InputError(`missing key '${key}'`, { file: this.file, line: this.lineOf(this.mappings.get(in_)) ?? 1, key }, 'case.missing-key'));
  }

  /** The string at `p`; `requiredIn`: the mapping that must hold it (a missing key is an error there). */
  string(p: Pair<Node, Node> | undefined, key: string, requiredIn?: Map<string, Pair<Node, Node>>): string | undefined {
    if (!p) {
      if (requiredIn) this.missing(requiredIn, key);
      return undefined;
    }
    const v = p.value;
    if (!isScalar(v) || typeof v.value !== 'string' || v.value === '') {
      this.fail(`expected a non-empty string`, v ?? p.key, key, 'case.wrong-type');
      return undefined;
    }
    return v.value;
  }

  /**
   * A string printed as part of a report line (a case name): one line without control characters.
   * `name: "a\nPASS b"` printed a second report line of its own, and ESC sequences recoloured the
   * terminal.
   */
  printable(p: Pair<Node, Node> | undefined, key: string): string | undefined {
    const v = this.string(p, key);
    if (v === undefined || !CONTROL.test(v)) return v;
    this.fail(ONE_LINE, p!.value, key, 'case.wrong-value');
    return undefined;
  }

  /** A path relative to the case folder that must name an existing file. */
  existingFile(p: Pair<Node, Node> | undefined, key: string, requiredIn?: Map<string, Pair<Node, Node>>): string | undefined {
    const rel = this.string(p, key, requiredIn);
    if (rel === undefined) return undefined;
    const abs = resolve(dirname(this.file), rel);
    if (!existsSync(abs)) {
      this.fail(`no such file: ${rel}`, p!.value, key, 'case.missing-file');
      return undefined;
    }
    const st = statSync(abs);
    if (!st.isFile()) {
      // Named for what it is: a FIFO was reported as "a folder".
      this.fail(`is ${notAFileKind(st)}, not a file: ${rel}`, p!.value, key, 'case.not-a-file');
      return undefined;
    }
    return abs;
  }

  /**
   * A list that must hold something: `golden: []` passed with 0 fields compared (exit 0) and
   * `inputs: []` failed as if the model had dropped the golden's packets.
   */
  nonEmptyList(node: Node | null | undefined, key: string, why: string): Node[] {
    const items = this.list(node, key);
    if (isSeq(node) && !items.length) this.fail(`an empty list: ${why}`, node, key, 'case.wrong-value');
    return items;
  }

  list(node: Node | null | undefined, key: string): Node[] {
    if (isSeq(node)) return node.items as Node[];
    this.fail(`expected a list`, node, key, 'case.wrong-type');
    return [];
  }
}

/**
 * Load one case.yaml. Returns the spec, or every problem found as InputErrors (never throws for
 * problems inside the file; an unreadable file is one error too).
 * `defaultName` is what `name:` defaults to (the folder path relative to its suite root).
 */
export function loadCase(file: string, defaultName: string): { spec?: CaseSpec; errors: InputError[] } {
  let text: string;
  try {
    text = decodeUtf8(readYamlBytes(file), file);
  } catch (e) {
    if (e instanceof InputError) return { errors: [e] };
    // In the OS's words, as for every other file (cli/guard.ts): it said "cannot read: ENOENT: no such
    // file or directory, open '<the path again>'".
    return { errors: [new InputError(systemErrorReason(e, file), { file }, 'case.unreadable')] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const c = new Checker(file, lines);
  if (doc.errors.length) {
    for (const e of doc.errors) {
      // prettyErrors: false leaves linePos unset; the error's offset gives the line.
      const line = e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line;
      c.errors.push(new InputError(`YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, { file, line }, 'case.yaml'));
    }
    return { errors: c.errors };
  }
  const alias = yamlAliasError(doc, lines, file);
  if (alias) return { errors: [alias] };
  // An empty file or a bare scalar: one line that says what a case is, not the three keys it lacks
  // and an 'expected a mapping' with an empty key and no line.
  if (!isMap(doc.contents)) {
    const found = doc.contents === null ? 'an empty document' : isSeq(doc.contents) ? 'a list' : 'a scalar';
    return { errors: [new InputError(`expected a mapping of case keys (${CASE_KEYS.join(', ')}), found ${found}`, { file, line: c.lineOf(doc.contents as Node) ?? 1 }, 'case.wrong-type')] };
  }
  const top = c.pairs(doc.contents as Node, '', CASE_KEYS);
  const name = c.printable(top.get('name'), 'name') ?? defaultName;
  const nameLine = c.lineOf(top.get('name')?.key as Node | undefined);
  const model = c.string(top.get('model'), 'model', top);
  const scenario = c.existingFile(top.get('scenario'), 'scenario');
  const description = c.string(top.get('description'), 'description');

  const inputs: InputSpec[] = [];
  const inPair = top.get('inputs');
  if (!inPair) c.missing(top, 'inputs');
  else c.nonEmptyList(inPair.value, 'inputs', 'a case replays at least one input').forEach((n, i) => {
    const key = `inputs[${i}]`;
    const ps = c.pairs(n, key, INPUT_KEYS);
    const f = c.existingFile(ps.get('file'), `${key}.file`, ps);
    const kind = sourceKind(c, ps, key, f);
    const at = injectionPoint(c, ps.get('at'), `${key}.at`);
    const packets = packetNumbers(c, ps.get('packets'), `${key}.packets`);
    if (f && kind) inputs.push({ file: f, kind, at, packets, packetsAt: statedAt(c, ps, 'packets', `${key}.packets`), entryAt: { file, line: c.lineOf(n), key }, line: c.lineOf(n) });
  });

  const goldens: GoldenSpec[] = [];
  const gPair = top.get('golden');
  if (!gPair) c.missing(top, 'golden');
  else {
    const nodes = isSeq(gPair.value) ? c.nonEmptyList(gPair.value, 'golden', 'a case is compared against at least one golden') : [gPair.value as Node];
    nodes.forEach((n, i) => {
      const key = isSeq(gPair.value) ? `golden[${i}]` : 'golden';
      const ps = c.pairs(n, key, GOLDEN_KEYS);
      // A golden may be missing on disk (it is then written by --update, or fails under CI): only
      // its folder must exist.
      const rel = c.string(ps.get('file'), `${key}.file`, ps);
      const f = rel === undefined ? undefined : resolve(dirname(file), rel);
      // A missing golden whose format nothing states (`file: golden.trac`, a typo) is no golden
      // --update could write either: it is reported missing, not "cannot tell the format".
      const untold = f !== undefined && !existsSync(f) && !ps.get('format') && !kindFromExtension(f);
      if (f && !existsSync(dirname(f))) c.fail(`no such folder for golden: ${rel}`, ps.get('file')!.value, `${key}.file`, 'case.missing-file');
      else if (untold) c.fail(`no such file: ${rel}`, ps.get('file')!.value, `${key}.file`, 'case.missing-file');
      else if (f && existsSync(f) && !statSync(f).isFile()) c.fail(`is ${notAFileKind(statSync(f))}, not a file: ${rel}`, ps.get('file')!.value, `${key}.file`, 'case.not-a-file');
      const kind = untold ? undefined : sourceKind(c, ps, key, f);
      const ev = c.string(ps.get('evidence'), `${key}.evidence`, ps);
      if (ev !== undefined && ev !== 'conformance' && ev !== 'snapshot') {
        c.fail(`evidence must be 'conformance' (independent evidence) or 'snapshot' (made by our model)`, ps.get('evidence')!.value, `${key}.evidence`, 'case.wrong-value');
      }
      const source = c.string(ps.get('source'), `${key}.source`);
      const iface = c.string(ps.get('interface'), `${key}.interface`);
      const packets = packetNumbers(c, ps.get('packets'), `${key}.packets`, true);
      if (packets && kind && kind !== 'capture') {
        c.fail('packets: selects frames of a capture golden; trace and stage goldens are compared whole (split them into files of a sequence instead)', ps.get('packets')!.key, `${key}.packets`, 'case.wrong-value');
      }
      const gm = ps.get('masks');
      // New in the format: only the object form, with its reason.
      const masks = gm ? maskList(c, gm.value, `${key}.masks`, false) : undefined;
      if (f && kind && (ev === 'conformance' || ev === 'snapshot')) {
        goldens.push({ file: f, kind, evidence: ev as Evidence, source, interface: iface, interfaceAt: statedAt(c, ps, 'interface', `${key}.interface`), entryAt: { file, line: c.lineOf(n), key }, packets, packetsAt: statedAt(c, ps, 'packets', `${key}.packets`), masks, line: c.lineOf(n) });
      }
    });
    // Trace/stage goldens are compared as ONE sequence (run-case.ts): it is one kind of evidence.
    const sequence = goldens.filter((g) => g.kind !== 'capture');
    if (sequence.some((g) => g.evidence !== sequence[0].evidence)) {
      c.fail('the trace/stage goldens of a case are compared as one sequence: make them all conformance or all snapshot', gPair.value, 'golden', 'case.wrong-value');
    }
  }

  const mPair = top.get('masks');
  const masks = mPair ? maskList(c, mPair.value, 'masks') : [];

  const bindings: BindingSpec[] = [];
  const bPair = top.get('bindings');
  if (bPair && !(isScalar(bPair.value) && bPair.value.value === null)) {
    if (!isMap(bPair.value)) c.fail('expected a mapping of $name: path', bPair.value, 'bindings', 'case.wrong-type');
    else for (const p of bPair.value.items as Pair<Node, Node>[]) {
      const name = isScalar(p.key) ? String(p.key.value) : '';
      const key = `bindings.${name}`;
      if (!/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        c.fail(`a binding name is '$' and a word, e.g. $port`, p.key, key, 'case.wrong-value');
        continue;
      }
      if (isMap(p.value)) {
        const ps = c.pairs(p.value, key, ['capture', 'require']);
        const cap = ps.get('capture');
        if (!cap) { c.fail(`missing key 'capture'`, p.value, `${key}.capture`, 'case.missing-key'); continue; }
        const capture = fieldPath(c, cap.value, `${key}.capture`);
        const require = ps.get('require') ? c.list(ps.get('require')!.value, `${key}.require`).map((n, j) => fieldPath(c, n, `${key}.require[${j}]`)) : [];
        if (capture && require.every(Boolean)) bindings.push({ name, capture, require: require as BindingSpec['require'], line: c.lineOf(p.key) });
      } else {
        const capture = fieldPath(c, p.value, key);
        if (capture) bindings.push({ name, capture, require: [], line: c.lineOf(p.key) });
      }
    }
  }

  const tags: string[] = [];
  const tPair = top.get('tags');
  if (tPair) c.list(tPair.value, 'tags').forEach((n, i) => {
    if (isScalar(n) && typeof n.value === 'string' && n.value) {
      if (CONTROL.test(n.value)) c.fail(ONE_LINE, n, `tags[${i}]`, 'case.wrong-value');
      else tags.push(n.value);
    } else c.fail('expected a tag string', n, `tags[${i}]`, 'case.wrong-type');
  });

  if (c.errors.length || !model) return { errors: c.errors };
  return {
    spec: { file, dir: dirname(file), name, nameLine, model, scenario, inputs, goldens, masks, bindings, tags, description },
    errors: [],
  };
}

function sourceKind(c: Checker, ps: Map<string, Pair<Node, Node>>, key: string, file: string | undefined): SourceKind | undefined {
  const explicit = c.string(ps.get('format'), `${key}.format`);
  if (explicit !== undefined) {
    if (KINDS.includes(explicit as SourceKind)) return explicit as SourceKind;
    c.fail(`format must be one of ${KINDS.join(', ')}`, ps.get('format')!.value, `${key}.format`, 'case.wrong-value');
    return undefined;
  }
  if (!file) return undefined;
  const k = kindFromExtension(file);
  if (!k) c.fail(`cannot tell the format from the file name; add format: ${KINDS.join(' | ')}`, ps.get('file')!.value, `${key}.file`, 'case.wrong-value');
  return k;
}

/** Where key `name` of a mapping is stated (file, line, key path), if it is. */
function statedAt(c: Checker, ps: Map<string, Pair<Node, Node>>, name: string, key: string): StatedAt | undefined {
  const p = ps.get(name);
  return p && { file: c.file, line: c.lineOf(p.key as Node), key };
}

/**
 * `packets: [1, 3]`: 1-based packet numbers, in the order given. An input may replay a packet twice (a
 * retransmission through the same state); a golden frame listed twice (`distinct`) would be compared
 * with two outputs of the model, and matched by one of them whatever the other did: refused.
 */
function packetNumbers(c: Checker, p: Pair<Node, Node> | undefined, key: string, distinct = false): number[] | undefined {
  if (!p) return undefined;
  const out: number[] = [];
  const listedAt = new Map<number, number>();
  c.list(p.value, key).forEach((x, j) => {
    if (!(isScalar(x) && Number.isInteger(x.value) && (x.value as number) >= 1)) return c.fail('expected a packet number >= 1', x, `${key}[${j}]`, 'case.wrong-type');
    const n = x.value as number;
    const first = listedAt.get(n);
    if (distinct && first !== undefined) return c.fail(`frame ${n} is listed twice (also ${key}[${first}]): a captured frame is compared once`, x, `${key}[${j}]`, 'case.wrong-value');
    listedAt.set(n, j);
    out.push(n);
  });
  return out;
}

function injectionPoint(c: Checker, p: Pair<Node, Node> | undefined, key: string) {
  if (!p) return undefined;
  const ps = c.pairs(p.value, key, AT_KEYS);
  const at: Record<string, string> = {};
  for (const k of AT_KEYS) {
    const v = c.string(ps.get(k), `${key}.${k}`);
    if (v !== undefined) at[k] = v;
  }
  return at;
}

/**
 * `masks:` - each entry `{ path: 'x.y', reason: '...' }` (the format), or, in a case's own list only,
 * a plain path string (older cases; loads with reason null, which reports show as such).
 */
function maskList(c: Checker, node: Node | null | undefined, key: string, allowPlain = true): MaskSpec[] {
  const out: MaskSpec[] = [];
  c.list(node, key).forEach((n, i) => {
    const k = `${key}[${i}]`;
    if (isScalar(n) && !allowPlain) {
      c.fail(`a mask says why the field cannot be compared: write { path: '${String(n.value)}', reason: '...' }`, n, k, 'case.missing-key');
      return;
    }
    if (isScalar(n)) {
      const path = fieldPath(c, n, k);
      if (path) out.push({ path, reason: null, line: c.lineOf(n) });
      return;
    }
    const ps = c.pairs(n, k, MASK_KEYS);
    if (!isMap(n)) return;
    const p = ps.get('path');
    if (!p) c.fail(`missing key 'path'`, n, `${k}.path`, 'case.missing-key');
    const reason = ps.get('reason') ? c.string(ps.get('reason'), `${k}.reason`) : undefined;
    if (!ps.get('reason')) c.fail(`a mask says why the field cannot be compared: add reason: '...'`, n, `${k}.reason`, 'case.missing-key');
    const path = p ? fieldPath(c, p.value, `${k}.path`) : undefined;
    if (path && reason !== undefined) out.push({ path, reason, line: c.lineOf(n) });
  });
  return out;
}

function fieldPath(c: Checker, n: Node | null | undefined, key: string) {
  if (!isScalar(n) || typeof n.value !== 'string') {
    c.fail('expected a field path string', n, key, 'case.wrong-type');
    return undefined;
  }
  try {
    return parseFieldPath(n.value);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    c.fail(e.reason, n, key, e.code);
    return undefined;
  }
}
