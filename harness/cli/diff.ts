import type { Command } from 'commander';
import { InputError } from '../io/input-error.js';
import { guarded } from './guard.js';

// Placeholder until its issue lands: registered so `dpconform --help` lists it.
export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('not built yet')
    .allowUnknownOption()
    .action(
      guarded(() => {
        throw new InputError('the diff command is not built yet');
      }),
    );
}
