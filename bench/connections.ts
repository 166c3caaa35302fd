// The pod -> service workload of real traffic (issue 4): many complete TCP connections between client
// pods and a NAT44 load-balanced service, both directions, as a pod talking to a service produces
// them. Each connection is 10 packets:
//
//   client -> VIP:port      SYN                      (enters on the client's tap: NAT44 outside, out2in)
//   backend -> client       SYN-ACK                  (enters on the backend's tap: NAT44 inside, in2out)
//   client                  ACK
//   client                  PSH/ACK  HTTP GET, 100-300 bytes
//   backend                 ACK
//   backend                 PSH/ACK  HTTP response, 900-1100 bytes
//   client                  ACK
//   client                  FIN/ACK
//   backend                 FIN/ACK
//   client                  ACK (the last one)
//
// with consistent sequence and acknowledgement numbers, Linux's options (MSS, SACK permitted,
// timestamps, window scale on the SYNs; timestamps on the rest), valid checksums, and the MACs and
// addresses the scenario configures (service-endpoints.ts). The backend answers the client's real
// address and port from its own (10.1.1.5:8080): turning that source back into the VIP is the
// model's nat44-in2out, not the generator's business.
//
// Interleaving: `open` slots, visited round robin, one packet per visit; a slot starts its next
// connection when the previous one has sent its last packet, and slot s joins at round s mod 10, so
// the slots are spread over the 10 steps of a connection (every round mixes SYNs, data, FINs...)
// and about `open` connections are open at any time. Client ports count through Linux's default
// ephemeral range (net.ipv4.ip_local_port_range 32768-60999) per client address; the generator
// refuses a plan in which a 5-tuple could repeat while its earlier connection is still open.

import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PcapngWriter } from '../harness/io/pcapng.js';
import { LinkType } from '../harness/wire/packet.js';
import type { Pod, ServiceEndpoints } from './service-endpoints.js';
import { tcpFrame, tcpFrameLength, type TcpSegment } from './tcp-frame.js';

export const PACKETS_PER_CONNECTION = 10;
/** Linux's default net.ipv4.ip_local_port_range. */
export const EPHEMERAL_FIRST = 32768;
export const EPHEMERAL_COUNT = 60999 - 32768 + 1;

export interface ConnectionPlan {
  connections: number;
  /** Connections open at a time (round-robin slots). */
  open: number;
}

const SYN = 0x02;
const ACK = 0x10;
const PSH_ACK = 0x18;
const FIN_ACK = 0x11;

/** Who sends step j of a connection (true: the client). */
export const CLIENT_SENDS: readonly boolean[] = [true, false, true, true, false, false, true, true, false, true];
/** The other side's latest step before step j (its timestamp is echoed), -1 for none. */
const ECHOES: readonly number[] = [-1, 0, 1, 1, 3, 3, 5, 5, 7, 8];

/** One connection's endpoints and numbers, all derived from its index. */
export interface Connection {
  client: Pod;
  port: number;
  /** Initial sequence numbers of the client and of the backend. */
  clientIsn: number;
  backendIsn: number;
  requestLength: number;
  responseLength: number;
}

/** murmur3's fmix32 of k and a salt: spread-out per-connection numbers, same for every run. */
function mix(k: number, salt: number): number {
  let h = Math.imul(k ^ Math.imul(salt, 0x9e3779b9), 0x85ebca6b) ^ salt;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const ascii = new TextEncoder();

/** An HTTP/1.1 GET of exactly `length` bytes (an X-Pad header fills it up). */
function httpRequest(k: number, host: string, length: number): Uint8Array {
  const head = `GET /api/items/${k} HTTP/1.1\r\nHost: ${host}\r\nAccept: */*\r\nX-Pad: `;
  const pad = length - head.length - 4;
  if (pad < 0) throw new RangeError(`an HTTP request of ${length} bytes is too short for its headers`);
  return ascii.encode(`${head}${'x'.repeat(pad)}\r\n\r\n`);
}

/** An HTTP/1.1 200 response of exactly `length` bytes (< 10^5), its body filling what the headers leave. */
function httpResponse(k: number, length: number): Uint8Array {
  // Content-Length as 5 digits (leading zeros are valid: 1*DIGIT), so the headers' length does not depend on it.
  const head = (n: number) => `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${String(n).padStart(5, '0')}\r\n\r\n`;
  const body = length - head(0).length;
  if (body < 0 || length >= 1e5) throw new RangeError(`an HTTP response of ${length} bytes`);
  const text = `item ${k} `;
  return ascii.encode(head(body) + text.repeat(Math.ceil(body / text.length)).slice(0, body));
}

function u32ToDotted(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

/** MSS 1460, SACK permitted, timestamps, NOP, window scale 7 (a Linux SYN's 20 option bytes). */
function synOptions(tsval: number, tsecr: number): Uint8Array {
  const o = new Uint8Array([2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3, 7]);
  new DataView(o.buffer).setUint32(8, tsval >>> 0);
  new DataView(o.buffer).setUint32(12, tsecr >>> 0);
  return o;
}

/** NOP, NOP, timestamps (the 12 option bytes of every Linux segment after the handshake). */
function timestampOptions(tsval: number, tsecr: number): Uint8Array {
  const o = new Uint8Array([1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0]);
  new DataView(o.buffer).setUint32(4, tsval >>> 0);
  new DataView(o.buffer).setUint32(8, tsecr >>> 0);
  return o;
}

const EMPTY = new Uint8Array(0);

export class ConnectionTraffic {
  readonly packets: number;

  constructor(
    readonly endpoints: ServiceEndpoints,
    readonly plan: ConnectionPlan,
  ) {
    const { connections, open } = plan;
    if (!(Number.isInteger(connections) && connections > 0 && Number.isInteger(open) && open > 0)) throw new RangeError(`connections ${connections} and open ${open}: positive integers`);
    // The same (client, port) comes back every `reuse` connections. Connection k is open from round
    // 10*floor(k/open) + (k mod open) mod 10 for 10 rounds, so one `reuse` >= 2*open later starts
    // at least 20 rounds after the earlier one started: it has ended.
    const reuse = endpoints.clients.length * EPHEMERAL_COUNT;
    if (connections > reuse && reuse < 2 * open)
      throw new RangeError(`${open} open connections from ${endpoints.clients.length} client address(es) could reuse a 5-tuple while it is open (ports repeat every ${reuse} connections)`);
    this.packets = connections * PACKETS_PER_CONNECTION;
  }

  connection(k: number): Connection {
    const clients = this.endpoints.clients;
    return {
      client: clients[k % clients.length],
      port: EPHEMERAL_FIRST + (Math.floor(k / clients.length) % EPHEMERAL_COUNT),
      clientIsn: mix(k, 1),
      backendIsn: mix(k, 2),
      requestLength: 100 + (mix(k, 3) % 201),
      responseLength: 900 + (mix(k, 4) % 201),
    };
  }

  /**
   * Every packet in capture order: `visit(k, j)` for step j of connection k. Slot s runs connections
   * s, s + open, s + 2 open...; round r gives slot s its step r - (s mod 10) (none before it joins).
   */
  forEach(visit: (connection: number, step: number) => void): void {
    const { connections, open } = this.plan;
    const P = PACKETS_PER_CONNECTION;
    let left = this.packets;
    for (let r = 0; left > 0; r++) {
      for (let s = 0; s < open && s < connections; s++) {
        const step = r - (s % P);
        if (step < 0) continue;
        const k = s + open * Math.floor(step / P);
        if (k >= connections) continue;
        visit(k, step % P);
        left--;
      }
    }
  }

  /** Step j of connection k as a TcpSegment. */
  segment(k: number, j: number): TcpSegment {
    const c = this.connection(k);
    const ep = this.endpoints;
    const b = ep.backend;
    const fromClient = CLIENT_SENDS[j];
    const q = c.requestLength;
    const p = c.responseLength;
    const ci = c.clientIsn;
    const si = c.backendIsn;
    // [seq, ack, flags, payload] per step; the backend's ack of the SYN is isn + 1, of data isn + 1 + bytes, of a FIN one more.
    const steps: Array<[number, number, number, Uint8Array]> = [
      [ci, 0, SYN, EMPTY],
      [si, ci + 1, SYN | ACK, EMPTY],
      [ci + 1, si + 1, ACK, EMPTY],
      [ci + 1, si + 1, PSH_ACK, EMPTY],
      [si + 1, ci + 1 + q, ACK, EMPTY],
      [si + 1, ci + 1 + q, PSH_ACK, EMPTY],
      [ci + 1 + q, si + 1 + p, ACK, EMPTY],
      [ci + 1 + q, si + 1 + p, FIN_ACK, EMPTY],
      [si + 1 + p, ci + 2 + q, FIN_ACK, EMPTY],
      [ci + 2 + q, si + 2 + p, ACK, EMPTY],
    ];
    const [seq, ack, flags] = steps[j];
    const payload = j === 3 ? httpRequest(k, u32ToDotted(ep.vip), q) : j === 5 ? httpResponse(k, p) : EMPTY;
    // Timestamps: each side's clock starts at a per-connection value and ticks once per packet it sends.
    const ts = (client: boolean, step: number) => (step < 0 ? 0 : (mix(k, client ? 5 : 6) + step) >>> 0);
    const tsval = ts(fromClient, j);
    const tsecr = ts(!fromClient, ECHOES[j]);
    return {
      dstMac: fromClient ? c.client.itfMac : b.itfMac,
      srcMac: fromClient ? c.client.mac : b.mac,
      src: fromClient ? c.client.addr : b.addr,
      dst: fromClient ? ep.vip : c.client.addr,
      ipId: (mix(k, fromClient ? 7 : 8) + j) & 0xffff,
      ttl: 64,
      df: true,
      sport: fromClient ? c.port : b.port,
      dport: fromClient ? ep.vipPort : c.port,
      seq: seq >>> 0,
      ack: ack >>> 0,
      flags,
      window: j === 0 ? 29200 : j === 1 ? 28960 : fromClient ? 229 : 227,
      options: j <= 1 ? synOptions(tsval, tsecr) : timestampOptions(tsval, tsecr),
      payload,
    };
  }

  /** The interface step j of connection k arrives on. */
  arrival(k: number, j: number): string {
    return CLIENT_SENDS[j] ? this.connection(k).client.itf : this.endpoints.backend.itf;
  }

  /** The arrival interfaces, in the order a capture's interface descriptions list them. */
  interfaces(): string[] {
    return [...new Set([...this.endpoints.clients.map((c) => c.itf), this.endpoints.backend.itf])];
  }

  /** Step j of connection k as a frame (a fresh array). */
  frame(k: number, j: number): Uint8Array {
    const s = this.segment(k, j);
    const b = new Uint8Array(tcpFrameLength(s));
    tcpFrame(b, s);
    return b;
  }
}

/** Bump when the generator's output changes: the cached capture's name carries it. */
const GENERATOR_VERSION = 1;

/**
 * The workload as a pcapng file (one interface description per arrival interface, named as the
 * scenario names it, each packet on its interface), generated once into `dir` and reused.
 */
export async function ensureConnectionCapture(traffic: ConnectionTraffic, dir: string): Promise<string> {
  const { connections, open } = traffic.plan;
  const file = join(dir, `connections-${connections}x${PACKETS_PER_CONNECTION}-open${open}-v${GENERATOR_VERSION}.pcapng`);
  if (await stat(file).catch(() => undefined)) return file;
  await mkdir(dir, { recursive: true });
  const names = traffic.interfaces();
  const tmp = `${file}.${process.pid}.tmp`;
  const w = new PcapngWriter(tmp, { interfaces: names.map((name) => ({ linkType: LinkType.ETHERNET, name })) });
  const order: number[] = [];
  traffic.forEach((k, j) => order.push(k * PACKETS_PER_CONNECTION + j));
  for (let i = 0; i < order.length; i++) {
    const k = Math.floor(order[i] / PACKETS_PER_CONNECTION);
    const j = order[i] % PACKETS_PER_CONNECTION;
    const data = traffic.frame(k, j);
    await w.write({ data, meta: { linkType: LinkType.ETHERNET, interfaceId: names.indexOf(traffic.arrival(k, j)), timestampNs: BigInt(i) * 1000n } });
  }
  await w.close();
  // Whole or not at all: an interrupted run leaves no half capture under the cached name.
  await rename(tmp, file);
  return file;
}
