/**
 * The `xasflow` command line. Each command group lives in its own file under ./commands and is
 * registered here; the commands are thin shells over the library.
 */
import { Command } from 'commander';
import { SOFTWARE } from '../core/spectrum.js';
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
  registerExafsCommands(program);
  registerInfoCommands(program);
  registerMdCommands(program);
  registerNnCommands(program);
  registerProcessCommands(program);
  registerXanesCommands(program);
  return program;
}

async function main(): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`xasflow: ${msg}\n`);
    process.exitCode = 1;
  }
}

await main();
