// `dpconform trace parse|fmt|show|to-pcap FILE` (FILE `-` = stdin): VPP `show trace` text read
// completely (harness/vpp-trace). Bad input is one line naming file and line, exit 2.

import type { Command } from 'commander';
import { Chalk } from 'chalk';
import { readTraceFile, type ReadOptions } from '../vpp-trace/read.js';
import { rejectDirectory } from '../io/not-a-directory.js';
import { refuseOutputOverInput } from '../io/output-over-input.js';
import { refuseFolderOutput } from '../io/output-not-a-folder.js';
import { formatCanonicalText, formatVerbatimText, noTimeWarnings } from '../vpp-trace/format.js';
import { jsonTextPieces, lazyTraceJson } from '../vpp-trace/json.js';
import { NO_PAINT, type Paint, showTraceText, tunnelNotes } from '../vpp-trace/show.js';
import { TunnelIndex } from '../vpp-trace/stitch.js';
import { writeTracePcapng } from '../vpp-trace/pcap.js';
import { ParseSummary } from '../vpp-trace/summary.js';
import { writePieces } from '../vpp-trace/write-text.js';
import { guarded } from './guard.js';

/** The trace in `file`, read completely; a folder is bad input, not an internal error. */
function readTrace(file: string, opts?: ReadOptions) {
  rejectDirectory(file, 'a VPP trace file');
  return readTraceFile(file, opts);
}

function paint(): Paint {
  if (!process.stdout.isTTY) return NO_PAINT;
  const c = new Chalk({ level: 1 });
  return { node: c.cyan, changed: c.yellow.bold, dim: c.dim, warn: c.red };
}

export function registerTrace(program: Command): void {
  const trace = program.command('trace').description('read VPP `show trace` text: parse, format, show, convert to pcapng');

  trace
    .command('parse')
    .argument('<file>', 'trace text file, or - for stdin')
    .option('--json', 'print the typed model as JSON')
    .description('parse a trace: threads, packets, stages with typed fields; warnings name lines')
    .action(
      guarded(async (file: string, o: { json?: boolean }) => {
        if (!o.json) {
          // Packets are summed up as they complete; none is kept.
          const summary = new ParseSummary();
          const f = await readTrace(file, { keepPackets: false, keepSegments: false, onPacket: summary.onPacket });
          await writePieces(summary.text(f), process.stdout);
          for (const w of f.warnings) process.stderr.write(`${f.file}:${w.line}: warning: ${w.message}\n`);
          return;
        }
        const f = await readTrace(file);
        const index = new TunnelIndex(f);
        const json = jsonTextPieces(lazyTraceJson(f, () => index.eachStitch()));
        await writePieces(
          (function* () {
            yield* json;
            yield '\n';
          })(),
          process.stdout,
        );
      }),
    );

  trace
    .command('fmt')
    .argument('<file>', 'trace text file, or - for stdin')
    .option('--verbatim', 'keep the surrounding text (prose, fences) instead of canonical show-trace layout')
    .description('print the trace again from its typed records (canonical VPP text)')
    .action(
      guarded(async (file: string, o: { verbatim?: boolean }) => {
        const f = await readTrace(file, { reconstruct: false });
        await writePieces(o.verbatim ? formatVerbatimText(f) : formatCanonicalText(f), process.stdout);
        // Verbatim output prints a lost header as lost; canonical output invents its time: say so.
        if (!o.verbatim) for (const w of noTimeWarnings(f)) process.stderr.write(`${f.file}:${w.line}: warning: ${w.message}\n`);
      }),
    );

  trace
    .command('show')
    .argument('<file>', 'trace text file, or - for stdin')
    .description('readable view: one block per packet, header changes between stages highlighted')
    .action(
      guarded(async (file: string) => {
        const f = await readTrace(file);
        await writePieces(showTraceText(f, paint(), tunnelNotes(new TunnelIndex(f), paint())), process.stdout);
      }),
    );

  trace
    .command('to-pcap')
    .argument('<file>', 'trace text file, or - for stdin')
    .requiredOption('-o, --output <out>', 'pcapng file to write')
    // Stages whose record shows no packet bytes (acl-plugin, nat44 ...) give none: "one packet per
    // stage" promised 10 packets for host-to-pod's 10 stages and wrote 5 (vpp-trace/pcap.ts).
    .description('one packet per stage that shows packet bytes, node name and stage text as the packet comment (opens in Wireshark)')
    .action(
      guarded(async (file: string, o: { output: string }) => {
        refuseFolderOutput(o.output);
        refuseOutputOverInput(o.output, [file]);
        const f = await readTrace(file);
        const n = await writeTracePcapng(f, o.output);
        process.stderr.write(`${o.output}: ${n} packet(s)\n`);
      }),
    );
}
