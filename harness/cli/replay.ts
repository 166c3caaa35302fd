import type { Command } from 'commander';
import { InputError } from '../io/input-error.js';
import { guarded } from './guard.js';

// Placeholder until its issue lands: registered so `dpconform --help` lists it.
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('not built yet')
    .allowUnknownOption()
    .action(
      guarded(() => {
        throw new InputError('the replay command is not built yet');
      }),
    );
}
