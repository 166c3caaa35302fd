// The one list of fields no model can know: runtime state of the real dataplane (clocks, buffer
// pools, DMA addresses) that a golden shows but that depends on nothing a scenario describes. The
// suite masks these in every golden of the kind, so no case repeats them and none can drift.
//
// Keep it short and honest: an entry is here only if (1) some golden of that kind shows the field
// today and (2) its value cannot follow from configuration plus the packets replayed. Values that
// depend on history the golden does not show (NAT session indices, ACL rule hits) are NOT runtime
// state: a case binds them (`bindings:`), or masks them itself with its own reason.

import type { SourceKind } from '../suite/case-spec.js';
import { parseFieldPath, type FieldPath } from './mask-path.js';

export interface RuntimeMask {
  /** A field path (diff/mask-path.ts): a record field of two segments needs its stage, `*.mbuf.x`. */
  path: string;
  /** Why no model can know it: one line, citing where the fact comes from. */
  reason: string;
}

export const RUNTIME_MASKS: Readonly<Record<SourceKind, readonly RuntimeMask[]>> = {
  // VPP `show trace` text (seed 004 and anything like it).
  trace: [
    { path: 'time', reason: 'node header time: the VPP main-loop clock since start (vlib/trace.c format_vlib_trace), a run-time value' },
    { path: 'buffer_index', reason: 'vlib buffer index: whichever free buffer vlib_buffer_alloc handed out at run time' },
    { path: 'trace_index', reason: 'trace buffer slot of this run (vlib_add_trace: a slot of the trace pool, differs from run to run)' },
    { path: '*.mbuf.phys_addr', reason: 'DMA address of the DPDK mbuf in this process (rte_mbuf buf_physaddr)' },
  ],
  // pcap/pcapng: frame timestamps are not stage fields (never compared), and every dissected header
  // field follows from the scenario and the packets; IP ids a kernel picks at random are masked by the
  // cases that show them, per packet, with their reason.
  capture: [],
  // JSON stage records: written by our models (snapshots) or converted goldens; they carry no
  // runtime state today.
  stages: [],
};

/** A mask as the diff applies it: the parsed path, why, and where it was declared. */
export interface MaskRule {
  path: FieldPath;
  /** null: declared without a reason (the old plain-string case mask form). */
  reason: string | null;
  origin: 'runtime' | 'case' | 'golden' | 'cli';
  /** Only these packet traces (a golden's part of a sequence); `#N:` then counts from `first`. */
  scope?: { first: number; count: number };
}

const parsed = new Map<SourceKind, MaskRule[]>();

/** The runtime masks of a golden kind as rules (parsed once; a bad entry here is a programming error). */
export function runtimeMaskRules(kind: SourceKind, list: Readonly<Record<SourceKind, readonly RuntimeMask[]>> = RUNTIME_MASKS): MaskRule[] {
  const toRules = () => list[kind].map((m) => ({ path: parseFieldPath(m.path), reason: m.reason, origin: 'runtime' as const }));
  if (list !== RUNTIME_MASKS) return toRules();
  let r = parsed.get(kind);
  if (!r) parsed.set(kind, (r = toRules()));
  return r;
}
