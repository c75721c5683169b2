/**
 * The `xasflow` command tree. Each command group lives in its own file under ./commands and is
 * registered here; the commands are thin shells over the library.
 */
import { Command } from 'commander';
import { SOFTWARE } from '../core/spectrum.js';
import { registerDemoCommands } from './commands/demo.js';
import { registerExafsCommands } from './commands/exafs.js';
import { registerInfoCommands } from './commands/info.js';
import { registerMdCommands } from './commands/md.js';
import { registerNnCommands } from './commands/nn.js';
import { registerProcessCommands } from './commands/process.js';
import { registerXanesCommands } from './commands/xanes.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('xasflow')
    .description('Automated X-ray absorption spectroscopy analysis')
    .version(SOFTWARE.split(' ')[1]);
  registerInfoCommands(program);
  registerProcessCommands(program);
  registerXanesCommands(program);
  registerExafsCommands(program);
  registerMdCommands(program);
  registerNnCommands(program);
  // the demo runs the other commands in-process; it gets the factory, not an import (no cycle)
  registerDemoCommands(program, buildProgram);
  return program;
}
