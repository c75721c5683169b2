/**
 * A progress bar on stderr for long CLI work (cli-progress), shown only on a terminal so logs and
 * pipes stay clean; plus Ctrl-C handling: the first interrupt asks the work to stop after what is
 * running (finished results are kept), a second one exits at once.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progressBar(label: string, enabled = process.stderr.isTTY === true): Progress {
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} elapsed, ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** An AbortSignal fired by the first Ctrl-C; the handler is removed by the returned dispose(). */
export function interruptSignal(what: string): { signal: AbortSignal; dispose: () => void } {
  const ctrl = new AbortController();
  const onInt = () => {
    if (ctrl.signal.aborted) process.exit(130);
    process.stderr.write(
      `\nxasflow: interrupted; finishing ${what} in progress (Ctrl-C again to quit now)\n`,
    );
    ctrl.abort();
  };
  process.on('SIGINT', onInt);
  return { signal: ctrl.signal, dispose: () => process.off('SIGINT', onInt) };
}
