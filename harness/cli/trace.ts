// `dpconform trace parse|fmt|show|to-pcap FILE` (FILE `-` = stdin): VPP `show trace` text, read in
// memory bounded independently of its size. `parse` sums each packet up as it completes (one pass);
// the others read the file twice (vpp-trace/trace-source.ts, stdin kept in a spool): the first pass
// learns what comes before or across packets (display limit, threads, warnings, tunnel ends, pcapng
// link types) and finds bad input before anything is printed, the second prints each packet as it
// is parsed. Bad input is one line naming file and line, exit 2.

import type { Command } from 'commander';
import { Chalk } from 'chalk';
import { type ReadOptions, readTraceChunks } from '../vpp-trace/read.js';
import { type ParseOptions, traceSegmentsSync } from '../vpp-trace/parse.js';
import { rejectDirectory } from '../io/not-a-directory.js';
import { refuseOutputOverInput } from '../io/output-over-input.js';
import { refuseFolderOutput } from '../io/output-not-a-folder.js';
import { canonicalText, packetNoTimeWarnings, verbatimText } from '../vpp-trace/format.js';
import { jsonTextPieces, lazyOutlineJson } from '../vpp-trace/json.js';
import { NO_PAINT, type Paint, showOutlineText, tunnelNotes } from '../vpp-trace/show.js';
import { type PacketRef, TunnelIndex } from '../vpp-trace/stitch.js';
import { addLinkTypes, writeOutlinePcapng } from '../vpp-trace/pcap.js';
import { ParseSummary } from '../vpp-trace/summary.js';
import { allWarnings, spooledText } from '../vpp-trace/spooled.js';
import { openTraceTwice, type TwiceReadTrace } from '../vpp-trace/trace-source.js';
import { readTraceOutline } from '../vpp-trace/trace-outline.js';
import { Spool } from '../io/spool.js';
import type { VppPacketTrace } from '../vpp-trace/trace-file.js';
import { writePieces } from '../vpp-trace/write-text.js';
import { guarded } from './guard.js';
import { groupedWarnings, LISTED_PER_KIND, WarningGroups, warningLine } from '../vpp-trace/warning-line.js';

/** The trace in `file`, to be read twice; a folder is bad input, not an internal error. */
function openTrace(file: string): TwiceReadTrace {
  rejectDirectory(file, 'a VPP trace file');
  return openTraceTwice(file);
}

/** Read `file` twice (trace-outline.ts): `opts` for the first pass, `second` for the second. */
function readTwice(file: string, opts: ReadOptions, second: ParseOptions) {
  return readTraceOutline(openTrace(file), opts, second);
}

/** A first-pass reader that learns nothing beyond the outline: no records decoded, no checksums. */
const STRUCTURE_ONLY: ReadOptions = { typed: false, reconstruct: false };

/** `--verbose`, as `run` names it: every warning, not the first LISTED_PER_KIND of each kind and a count of the rest (warning-line.ts). */
const VERBOSE = '-v, --verbose';
const VERBOSE_HELP = `print every warning (default: the first ${LISTED_PER_KIND} of each kind, then one line counting the rest)`;

/** Warnings of a kind shown. */
function listed(o: { verbose?: boolean }): number {
  return o.verbose ? Infinity : LISTED_PER_KIND;
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
    .option(VERBOSE, VERBOSE_HELP)
    .description('parse a trace: threads, packets, stages with typed fields; warnings name lines')
    .action(
      guarded(async (file: string, o: { json?: boolean; verbose?: boolean }) => {
        if (!o.json) {
          // Packets are summed up as they complete; none is kept.
          const summary = new ParseSummary();
          const source = openTrace(file);
          const f = await readTraceChunks(source.name, source.first(), { keepPackets: false, keepSegments: false, onPacket: summary.onPacket, allWarnings: !!o.verbose });
          await writePieces(summary.text(f), process.stdout);
          for (const w of groupedWarnings(allWarnings(f), listed(o))) process.stderr.write(warningLine(f.file ?? source.name, w));
          return;
        }
        // The stitches follow the threads: the first pass indexes the tunnel ends (their lines only).
        const index = new TunnelIndex<PacketRef>();
        const { outline } = await readTwice(file, { onPacket: (p) => index.add(p, { line: p.line }), allWarnings: !!o.verbose }, {});
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
    .option(VERBOSE, VERBOSE_HELP)
    .description('print the trace again from its typed records (canonical VPP text)')
    .action(
      guarded(async (file: string, o: { verbatim?: boolean; verbose?: boolean }) => {
        const source = openTrace(file);
        if (o.verbatim) {
          // Verbatim output prints a lost header as lost: no warning. The first pass only finds bad input.
          const f = await readTraceChunks(source.name, source.first(), { ...STRUCTURE_ONLY, keepPackets: false, keepSegments: false });
          await writePieces(verbatimText(traceSegmentsSync(source.second(), { file: source.name, fields: false }), f.unterminated === true), process.stdout);
          return;
        }
        // Canonical output invents the time of a stage whose header was lost: say so, after the text
        // (grouped: those shown wait in a spool, the rest are counted).
        const noTime = new Spool();
        const groups = new WarningGroups(listed(o));
        const onPacket = (p: VppPacketTrace) => {
          for (const w of packetNoTimeWarnings(p)) if (groups.add(w)) noTime.add(warningLine(source.name, w));
        };
        const { outline } = await readTraceOutline(source, { ...STRUCTURE_ONLY, onPacket }, { fields: false });
        await writePieces(canonicalText(outline), process.stdout);
        await writePieces(spooledText(noTime), process.stderr);
        for (const w of groups.more()) process.stderr.write(warningLine(source.name, w));
      }),
    );

  trace
    .command('show')
    .argument('<file>', 'trace text file, or - for stdin')
    .option(VERBOSE, VERBOSE_HELP)
    .description('readable view: one block per packet, header changes between stages highlighted')
    .action(
      guarded(async (file: string, o: { verbose?: boolean }) => {
        const index = new TunnelIndex<PacketRef>();
        const { outline } = await readTwice(file, { onPacket: (p) => index.add(p, { line: p.line }), allWarnings: !!o.verbose }, {});
        await writePieces(showOutlineText(outline, paint(), tunnelNotes(index, paint()), listed(o)), process.stdout);
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
        // The pcapng interfaces (one per link type) come before the packets: the first pass finds them.
        const linkTypes: number[] = [];
        const { outline } = await readTwice(file, { onPacket: (p) => addLinkTypes(p, linkTypes) }, { fields: false });
        const n = await writeOutlinePcapng(outline, linkTypes, o.output);
        process.stderr.write(`${o.output}: ${n} packet(s)\n`);
      }),
    );
}
