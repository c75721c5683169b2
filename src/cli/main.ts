/** Entry point of the `xasflow` command line (bin/xasflow.js runs this module). */
import { buildProgram } from './program.js';

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
