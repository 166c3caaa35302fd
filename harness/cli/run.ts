import type { Command } from 'commander';
import { guarded } from './guard.js';
import { planSuite, runSuite } from '../suite/run-suite.js';
import { filesRead } from '../suite/files-read.js';
import { refuseOutputOverInput } from '../io/output-over-input.js';
import { textReport } from '../report/text.js';
import { progressBar } from '../report/progress.js';
import { parseReporter, renderReport, writeReport } from '../report/write.js';
import { InputError } from '../io/input-error.js';
import { refuseFolderOutput } from '../io/output-not-a-folder.js';
import { isStdoutOutput } from '../io/output-target.js';

// `dpconform run [PATH...]`: thin - options to runSuite, results to reporters, exit code from the result.
// The text report goes to stdout; when a machine report also goes to stdout (no --output), the text
// report moves to stderr so stdout stays parseable.
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run conformance cases (default: the bundled suite) and diff every stage against its golden')
    .argument('[paths...]', 'case folders or case.yaml files')
    .option('-g, --grep <regex>', 'only cases whose name matches')
    .option('-t, --tag <tag>', 'only cases with this tag (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--bail', 'stop after the first failing case')
    .option('--shard <i/n>', 'run the i-th of n deterministic slices of the suite')
    .option('-j, --jobs <n>', 'worker threads (at most one per CPU this machine lets Node use, os.availableParallelism())', '1')
    .option('-u, --update', 'rewrite snapshot goldens of the cases that ran (refused under CI)')
    .option('--ci', 'CI mode (also when CI=true): a missing golden fails, --update is refused')
    .option('-r, --reporter <name>', 'text | json | junit | html', 'text')
    .option('-o, --output <file>', 'write the --reporter output here, - for stdout (json/junit/html: the text summary still goes to stdout, or stderr with -o -; text: nothing on stdout)')
    .option('-v, --verbose', 'show every divergence, and every mask that hid fields with its reason')
    .action(
      guarded(async (paths: string[], o: Record<string, any>) => {
        const reporter = parseReporter(o.reporter);
        const jobs = Number(o.jobs);
        if (!Number.isInteger(jobs) || jobs < 1) throw new InputError(`--jobs expects a whole number >= 1, got '${o.jobs}'`, { key: '--jobs' }, 'usage.jobs');
        if (o.output !== undefined) {
          refuseFolderOutput(o.output);
          refuseOutputOverInput(o.output, filesRead(planSuite({ paths, grep: o.grep, tags: o.tag, shard: o.shard })));
        }
        const ci = !!o.ci || process.env.CI === 'true' || process.env.CI === '1';
        const progress = progressBar(process.stderr, { off: ci });
        const result = await runSuite({
          paths,
          grep: o.grep,
          tags: o.tag,
          bail: !!o.bail,
          shard: o.shard,
          jobs,
          update: !!o.update,
          ci,
          // Models outside the registry (your own, or the harness tests' toy model): module paths.
          modelModules: (process.env.DPCONFORM_MODEL_MODULES ?? '').split(',').filter(Boolean),
          onCase: (c, done, total) => progress.update(done, total, c.name),
        });
        progress.end();
        const verbose = !!o.verbose;
        // `-o FILE` with the text reporter (the default) writes the text report there, as its help
        // says: it went to stdout and FILE was never written, with exit 0.
        if (reporter === 'text' && o.output) {
          writeReport(textReport(result, { color: false, verbose }), o.output);
          return result.exitCode;
        }
        const machineToStdout = reporter !== 'text' && (!o.output || isStdoutOutput(o.output));
        const textStream = machineToStdout ? process.stderr : process.stdout;
        textStream.write(textReport(result, { color: !!textStream.isTTY, verbose }));
        if (reporter !== 'text') writeReport(renderReport(reporter, result), o.output);
        return result.exitCode;
      }),
    );
}
