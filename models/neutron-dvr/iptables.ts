// iptables-save text (the subset the Neutron L3 agent writes) and its evaluation over one packet.
// The scenario carries the agent's rules verbatim; the lab loads the same text with
// iptables-restore, so what the model evaluates is exactly what the kernel was given.

import { parseCidr, inPrefix, type Cidr } from './addr.js';

export type Target =
  | { kind: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { kind: 'jump'; chain: string }
  /** -j MARK --set-xmark value/mask: skb->mark = (mark & ~mask) ^ value; not terminating (xt_MARK). */
  | { kind: 'MARK'; value: number; mask: number }
  | { kind: 'DNAT'; to: string; port?: number }
  | { kind: 'SNAT'; to: string; port?: number; randomFully: boolean };

export interface Rule {
  chain: string;
  src?: { cidr: Cidr; neg: boolean };
  dst?: { cidr: Cidr; neg: boolean };
  inIf?: { name: string; neg: boolean };
  outIf?: { name: string; neg: boolean };
  proto?: { num: number; neg: boolean };
  dport?: number;
  /** -m conntrack --ctstate X,Y (NEW, ESTABLISHED, RELATED, DNAT, SNAT). */
  ctstate?: { states: string[]; neg: boolean };
  /** -m mark --mark value[/mask]: (skb->mark & mask) == value (xt_mark). */
  mark?: { value: number; mask: number; neg: boolean };
  target: Target;
  /** The rule as written, for stage lines. */
  text: string;
}

export interface Chain { name: string; policy: 'ACCEPT' | 'DROP' | null; rules: Rule[] }
export type Table = Map<string, Chain>;
export type IptablesTables = Map<string, Table>;

export class IptablesSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

const PROTOS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17 };

function tokenize(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? m[1] : m[2]);
  return out;
}

export function parseIptablesSave(text: string): IptablesTables {
  const tables: IptablesTables = new Map();
  let table: Table | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const lineNo = i + 1;
    if (!line || line.startsWith('#')) return;
    if (line.startsWith('*')) {
      table = new Map();
      tables.set(line.slice(1), table);
      return;
    }
    if (line === 'COMMIT') {
      table = undefined;
      return;
    }
    if (!table) throw new IptablesSyntaxError(`iptables line ${lineNo}: '${line}' outside a *table ... COMMIT block`, lineNo);
    if (line.startsWith(':')) {
      const [name, policy] = line.slice(1).split(/\s+/);
      table.set(name, { name, policy: policy === '-' ? null : (policy as 'ACCEPT' | 'DROP'), rules: [] });
      return;
    }
    const rule = parseRule(line, lineNo);
    const chain = table.get(rule.chain);
    if (!chain) throw new IptablesSyntaxError(`iptables line ${lineNo}: chain '${rule.chain}' is not declared`, lineNo);
    chain.rules.push(rule);
  });
  for (const t of tables.values()) {
    for (const c of t.values()) {
      for (const r of c.rules) {
        if (r.target.kind === 'jump' && !t.has(r.target.chain)) throw new IptablesSyntaxError(`iptables: rule '${r.text}' jumps to undeclared chain '${r.target.chain}'`, 0);
      }
    }
  }
  return tables;
}

function parseRule(line: string, lineNo: number): Rule {
  const t = tokenize(line);
  const bad = (why: string): never => {
    throw new IptablesSyntaxError(`iptables line ${lineNo}: ${why} in '${line}'`, lineNo);
  };
  if (t[0] !== '-A' || !t[1]) bad('expected -A CHAIN');
  const rule: Partial<Rule> = { chain: t[1], text: line };
  let neg = false;
  for (let i = 2; i < t.length; i++) {
    const opt = t[i];
    const arg = (): string => t[++i] ?? bad(`${opt} needs an argument`);
    switch (opt) {
      case '!': neg = true; continue;
      case '-s': rule.src = { cidr: parseCidr(arg()), neg }; break;
      case '-d': rule.dst = { cidr: parseCidr(arg()), neg }; break;
      case '-i': rule.inIf = { name: arg(), neg }; break;
      case '-o': rule.outIf = { name: arg(), neg }; break;
      case '-p': {
        const p = arg();
        rule.proto = { num: PROTOS[p] ?? (Number(p) || bad(`unknown protocol ${p}`)), neg };
        break;
      }
      case '-m': arg(); break; // the match module; its options follow and are read below
      case '--comment': arg(); break;
      case '--ctstate': rule.ctstate = { states: arg().split(','), neg }; break;
      case '--dport': rule.dport = Number(arg()); break;
      case '--mark': rule.mark = { ...markArg(arg(), bad), neg }; break;
      case '-j': {
        const j = arg();
        if (j === 'ACCEPT' || j === 'DROP' || j === 'RETURN') rule.target = { kind: j };
        else if (j === 'MARK') {
          if (t[++i] !== '--set-xmark') bad('MARK needs --set-xmark (iptables-save form)');
          rule.target = { kind: 'MARK', ...markArg(arg(), bad) };
        }
        else if (j === 'DNAT' || j === 'SNAT') {
          const flag = t[++i];
          if (flag !== (j === 'DNAT' ? '--to-destination' : '--to-source')) bad(`${j} needs ${j === 'DNAT' ? '--to-destination' : '--to-source'}`);
          const [to, port] = arg().split(':');
          parseCidr(to);
          const randomFully = t[i + 1] === '--random-fully' ? (i++, true) : false;
          rule.target = j === 'DNAT' ? { kind: 'DNAT', to, port: port ? Number(port) : undefined } : { kind: 'SNAT', to, port: port ? Number(port) : undefined, randomFully };
        } else if (/^[A-Z]+$/.test(j)) bad(`target ${j} is not modelled`);
        else rule.target = { kind: 'jump', chain: j };
        break;
      }
      default: bad(`option ${opt} is not modelled`);
    }
    neg = false;
  }
  if (!rule.target) bad('no -j target');
  return rule as Rule;
}

/** value[/mask] as iptables prints marks (hex or decimal; no mask = all 32 bits). */
function markArg(text: string, bad: (why: string) => never): { value: number; mask: number } {
  const [v, m] = text.split('/');
  const num = (x: string): number => {
    const n = Number(x);
    return Number.isInteger(n) && n >= 0 && n <= 0xffffffff ? n : bad(`bad mark '${text}'`);
  };
  return { value: num(v), mask: m === undefined ? 0xffffffff : num(m) };
}

/** What a rule can look at. */
export interface MatchContext {
  src: number;
  dst: number;
  proto: number;
  dport?: number;
  inIf?: string;
  outIf?: string;
  /** Conntrack states of the packet's connection: NEW/ESTABLISHED/RELATED plus DNAT/SNAT when set. */
  ctstates: string[];
  /** skb->mark; MARK targets met on the way change it (the Verdict carries the result). */
  mark: number;
}

/** iptables interface match: a trailing '+' is a prefix wildcard. */
function ifMatches(pattern: string, name: string | undefined): boolean {
  if (name === undefined) return false;
  return pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

function ruleMatches(r: Rule, c: MatchContext, mark: number): boolean {
  const x = (cond: boolean, neg: boolean): boolean => cond !== neg;
  if (r.src && !x(inPrefix(c.src, r.src.cidr), r.src.neg)) return false;
  if (r.dst && !x(inPrefix(c.dst, r.dst.cidr), r.dst.neg)) return false;
  if (r.inIf && !x(ifMatches(r.inIf.name, c.inIf), r.inIf.neg)) return false;
  if (r.outIf && !x(ifMatches(r.outIf.name, c.outIf), r.outIf.neg)) return false;
  if (r.proto && !x(c.proto === r.proto.num, r.proto.neg)) return false;
  if (r.dport !== undefined && c.dport !== r.dport) return false;
  if (r.ctstate && !x(r.ctstate.states.some((s) => c.ctstates.includes(s)), r.ctstate.neg)) return false;
  if (r.mark && !x(((mark & r.mark.mask) >>> 0) === r.mark.value, r.mark.neg)) return false;
  return true;
}

export interface Verdict {
  target: Exclude<Target, { kind: 'jump' } | { kind: 'RETURN' } | { kind: 'MARK' }>;
  /** skb->mark after the walk (MARK targets are applied as they are met). */
  mark: number;
  /** The rules that matched on the way (jumps and the deciding rule), as written. */
  path: string[];
}

/** Walk a built-in chain like ipt_do_table: jumps push, RETURN/end pops, the policy ends it. */
export function evaluateChain(table: Table | undefined, chainName: string, c: MatchContext): Verdict {
  const path: string[] = [];
  let mark = c.mark;
  const start = table?.get(chainName);
  if (!start) return { target: { kind: 'ACCEPT' }, path, mark };
  const walk = (chain: Chain, depth: number): Verdict['target'] | null => {
    if (depth > 32) throw new Error(`iptables: chain loop through ${chain.name}`);
    for (const r of chain.rules) {
      if (!ruleMatches(r, c, mark)) continue;
      path.push(r.text);
      if (r.target.kind === 'RETURN') return null;
      if (r.target.kind === 'MARK') {
        mark = ((mark & ~r.target.mask) ^ r.target.value) >>> 0;
        continue;
      }
      if (r.target.kind === 'jump') {
        const v = walk(table!.get(r.target.chain)!, depth + 1);
        if (v) return v;
        continue;
      }
      return r.target;
    }
    return null;
  };
  const v = walk(start, 0);
  return { target: v ?? { kind: start.policy === 'DROP' ? 'DROP' : 'ACCEPT' }, path, mark };
}
