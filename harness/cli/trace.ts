// `dpconform trace parse|fmt|show|to-pcap FILE` (FILE `-` = stdin): VPP `show trace` text, read in
// memory bounded independently of its size. `parse` sums each packet up as it completes (one pass);
// the others read the file twice (vpp-trace/trace-source.ts, stdin kept in a spool): the first pass
// learns what comes before or across packets (display limit, threads, warnings, tunnel ends, pcapng
// link types) and finds bad input before anything is printed, the second prints each packet as it
// is parsed. Bad input is one line naming file and line, exit 2.

import type { Command } from 'commander';
import { Chalk } from 'chalk';
import { type ReadOptions, readTraceChunks } from '../vpp-trace/read.js';
import { type ParseOptions, traceSegmentsSync, type TraceWarning } from '../vpp-trace/parse.js';
import { rejectDirectory } from '../io/not-a-directory.js';
import { refuseOutputOverInput } from '../io/output-over-input.js';
import { refuseFolderOutput } from '../io/output-not-a-folder.js';
import { outputName, refuseBinaryToTerminal } from '../io/output-target.js';
import { canonicalText, packetNoTimeWarnings, verbatimText } from '../vpp-trace/format.js';
import { jsonTextPieces, lazyOutlineJson } from '../vpp-trace/json.js';
import { NO_PAINT, type Paint, showOutlineText, tunnelNotes } from '../vpp-trace/show.js';
import { type PacketRef, TunnelIndex } from '../vpp-trace/stitch.js';
import { addLinkTypes, writeOutlinePcapng } from '../vpp-trace/pcap.js';
import { ParseSummary } from '../vpp-trace/summary.js';
import { addWarning, allWarnings, type WarningsOf } from '../vpp-trace/spooled.js';
import { openTraceTwice, type TwiceReadTrace } from '../vpp-trace/trace-source.js';
import { readTraceOutline } from '../vpp-trace/trace-outline.js';
import type { VppPacketTrace } from '../vpp-trace/trace-file.js';
import { writePieces } from '../vpp-trace/write-text.js';
import { guarded } from './guard.js';
import { printWarnings, WarningPrinter } from '../vpp-trace/warning-line.js';
import { VERBOSE_OPTION, type VerboseOption, warningsListed } from './verbose-option.js';

/** The trace in `file`, to be read twice; a folder is bad input, not an internal error. */
function openTrace(file: string): TwiceReadTrace {
  rejectDirectory(file, 'a VPP trace file');
  return openTraceTwice(file);
}

/** Read `file` twice (trace-outline.ts): `opts` for the first pass, `second` for the second. */
function readTwice(file: string, opts: ReadOptions, second: ParseOptions) {
  return readTraceOutline(openTrace(file), opts, second);
}

/** A first pass that decodes the records (the reader's warnings about them, checksums) but fills no fields. */
const NO_FIELDS: ReadOptions = { fields: false };

/** The reader's warnings about a trace on stderr, grouped by kind (-v: all), once it is read. */
function printReaderWarnings(file: string, f: WarningsOf, o: VerboseOption): void {
  printWarnings(file, allWarnings(f), (line) => process.stderr.write(line), warningsListed(o));
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
    .option('--json', 'print the typed model as JSON (every warning in `warnings`)')
    .option(...VERBOSE_OPTION)
    .description('parse a trace: threads, packets, stages with typed fields; warnings name lines')
    .action(
      guarded(async (file: string, o: { json?: boolean } & VerboseOption) => {
        if (!o.json) {
          // Packets are summed up as they complete; none is kept.
          const summary = new ParseSummary();
          const source = openTrace(file);
          const f = await readTraceChunks(source.name, source.first(), { keepPackets: false, keepSegments: false, onPacket: summary.onPacket });
          await writePieces(summary.text(f), process.stdout);
          printReaderWarnings(source.name, f, o);
          return;
        }
        // The stitches follow the threads: the first pass indexes the tunnel ends (their lines only).
        const index = new TunnelIndex<PacketRef>();
        const { outline } = await readTwice(file, { onPacket: (p) => index.add(p, { line: p.line }) }, {});
        const json = jsonTextPieces(lazyOutlineJson(outline, () => index.eachStitch()));
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
    .option(...VERBOSE_OPTION)
    .description('print the trace again from its typed records (canonical VPP text)')
    .action(
      guarded(async (file: string, o: { verbatim?: boolean } & VerboseOption) => {
        const source = openTrace(file);
        // The reader's warnings, as `trace parse` gives them, follow the text on stderr.
        if (o.verbatim) {
          // Verbatim output prints a lost header as lost: no warning of its own.
          const f = await readTraceChunks(source.name, source.first(), { ...NO_FIELDS, keepPackets: false, keepSegments: false });
          await writePieces(verbatimText(traceSegmentsSync(source.second(), { file: source.name, fields: false }), f.unterminated === true), process.stdout);
          printReaderWarnings(source.name, f, o);
          return;
        }
        // Canonical output invents the time of a stage whose header was lost: say so, after the
        // reader's warnings (kept bounded like them, spooled.ts).
        const noTime: WarningsOf & { warnings: TraceWarning[] } = { warnings: [] };
        const onPacket = (p: VppPacketTrace) => {
          for (const w of packetNoTimeWarnings(p)) addWarning(noTime, w);
        };
        const { outline } = await readTraceOutline(source, { ...NO_FIELDS, onPacket }, { fields: false });
        await writePieces(canonicalText(outline), process.stdout);
        const printer = new WarningPrinter(source.name, (line) => process.stderr.write(line), warningsListed(o));
        for (const w of allWarnings(outline)) printer.add(w);
        for (const w of allWarnings(noTime)) printer.add(w);
        printer.end();
      }),
    );

  trace
    .command('show')
    .argument('<file>', 'trace text file, or - for stdin')
    .option(...VERBOSE_OPTION)
    .description('readable view: one block per packet, header changes between stages highlighted')
    .action(
      guarded(async (file: string, o: VerboseOption) => {
        const index = new TunnelIndex<PacketRef>();
        const { outline } = await readTwice(file, { onPacket: (p) => index.add(p, { line: p.line }) }, {});
        await writePieces(showOutlineText(outline, paint(), tunnelNotes(index, paint()), warningsListed(o)), process.stdout);
      }),
    );

  trace
    .command('to-pcap')
    .argument('<file>', 'trace text file, or - for stdin')
    .requiredOption('-o, --output <out>', 'pcapng file to write (- for stdout)')
    .option(...VERBOSE_OPTION)
    // Stages whose record shows no packet bytes (acl-plugin, nat44 ...) give none: "one packet per
    // stage" promised 10 packets for host-to-pod's 10 stages and wrote 5 (vpp-trace/pcap.ts).
    .description('one packet per stage that shows packet bytes, node name and stage text as the packet comment (opens in Wireshark)')
    .action(
      guarded(async (file: string, o: { output: string } & VerboseOption) => {
        refuseFolderOutput(o.output);
        refuseOutputOverInput(o.output, [file]);
        refuseBinaryToTerminal(o.output, 'pcapng');
        // The pcapng interfaces (one per link type) come before the packets: the first pass finds them.
        const linkTypes: number[] = [];
        const { file: source, outline } = await readTwice(file, { onPacket: (p) => addLinkTypes(p, linkTypes) }, { fields: false });
        const { frames, packets } = await writeOutlinePcapng(outline, linkTypes, o.output);
        printReaderWarnings(source.file ?? file, outline, o);
        // A frame per stage that shows bytes: `126 packet(s)` were 126 stage frames of 18 packets.
        process.stderr.write(`${outputName(o.output)}: ${frames} frame(s) of ${packets} packet(s)\n`);
      }),
    );
}
