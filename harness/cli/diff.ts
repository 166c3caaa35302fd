import type { Command } from 'commander';
import { guarded } from './guard.js';
import { requireComparableKinds } from './diff-kinds.js';
import { kindFromExtension } from '../suite/load-case.js';
import { requireReadableTwice } from '../io/read-twice.js';
import { diffFiles } from '../suite/diff-files.js';
import { packetDiffText } from '../report/packet-diff-text.js';
import { setTraceWarningListener } from '../suite/sources.js';
import { WarningPrinter } from '../vpp-trace/warning-line.js';
import { VERBOSE_OPTION, type VerboseOption, warningsListed } from './verbose-option.js';
import { packetDiffJson } from '../report/packet-diff-json.js';
import { progressBar } from '../report/progress.js';

// `dpconform diff A B`: thin - read, match by flow and identity, print; exit 1 when they differ.
// Large captures show a progress bar on a TTY stderr (never under CI), erased before the report.
export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('diff two traces or two captures: packets matched by flow and identity, not position')
    .argument('<a>', 'trace (.trace/.txt), capture (.pcap/.pcapng) or stage records (.json)')
    .argument('<b>', 'the same kind of file (a capture only against a capture)')
    .option('-m, --mask <path>', 'field path to ignore (repeatable), e.g. ip4.id, outer.udp.src_port', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--json', 'JSON output')
    .option(...VERBOSE_OPTION)
    .action(
      guarded(async (a: string, b: string, o: { mask: string[]; json?: boolean } & VerboseOption) => {
        requireComparableKinds(a, b);
        for (const f of [a, b]) if (kindFromExtension(f) === 'capture') requireReadableTwice(f, 'diff reads each capture twice');
        // A line the trace reader could not read shows as a difference: the warning names it. Grouped
        // by kind (warning-line.ts), each file's closing counts once both are read (or refused).
        const printers = new Map<string, WarningPrinter>();
        const before = setTraceWarningListener((file, w) => {
          let p = printers.get(file);
          if (p === undefined) printers.set(file, (p = new WarningPrinter(file, (line) => process.stderr.write(line), warningsListed(o))));
          p.add(w);
        });
        const progress = progressBar();
        const d = await diffFiles(a, b, { masks: o.mask, progress: (done, total, label) => progress.update(done, total, label) }).finally(() => {
          progress.end();
          setTraceWarningListener(before);
          for (const p of printers.values()) p.end();
        });
        if (o.json) process.stdout.write(packetDiffJson(d));
        else process.stdout.write(packetDiffText(d, { color: !!process.stdout.isTTY, a, b }));
        return d.changed || d.reordered || d.missing.length || d.extra.length ? 1 : 0;
      }),
    );
}
