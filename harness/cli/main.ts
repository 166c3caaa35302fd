#!/usr/bin/env node
// The `dpconform` command. Thin: parses arguments and calls library functions that tests call too.
// Each subcommand lives in its own file and registers itself on the program.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ExitCode } from './exit.js';
import { systemErrorLine } from './guard.js';
import { withFilePath } from '../io/error-path.js';
import { registerInspect } from './inspect.js';
import { registerTrace } from './trace.js';
import { registerReplay } from './replay.js';
import { registerRun } from './run.js';
import { registerDiff } from './diff.js';
import { registerCheck } from './check.js';

export function buildProgram(): Command {
  const program = new Command('dpconform')
    .description('Dataplane conformance: replay packets through reference models and diff every stage against golden traces')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });
  program.hook('preAction', (_root, action) => refuseEmptyValues(action));
  registerRun(program);
  registerInspect(program);
  registerTrace(program);
  registerReplay(program);
  registerDiff(program);
  registerCheck(program);
  return program;
}

/**
 * An empty operand or option value is refused before any command runs: it is what `-o "$OUT"` or
 * `inspect "$FILE"` with an unset variable passes, and it was read as "no such file", or as "write
 * to stdout" (`run -o ''`), or as a pattern matching everything - never what was meant.
 */
function refuseEmptyValues(action: Command): void {
  const at = action.args.indexOf('');
  if (at >= 0) action.error(`dpconform: argument ${at + 1} of '${action.name()}' is empty`, { exitCode: ExitCode.BAD_INPUT, code: 'dpconform.emptyValue' });
  for (const o of action.options) {
    const v: unknown = action.getOptionValue(o.attributeName());
    if (v === '' || (Array.isArray(v) && v.includes(''))) action.error(`dpconform: ${o.long ?? o.flags} has an empty value`, { exitCode: ExitCode.BAD_INPUT, code: 'dpconform.emptyValue' });
  }
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors (already printed by commander) exit 2.
      process.exitCode = e.exitCode === 0 ? ExitCode.OK : ExitCode.BAD_INPUT;
      return;
    }
    throw e;
  }
}

/**
 * A reader that stops early (`dpconform diff a b | head`) closes the pipe: exit quietly, not with a
 * stack trace. Output that cannot be written otherwise (stdout redirected to a full disk: ENOSPC)
 * is one line and exit 2 like any other refused file; it was rethrown here, a stack trace.
 */
function handleOutputErrors(): void {
  for (const [s, name] of [[process.stdout, '<stdout>'], [process.stderr, '<stderr>']] as const) {
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.OK);
      if (s === process.stdout) process.stderr.write(`dpconform: ${systemErrorLine(withFilePath(e, name)) ?? `${name}: ${e.message}`}\n`);
      process.exit(ExitCode.BAD_INPUT);
    });
  }
}

/** Run only as the program itself (`node dist/harness/cli/main.js`, npx, a bin link), not when imported. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  handleOutputErrors();
  await main(process.argv);
}
