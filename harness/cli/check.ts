import type { Command } from 'commander';
import { InputError } from '../io/input-error.js';
import { guarded } from './guard.js';

// Placeholder until its issue lands: registered so `dpconform --help` lists it.
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('not built yet')
    .allowUnknownOption()
    .action(
      guarded(() => {
        throw new InputError('the check command is not built yet');
      }),
    );
}
