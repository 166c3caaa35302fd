// The ACL plugin's per-packet decision (acl_fa_node_fn, vpp-facts §9): session lookup first, then
// the interface's ACL list; permit+reflect adds a session. Returns everything the trace record
// shows. trace_bits is a per-frame bitmap in VPP (declared once per node call), so bits set by one
// packet stay set for the later packets of the same vector.
//
// The verdict, its 5-tuple, the session key and the rule match are one object each per AclState,
// refilled per packet (the node reads the verdict before the next packet runs): no allocation
// per packet. An interface's ACL list is flattened into its rules once (configuration changes
// through setAcl / setInterfaceLists drop the flattened lists), not looked up ACL by ACL per packet.

import { Fault, type Vm } from '../graph.js';
import type { AclConfig } from './config.js';
import { emptyFiveTuple, fill5Tuple, sessionKey, type FiveTuple } from './five-tuple.js';
import { flattenAclList, matchListedRules, prefixMask, type AclMatch, type AclRule, type ListedRule } from './rules.js';
import { ACL_DEFAULT_TIMEOUTS_SEC } from './idle-cleaner.js';
import { AclSessionTable, MISS, TimeoutClass } from './sessions.js';
import { ip4ToU32 } from '../../../harness/wire/address.js';
import { i32 } from '../../../harness/wire/bytes.js';
import { IpProtocol } from '../../../harness/wire/ipv4.js';
import { ACL_DEFAULT_MAX_SESSIONS } from './config.js';

export interface AclVerdict {
  /** 0 deny, 1 permit, 2 permit+reflect (session added), 3 existing session. */
  action: number;
  acl: number;
  /** Rule index, or the session pool index on a session hit. */
  rule: number;
  /**
   * The frame's trace_bits as a signed 32-bit integer (`>>> 0` for the u32 VPP prints): a session
   * hit sets bit 31, and as a u32 that value would be a new heap number on every hit.
   */
  traceBits: number;
  tuple: FiveTuple;
  /** Error counter the packet is filed under (error-drop prints it on deny). */
  error: string;
}

export const AclError = {
  DENY: 'ACL deny packets',
  PERMIT: 'ACL permit packets',
  NEW_SESSION: 'new sessions added',
  EXIST_SESSION: 'existing session packets',
  TOO_MANY_SESSIONS: 'too many sessions to add new',
} as const;

/** sw_if_index values whose flattened lists are kept (an interface index is small in practice). */
const LISTED_CACHE_LIMIT = 1 << 16;

const ACTION_ERRORS = [AclError.DENY, AclError.PERMIT, AclError.NEW_SESSION, AclError.EXIST_SESSION];

export class AclState {
  private readonly aclRules = new Map<number, AclRule[]>();
  private readonly inputAcls = new Map<number, number[]>();
  private readonly outputAcls = new Map<number, number[]>();
  /** Per sw_if_index (below LISTED_CACHE_LIMIT): 1 where an input ACL list is applied (prefetch's test). */
  private readonly inputApplied = new Uint8Array(LISTED_CACHE_LIMIT);
  /** Flattened lists by 2 * sw_if_index + is_input (sw_if_index below LISTED_CACHE_LIMIT). */
  private listed: (ListedRule[] | undefined)[] = [];
  readonly sessions: AclSessionTable;
  /** Per ACL node (its AclNodeId): the frame the bitmap belongs to and its bits. */
  private readonly frameBits: { frame: unknown; bits: number }[] = [];
  private readonly tuple = emptyFiveTuple();
  private readonly key = new Int32Array(4);
  private readonly match: AclMatch = { action: 0, acl: -1, rule: -1 };
  private readonly verdict: AclVerdict = { action: 0, acl: -1, rule: -1, traceBits: 0, tuple: this.tuple, error: '' };

  constructor(maxSessions = ACL_DEFAULT_MAX_SESSIONS, presize = 0, timeoutsSec: readonly number[] = ACL_DEFAULT_TIMEOUTS_SEC) {
    this.sessions = new AclSessionTable(maxSessions, presize, timeoutsSec);
  }

  static fromConfig(cfg: AclConfig, swIfIndexOf: (name: string) => number): AclState {
    const t = cfg.sessionTimeout;
    const d = ACL_DEFAULT_TIMEOUTS_SEC;
    const timeouts = [t?.udpIdle ?? d[TimeoutClass.UDP_IDLE], t?.tcpIdle ?? d[TimeoutClass.TCP_IDLE], t?.tcpTransient ?? d[TimeoutClass.TCP_TRANSIENT]];
    const st = new AclState(cfg.maxSessions ?? ACL_DEFAULT_MAX_SESSIONS, cfg.connectionHashBuckets ?? 0, timeouts);
    for (const a of cfg.acls) st.setAcl(a.index, a.rules.map(compileRule));
    for (const i of cfg.interfaces) st.setInterfaceLists(swIfIndexOf(i.interface), i.input, i.output);
    return st;
  }

  get acls(): ReadonlyMap<number, readonly AclRule[]> {
    return this.aclRules;
  }

  get inputLists(): ReadonlyMap<number, readonly number[]> {
    return this.inputAcls;
  }

  get outputLists(): ReadonlyMap<number, readonly number[]> {
    return this.outputAcls;
  }

  /** acl_add_replace: the ACL's rules (compiled). */
  setAcl(index: number, rules: readonly AclRule[]): void {
    this.aclRules.set(index, [...rules]);
    this.listed = [];
  }

  /** acl_interface_set_acl_list: the interface's input and output ACL lists, in match order. */
  setInterfaceLists(swIfIndex: number, input: readonly number[], output: readonly number[]): void {
    this.inputAcls.set(swIfIndex, [...input]);
    this.outputAcls.set(swIfIndex, [...output]);
    if (swIfIndex < LISTED_CACHE_LIMIT) this.inputApplied[swIfIndex] = input.length > 0 ? 1 : 0;
    this.listed = [];
  }

  /** The rules a packet on the interface is matched against, in order. */
  private rulesOf(swIfIndex: number, isInput: boolean): readonly ListedRule[] {
    const i = 2 * swIfIndex + (isInput ? 1 : 0);
    // Bounds tested first: a read past the end is a deopt ("out of bounds") of the optimised caller
    // the first time an interface above the others' is looked up.
    const listed = this.listed;
    const hit = swIfIndex < LISTED_CACHE_LIMIT && i < listed.length ? listed[i] : undefined;
    if (hit !== undefined) return hit;
    const rules = flattenAclList((isInput ? this.inputAcls : this.outputAcls).get(swIfIndex) ?? NO_LIST, this.aclRules);
    if (swIfIndex < LISTED_CACHE_LIMIT) this.listed[i] = rules;
    return rules;
  }

  /**
   * One packet. `node` is the ACL node's id (its own trace_bits); `l3` the IP header's index in
   * `bytes`; [currentStart, currentEnd) the buffer's current bytes; `frame` identifies the vector the
   * packet came in (undefined = its own). The verdict is valid until the next call.
   */
  decide(vm: Vm, node: number, bytes: Uint8Array, l3: number, currentStart: number, currentEnd: number, swIfIndex: number, isInput: boolean, frame: unknown): AclVerdict {
    const t = fill5Tuple(bytes, l3, currentStart, currentEnd, swIfIndex, isInput, this.tuple);
    const fb = (this.frameBits[node] ??= { frame: undefined, bits: 0 });
    if (frame === undefined || fb.frame !== frame) {
      fb.frame = frame;
      fb.bits = 0;
    }
    const key = sessionKey(t, isInput, this.key);
    const useSessions = !vm.hasFault(Fault.ACL_SESSIONS);
    this.tick(vm);
    const s = useSessions ? this.sessions.find(key) : MISS;
    if (s !== MISS) {
      fb.bits |= 0x80000000 | this.sessionHit(s, t.tcpFlagsValid, t.tcpFlags, isInput);
      // The key holds lsb16(sw_if_index) only: a session made on an interface 64K indices apart
      // (same 5-tuple) is found, tracked, then refused (fa_node.c acl_fa_node_fn, liangfudeng/vpp
      // @667cdb51: `if (PREDICT_FALSE(sess->sw_if_index != sw_if_index0)) { clib_warning("BUG:
      // session LSB16(sw_if_index) and 5-tuple collision!"); acl_check_needed = 0; action = 0; }`):
      // dropped under the session hit's error0, "existing session packets", still printing the
      // session index as the rule.
      if (this.sessions.swIfIndexOf(s) !== (swIfIndex | 0)) return this.verdictOf(0, -1, s, fb.bits, AclError.EXIST_SESSION);
      return this.verdictOf(3, -1, s, fb.bits, AclError.EXIST_SESSION);
    }
    const m = matchListedRules(this.rulesOf(swIfIndex, isInput), t, this.match);
    let action: number = m.action;
    let error: string = ACTION_ERRORS[action];
    if (action === 2) {
      // A full table first gives up its oldest TCP transient session (fa_node.c
      // acl_fa_try_recycle_session, sessions.ts); the new session takes that pool index.
      if (!this.sessions.canAdd()) this.sessions.recycleTransient();
      if (this.sessions.canAdd()) {
        if (useSessions) this.sessions.add(key, t, isInput);
      } else {
        action = 0;
        error = AclError.TOO_MANY_SESSIONS;
      }
    }
    return this.verdictOf(action, m.acl, m.rule, fb.bits, error);
  }

  /**
   * The packet's time reaches the session table: the cleaner removes what went idle before it
   * (idle-cleaner.ts: a lookup itself never tests a session's age). Every decide starts with it;
   * the flow cache (../flow-cache.ts) calls it where decide would.
   */
  tick(vm: Vm): void {
    this.sessions.advance(vm.nowMs, !vm.hasFault(Fault.ACL_SESSION_EXPIRY));
  }

  /**
   * acl_fa_node_fn's session hit on `s` (the session found for the packet): its TCP flags tracked
   * into the packet's direction, last_active_time set, and a changed timeout class moves it to the
   * new class's list. Returns the trace_bits a class change adds (0: none). Shared by decide and
   * the flow cache's fast path, which finds `s` without the hash.
   */
  sessionHit(s: number, tcpFlagsValid: boolean, tcpFlags: number, isInput: boolean): number {
    // Timeout class before (bits 0-7) and after (8-15) the packet's flags are tracked.
    const classes = this.sessions.trackClasses(s, tcpFlagsValid, tcpFlags, isInput);
    this.sessions.touch(s);
    const before = classes & 0xff;
    const after = classes >>> 8;
    if (before === after) return 0;
    this.sessions.changeClass(s, after);
    return 0x00010000 + (before << 8) + after;
  }

  /**
   * Queue the session slot an untagged IPv4 frame arriving on swIfIndex will look up on input (the
   * key sessionKey makes, read straight from the Ethernet frame bytes[eth, eth + length)) for
   * sessions.flushPrefetch.
   */
  prefetch(swIfIndex: number, bytes: Uint8Array, eth: number, length: number): void {
    if (length < 14 + 20 + 4 || bytes[eth + 12] !== 0x08 || bytes[eth + 13] !== 0x00 || swIfIndex >= LISTED_CACHE_LIMIT || this.inputApplied[swIfIndex] === 0) return;
    const l3 = eth + 14;
    const proto = bytes[l3 + 9];
    const l4 = l3 + 20;
    // The words only get hashed here, and the hash reads them as int32: read as int32 (i32), a word
    // at or above 2^31 (every source port from 32768) is not made a heap number on the way.
    const ports = proto === IpProtocol.TCP || proto === IpProtocol.UDP ? i32(bytes, l4) : 0;
    this.sessions.prefetch(i32(bytes, l3 + 12), i32(bytes, l3 + 16), ports, (proto << 16) | (swIfIndex & 0xffff));
  }

  private verdictOf(action: number, acl: number, rule: number, bits: number, error: string): AclVerdict {
    const v = this.verdict;
    v.action = action;
    v.acl = acl;
    v.rule = rule;
    v.traceBits = bits | 0;
    v.error = error;
    return v;
  }
}

const NO_LIST: readonly number[] = [];

/** A configured rule in the form the matcher uses. */
export function compileRule(r: AclConfig['acls'][number]['rules'][number]): AclRule {
  const [srcAddr, srcLen] = parsePrefix(r.src);
  const [dstAddr, dstLen] = parsePrefix(r.dst);
  const srcMask = prefixMask(srcLen);
  const dstMask = prefixMask(dstLen);
  const tcpFlagsMask = r.tcpFlagsMask ?? 0;
  return {
    isPermit: r.action === 'deny' ? 0 : r.action === 'permit' ? 1 : 2,
    srcAddr: (srcAddr & srcMask) >>> 0,
    srcMask,
    dstAddr: (dstAddr & dstMask) >>> 0,
    dstMask,
    proto: r.protocol ?? 0,
    srcPortFirst: r.srcPorts?.[0] ?? 0,
    srcPortLast: r.srcPorts?.[1] ?? 65535,
    dstPortFirst: r.dstPorts?.[0] ?? 0,
    dstPortLast: r.dstPorts?.[1] ?? 65535,
    tcpFlagsMask,
    // Only the bits under the mask count, as in the hash lookup's sanitized match (rules.ts); a
    // non-TCP packet's flags are never compared (tcp_flags_valid is 0), so the rule's protocol
    // needs no test here.
    tcpFlagsValue: (r.tcpFlagsValue ?? 0) & tcpFlagsMask,
  };
}

function parsePrefix(p: string | undefined): [number, number] {
  if (!p) return [0, 0];
  const [a, len] = p.split('/');
  return [ip4ToU32(a), len === undefined ? 32 : Number(len)];
}
