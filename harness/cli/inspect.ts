// `dpconform inspect FILE...`: one line per packet (tcpdump -n -v in spirit), or one JSON object per
// packet with --json, or a count with --count; --filter keeps packets whose fields match.
// Bad input (unreadable capture, bad filter) is one line on stderr and exit 2; with --keep-going the
// packets before a capture fault are printed first.

import { Option, type Command } from 'commander';
import { Chalk } from 'chalk';
import { readCapture } from '../io/capture.js';
import { InputError } from '../io/input-error.js';
import { dissect } from '../dissect/dissect.js';
import { checkFilterTerm, matchesAll, parseFilter, type FilterTerm } from '../dissect/filter.js';
import { NO_PAINT, packetJson, packetLine, type Paint } from '../dissect/render.js';
import { guarded } from './guard.js';

export interface InspectOptions {
  json?: boolean;
  count?: boolean;
  filter?: string[];
  keepGoing?: boolean;
  /** Colour the text lines (the CLI turns it on only when stdout is a TTY). */
  color?: boolean;
}

/** Library form of the command: writes lines through `write`, returns the number of packets shown. */
export async function inspectFiles(files: readonly string[], opts: InspectOptions, write: (s: string) => void): Promise<number> {
  const terms: FilterTerm[] = (opts.filter ?? []).map(optionFilter);
  const paint = opts.color ? chalkPaint() : NO_PAINT;
  let shown = 0;
  try {
    for (const file of files) {
      // Transient: each batch becomes text before the next is pulled, so the reader may recycle its buffers.
      for await (const batch of readCapture(file, { keepGoing: opts.keepGoing, transient: true })) {
        let text = '';
        for (const p of batch) {
          const layers = dissect(p);
          if (terms.length && !matchesAll(layers, terms)) continue;
          shown++;
          if (opts.count) continue;
          if (opts.json) {
            const o = packetJson(p, layers);
            text += JSON.stringify(files.length > 1 ? { file, ...o } : o) + '\n';
          } else {
            text += (files.length > 1 ? `${file}:` : '') + `${p.meta.frame ?? shown} ${packetLine(p, layers, paint)}\n`;
          }
        }
        // One write per batch: per-line writes dominate the cost on large captures.
        if (text) write(text);
      }
    }
  } catch (e) {
    // --keep-going shows what came before a fault: with --count that is the count (it printed nothing).
    if (opts.count && opts.keepGoing) write(`${shown}\n`);
    throw e;
  }
  if (opts.count) write(`${shown}\n`);
  return shown;
}

/** A bad term is a usage error: name the option it came from, not an input file. */
function optionFilter(text: string): FilterTerm {
  try {
    return checkFilterTerm(parseFilter(text));
  } catch (e) {
    throw e instanceof InputError ? e.inFile('--filter') : e;
  }
}

function chalkPaint(): Paint {
  const c = new Chalk({ level: 1 });
  return { time: (s) => c.gray(s), proto: (s) => c.cyan(s), addr: (s) => c.green(s), bad: (s) => c.red(s) };
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('dissect captures (pcap/pcapng): one line per packet, or JSON, or a count')
    .argument('<files...>', 'capture files')
    .option('--json', 'one JSON object per packet (frame, interface, link_type, timestamp, caplen, origlen, layers)')
    // Both at once has no one obvious output (a JSON count? per-packet JSON and a count?): refused.
    .addOption(new Option('--count', 'print only the number of (matching) packets (not with --json)').conflicts('json'))
    .option('--filter <field=value>', 'keep packets with this field value, e.g. ip4.ttl=64 (repeat to AND)', collect, [])
    .option('--keep-going', 'on a damaged capture, print the packets before the fault, then the error (exit 2)')
    .action(
      guarded(async (files: string[], opts: InspectOptions) => {
        await inspectFiles(files, { ...opts, color: process.stdout.isTTY === true }, (s) => process.stdout.write(s));
      }),
    );
}
