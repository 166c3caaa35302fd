// The harness reads inputs through modules other engineers build at the same time (VPP trace reader,
// capture reader, dissector). They are imported lazily by path so the harness works - and says
// clearly what is missing - before and while they land. Each contract is written down here, once.

import type { Packet } from '../wire/packet.js';
import type { FieldValue, PacketTrace } from '../stage.js';
import { InputError } from '../io/input-error.js';

/** harness/dissect/dissect.ts (wire engineer). */
export interface Layer {
  name: string;
  offset: number;
  length: number;
  /** Scalars mostly; lists and records for structured fields (TCP options), bytes as Uint8Array. */
  fields: Record<string, FieldValue | Uint8Array | readonly unknown[] | { readonly [k: string]: unknown } | undefined>;
  /** ICMP/ICMPv6 errors: the quoted packet's layers (offsets in the outer packet). */
  quoted?: Layer[];
}
export type Dissector = (packet: Packet) => Layer[];

/** harness/io/capture.ts (capture engineer). */
export type CaptureReader = (path: string, opts?: { keepGoing?: boolean; batchSize?: number }) => AsyncIterable<Packet[]>;

/** harness/io/pcap.ts + pcapng.ts (capture engineer): write a whole capture to a path. */
export type CaptureWriter = (path: string, packets: readonly Packet[]) => Promise<void>;

/** harness/vpp-trace (vpp-trace engineer): text -> packets -> stages; the input packet of a trace. */
export interface TraceReader {
  parse(text: string, file: string): PacketTrace[];
  /**
   * The packet entering the first node, as far as the trace shows it: headers merged across the
   * first stages (device dump / ethernet-input, ip4-input's entry-state fields, the rewrite dump's
   * bytes nothing before it changed). `number` (1-based) and `file` name it in errors.
   */
  entryPacket(trace: PacketTrace, number: number, file: string): Packet | undefined;
}

const cache = new Map<string, Promise<Record<string, unknown> | undefined>>();

/** Import a module of ours by path relative to this file; undefined when that file does not exist yet. */
function load(rel: string): Promise<Record<string, unknown> | undefined> {
  let p = cache.get(rel);
  if (!p) {
    const spec = rel;
    p = import(/* @vite-ignore */ spec).then(
      (m) => m as Record<string, unknown>,
      (e: NodeJS.ErrnoException) => {
        const msg = String(e?.message ?? e);
        const base = rel.split('/').pop()!.replace(/\.js$/, '');
        if ((e?.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find|Failed to load|does not exist/i.test(msg)) && msg.includes(base)) return undefined;
        throw e;
      },
    );
    cache.set(rel, p);
  }
  return p;
}

function missing(what: string, file: string): InputError {
  return new InputError(`cannot read ${what}: that reader is not part of this build yet`, { file }, 'run.reader-missing');
}

export async function dissector(): Promise<Dissector | undefined> {
  const m = await load('../dissect/dissect.js');
  return typeof m?.dissect === 'function' ? (m.dissect as Dissector) : undefined;
}

export async function captureReader(file: string): Promise<CaptureReader> {
  const m = await load('../io/capture.js');
  if (typeof m?.readCapture !== 'function') throw missing('a capture', file);
  return m.readCapture as CaptureReader;
}

/**
 * The capture writer for a golden's format (by extension): pcapng with one interface named after the
 * golden's interface, or classic pcap (nanosecond timestamps, so nothing is rounded away).
 */
export async function captureWriter(file: string, interfaceName?: string): Promise<CaptureWriter> {
  if (/\.pcapng$/i.test(file)) {
    const m = await load('../io/pcapng.js');
    if (typeof m?.writePcapng !== 'function') throw missing('a pcapng writer', file);
    const write = m.writePcapng as (path: string, packets: Iterable<Packet>, o: unknown) => Promise<void>;
    return (path, packets) => {
      const linkType = packets[0]?.meta.linkType ?? 1;
      const one = packets.map((p) => ({ ...p, meta: { ...p.meta, interfaceId: 0 } }));
      return write(path, one, { interfaces: [{ linkType, ...(interfaceName ? { name: interfaceName } : {}) }], nanosecond: true });
    };
  }
  const m = await load('../io/pcap.js');
  if (typeof m?.writePcap !== 'function') throw missing('a pcap writer', file);
  const write = m.writePcap as (path: string, packets: Iterable<Packet>, o: unknown) => Promise<void>;
  return (path, packets) => write(path, packets, { linkType: packets[0]?.meta.linkType ?? 1, nanosecond: true });
}

/**
 * The VPP trace reader. Accepts the shapes its module may export: `parse(text, {file})` returning
 * PacketTrace[], `{packets}` or `{threads: [{packets}]}`; the entry packet from `entryPacket`/
 * `inputPacket`, else the first stage that carries a packet.
 */
export async function traceReader(file: string): Promise<TraceReader> {
  const m = (await load('../vpp-trace/index.js')) ?? (await load('../vpp-trace/parse.js'));
  const parseFn = (m?.parseTrace ?? m?.parse) as ((text: string, opts?: unknown) => unknown) | undefined;
  if (typeof parseFn !== 'function') throw missing('a VPP trace', file);
  // Packet reconstruction (harness/vpp-trace/reconstruct.ts) gives each stage its packet, as far as shown.
  const rec = await load('../vpp-trace/reconstruct.js');
  const reconstruct = rec?.reconstructPackets as ((f: unknown) => unknown) | undefined;
  // The entry-frame merge lives with the VPP model (models/vpp/entry-frame.ts, which rebuilt the
  // Contiv inputs); a reader module exporting entryPacket itself takes precedence.
  const own = (m?.entryPacket ?? m?.inputPacket) as ((t: PacketTrace) => Packet | undefined) | undefined;
  const vpp = own ? undefined : await load('../../models/vpp/entry-frame.js');
  const entryFrameOf = vpp?.entryFrameOf as ((t: PacketTrace, n: number, f?: string) => { packet: Packet }) | undefined;
  return {
    parse(text, f) {
      const parsed = parseFn(text, { file: f });
      if (typeof reconstruct === 'function' && parsed && typeof parsed === 'object' && 'threads' in parsed) reconstruct(parsed);
      return normalizeTraces(parsed);
    },
    entryPacket(t, number, f) {
      if (typeof own === 'function') return own(t);
      if (typeof entryFrameOf === 'function') return entryFrameOf(t, number, f).packet;
      return t.stages.find((s) => s.packet)?.packet;
    },
  };
}

function normalizeTraces(r: unknown): PacketTrace[] {
  const o = r as { packets?: unknown; threads?: Array<{ packets?: unknown }> };
  if (Array.isArray(r)) return r as PacketTrace[];
  if (o && Array.isArray(o.packets)) return o.packets as PacketTrace[];
  if (o && Array.isArray(o.threads)) return o.threads.flatMap((t) => (Array.isArray(t.packets) ? (t.packets as PacketTrace[]) : []));
  throw new Error('the VPP trace reader returned an unexpected shape');
}
