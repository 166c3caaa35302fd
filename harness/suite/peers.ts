// The readers and writers the suite reads inputs and goldens through (VPP trace reader, capture
// reader/writer, dissector), behind the small contracts the suite and diff are written against.

import type { Packet } from '../wire/packet.js';
import type { FieldValue, PacketTrace } from '../stage.js';
import { readCapture } from '../io/capture.js';
import { writePcap } from '../io/pcap.js';
import { writePcapng } from '../io/pcapng.js';
import { dissect } from '../dissect/dissect.js';
import { parseTrace } from '../vpp-trace/parse.js';
import { reconstructPackets } from '../vpp-trace/reconstruct.js';
import { allPackets } from '../vpp-trace/trace-file.js';
import { entryPacket } from '../vpp-trace/entry.js';
import { firstStagePacket } from './stage-packets.js';

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
/** `transient`: batches valid until the next pull (recycled buffers; copy what you keep). */
export type CaptureReader = (path: string, opts?: { keepGoing?: boolean; batchSize?: number; chunkSize?: number; transient?: boolean }) => AsyncIterable<Packet[]>;

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

/** The dissector (harness/dissect/dissect.ts). Async for the callers written when it was loaded lazily. */
export async function dissector(): Promise<Dissector | undefined> {
  return dissect;
}

export async function captureReader(_file: string): Promise<CaptureReader> {
  return readCapture;
}

/**
 * The capture writer for a golden's format (by extension): pcapng with one interface named after the
 * golden's interface, or classic pcap (nanosecond timestamps, so nothing is rounded away).
 */
export async function captureWriter(file: string, interfaceName?: string): Promise<CaptureWriter> {
  if (/\.pcapng$/i.test(file)) {
    return (path, packets) => {
      const linkType = packets[0]?.meta.linkType ?? 1;
      const one = packets.map((p) => ({ ...p, meta: { ...p.meta, interfaceId: 0 } }));
      return writePcapng(path, one, { interfaces: [{ linkType, ...(interfaceName ? { name: interfaceName } : {}) }], nanosecond: true });
    };
  }
  return (path, packets) => writePcap(path, packets, { linkType: packets[0]?.meta.linkType ?? 1, nanosecond: true });
}

/**
 * The VPP trace reader: parse, reconstruct each stage's packet as far as the text shows it, and the
 * entering frame merged across the first stages (harness/vpp-trace/entry.ts, the same function the
 * VPP model's replay uses), else the first stage that carries a packet.
 */
export async function traceReader(_file: string): Promise<TraceReader> {
  return {
    parse(text, f) {
      const parsed = parseTrace(text, { file: f });
      reconstructPackets(parsed);
      return [...allPackets(parsed)];
    },
    entryPacket(t) {
      // Stages read from a VPP trace carry no packet (sources.ts readTraces): built for the first that shows one.
      return entryPacket(t) ?? firstStagePacket(t);
    },
  };
}
