/**
 * `xasflow nn …`: train a network from a JSON spec on numeric tables (train, with progress bars,
 * Ctrl-C to stop and resume from checkpoints), run a saved model on new data (predict), describe a
 * model file (info), export it to ONNX (export-onnx), and report the compute backend (backend).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { XasInputError } from '../../core/errors.js';
import { backendDiagnostics, kernels } from '../../nn/backend/index.js';
import { nativeAddonPath } from '../../nn/backend/native.js';
import { NnModel } from '../../nn/model.js';
import { Network } from '../../nn/network.js';
import type { OptimizerSpec } from '../../nn/optim.js';
import type { ModelSpec } from '../../nn/spec.js';
import { formatTable, readNumericTable } from '../../nn/table-io.js';
import type { EpochProgress } from '../../nn/train.js';

function int(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isInteger(v) || v < min)
    throw new XasInputError(`--${name} '${text}'`, { field: name, expected: `an integer >= ${min}` });
  return v;
}

function real(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v))
    throw new XasInputError(`--${name} '${text}'`, { field: name, expected: 'a number' });
  return v;
}

function readSpec(path: string): ModelSpec {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ModelSpec;
  } catch (err) {
    throw new XasInputError(`cannot read the model spec: ${(err as Error).message}`, {
      file: path,
      expected: 'a JSON model spec',
    });
  }
}

/** Per-member epoch progress: cli-progress bars on a terminal, one line per epoch otherwise. */
function epochProgress(epochs: number): { update: (p: EpochProgress) => void; stop: () => void } {
  const text = (p: EpochProgress) => ({
    member: p.member,
    train: p.trainLoss.toPrecision(4),
    val: p.valLoss === null ? '-' : p.valLoss.toPrecision(4),
    lr: p.lr.toExponential(1),
  });
  if (!process.stderr.isTTY) {
    return {
      update: (p) => {
        const t = text(p);
        process.stderr.write(
          `member ${t.member} epoch ${p.epoch}/${epochs} train ${t.train} val ${t.val} lr ${t.lr}\n`,
        );
      },
      stop: () => {},
    };
  }
  const bars = new cliProgress.MultiBar(
    {
      format: ' member {member} |{bar}| epoch {value}/{total} train {train} val {val} lr {lr}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const byMember = new Map<number, cliProgress.SingleBar>();
  return {
    update: (p) => {
      let bar = byMember.get(p.member);
      if (!bar) {
        bar = bars.create(epochs, 0, text(p));
        byMember.set(p.member, bar);
      }
      bar.update(p.epoch, text(p));
    },
    stop: () => bars.stop(),
  };
}

function registerTrain(nn: Command): void {
  nn.command('train')
    .description('train a network (or an ensemble) from a JSON spec on numeric tables, one sample per row')
    .requiredOption('--spec <file>', 'model spec (JSON, see docs/nn.md)')
    .requiredOption('--x <file>', 'inputs: one sample per row')
    .requiredOption('--y <head=file...>', 'targets of each head, e.g. --y gr=gr.csv bad=bad.csv')
    .requiredOption('--out <file>', 'model file to write (.xnn)')
    .option('--folds <k>', 'k-fold rotated-validation ensemble (one member per fold)')
    .option('--members <n>', 'deep ensemble of n members on one split (when --folds is not given)')
    .option('--test-fraction <f>', 'held-out test fraction', '0')
    .option('--validation-fraction <f>', 'validation fraction (without --folds)', '0.1')
    .option('--epochs <n>', 'maximum epochs', '100')
    .option('--batch-size <n>', 'mini-batch size', '64')
    .option('--lr <rate>', 'learning rate', '1e-3')
    .option('--optimizer <name>', 'adam or adamw', 'adam')
    .option('--weight-decay <wd>', 'weight decay')
    .option('--clip-norm <norm>', 'clip gradients to this global norm')
    .option('--patience <n>', 'early-stopping patience in epochs (0: no early stopping)', '10')
    .option('--seed <n>', 'random seed', '0')
    .option('--workers <n>', 'parallel worker threads (default: one per core, at most one per member)')
    .option('--threads <n>', 'BLAS threads when training in one thread', '1')
    .option('--checkpoints <dir>', 'checkpoint directory (default: <out>.ckpt); rerun to resume')
    .action(async (o: Record<string, string | string[] | undefined>) => {
      const spec = readSpec(o.spec as string);
      const x = readNumericTable(o.x as string);
      const y: Record<string, Float32Array> = {};
      for (const item of o.y as string[]) {
        const eq = item.indexOf('=');
        if (eq <= 0) throw new XasInputError(`--y '${item}'`, { field: 'y', expected: 'head=file' });
        y[item.slice(0, eq)] = readNumericTable(item.slice(eq + 1)).data;
      }
      const out = o.out as string;
      const checkpointDir =
        (o.checkpoints as string | undefined) ?? join(dirname(out), `${basename(out)}.ckpt`);
      const patience = int(o.patience as string, 'patience', 0) as number;
      const optimizer: OptimizerSpec = {
        type: o.optimizer === 'adamw' ? 'adamw' : 'adam',
        lr: real(o.lr as string, 'lr'),
        weightDecay: real(o.weightDecay as string | undefined, 'weight-decay'),
        clipNorm: real(o.clipNorm as string | undefined, 'clip-norm'),
      };
      if (o.optimizer !== 'adam' && o.optimizer !== 'adamw') {
        throw new XasInputError(`--optimizer '${o.optimizer}'`, {
          field: 'optimizer',
          expected: 'adam or adamw',
        });
      }
      const model = new NnModel(spec);
      const ctrl = new AbortController();
      const onSigint = () => ctrl.abort();
      process.once('SIGINT', onSigint);
      const epochs = int(o.epochs as string, 'epochs', 1) as number;
      const progress = epochProgress(epochs);
      try {
        const report = await model.fit(x.data, y, {
          seed: int(o.seed as string, 'seed', Number.MIN_SAFE_INTEGER),
          folds: int(o.folds as string | undefined, 'folds', 1),
          members: int(o.members as string | undefined, 'members', 1),
          testFraction: real(o.testFraction as string, 'test-fraction'),
          validationFraction: real(o.validationFraction as string, 'validation-fraction'),
          epochs,
          batchSize: int(o.batchSize as string, 'batch-size', 1),
          optimizer,
          earlyStopping: patience > 0 ? { patience } : false,
          workers: int(o.workers as string | undefined, 'workers', 1),
          threads: int(o.threads as string, 'threads', 1),
          checkpointDir,
          signal: ctrl.signal,
          onEpoch: progress.update,
        });
        progress.stop();
        model.save(out);
        const lines = [
          `wrote ${out}: ${model.members.length} member(s), ${new Network(spec).store.parameterCount} parameters each`,
        ];
        for (const m of report.training.members) {
          lines.push(
            `  member ${m.member}: best epoch ${m.bestEpoch}/${m.epochsRun}, loss ${m.bestLoss.toPrecision(4)}${m.stoppedEarly ? ' (early stop)' : ''}`,
          );
        }
        if (report.test) {
          for (const [h, t] of Object.entries(report.test)) {
            lines.push(
              `  test ${h}: RMSE ${t.rmse.toPrecision(4)}, MAE ${t.mae.toPrecision(4)}, R² ${t.r2.toFixed(4)}`,
            );
          }
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      } catch (err) {
        progress.stop();
        if ((err as Error).name === 'AbortError') {
          throw new Error(`training interrupted; rerun the same command to resume from ${checkpointDir}`);
        }
        throw err;
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}

function registerPredict(nn: Command): void {
  nn.command('predict')
    .description(
      'apply a saved model to inputs (one sample per row); writes mean and standard deviations as CSV',
    )
    .argument('<model>', 'model file (.xnn)')
    .requiredOption('--x <file>', 'inputs: one sample per row')
    .requiredOption('--out <file>', 'output CSV: <head>_<i>, <head>_<i>_spread, <head>_<i>_std per value')
    .action((modelPath: string, o: { x: string; out: string }) => {
      const model = NnModel.load(modelPath);
      const x = readNumericTable(o.x);
      const pred = model.predict(x.data);
      const header: string[] = [];
      const cols: Float32Array[] = [];
      for (const [name, p] of Object.entries(pred)) {
        for (let j = 0; j < p.units; j++) {
          const pick = (a: Float32Array) => Float32Array.from({ length: p.n }, (_, r) => a[r * p.units + j]);
          header.push(`${name}_${j}`, `${name}_${j}_spread`, `${name}_${j}_std`);
          cols.push(pick(p.mean), pick(p.spread), pick(p.std));
        }
      }
      writeFileAtomic(o.out, formatTable(header, cols, x.rows));
      process.stdout.write(`wrote ${o.out}: ${x.rows} samples, ${header.length} columns\n`);
    });
}

function registerInfo(nn: Command): void {
  nn.command('info')
    .description('describe a model file: architecture, parameters, normalisation and training metadata')
    .argument('<model>', 'model file (.xnn)')
    .option('--json', 'print the full header as JSON')
    .action((modelPath: string, o: { json?: boolean }) => {
      const model = NnModel.load(modelPath);
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ spec: model.spec, training: model.training }, null, 2)}\n`);
        return;
      }
      const net = model.members[0];
      const lines = [`${modelPath}: xasflow neural network, format version 1`];
      lines.push(`  input: ${JSON.stringify(model.spec.input)}; ${model.spec.layers.length} trunk layers`);
      lines.push(`  parameters: ${net.store.parameterCount} per member, ${model.members.length} member(s)`);
      for (const h of model.spec.heads)
        lines.push(`  head ${h.name}: ${h.units} value(s), loss ${h.loss}, weight ${h.weight ?? 1}`);
      lines.push(
        `  normalisation: inputs ${model.normalization?.inputMode}, targets ${model.normalization?.targetMode}`,
      );
      const t = model.training;
      if (t) {
        lines.push(
          `  trained: ${t.date} by ${t.software}, seed ${t.seed}, backend ${t.backend}, ${t.threads} thread(s)`,
        );
        lines.push(`  samples: ${t.samples}, folds ${t.folds}, test fraction ${t.testFraction}`);
        for (const m of t.members) {
          lines.push(
            `  member ${m.member}: seed ${m.seed}, ${m.trainSamples} train / ${m.validationSamples} validation, best epoch ${m.bestEpoch}/${m.epochsRun}, loss ${m.bestLoss.toPrecision(4)}`,
          );
        }
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

function registerExport(nn: Command): void {
  nn.command('export-onnx')
    .description('export ensemble members to ONNX (opset 13; input x [N, inputs] raw values)')
    .argument('<model>', 'model file (.xnn)')
    .requiredOption(
      '--out <file>',
      'output .onnx file (with several members: <out> becomes <name>.member<i>.onnx)',
    )
    .option('--member <i>', 'export only this member')
    .action((modelPath: string, o: { out: string; member?: string }) => {
      const model = NnModel.load(modelPath);
      const members =
        o.member !== undefined ? [int(o.member, 'member', 0) as number] : model.members.map((_, i) => i);
      const written: string[] = [];
      for (const i of members) {
        const path = members.length === 1 ? o.out : o.out.replace(/(\.onnx)?$/, `.member${i}.onnx`);
        writeFileAtomic(path, model.toOnnx(i));
        written.push(path);
      }
      process.stdout.write(`wrote ${written.join(', ')}\n`);
    });
}

function registerBackend(nn: Command): void {
  nn.command('backend')
    .description('show which compute backend trains networks and how to get the native fast path')
    .action(() => {
      const d = backendDiagnostics();
      const lines = [`active backend: ${d.active} (${kernels().getThreads()} thread(s))`];
      for (const [name, why] of Object.entries(d.unavailable)) lines.push(`  ${name} unavailable: ${why}`);
      if (d.active !== 'native' && !d.unavailable.native) {
        lines.push('  the native OpenBLAS backend is available: unset XASFLOW_NN_BACKEND to use it');
      } else if (d.active !== 'native') {
        lines.push(
          `fast path: install a C compiler and OpenBLAS (Debian: apt-get install g++ make python3 libopenblas-dev),`,
          `then run 'node scripts/build-native.mjs' (builds ${nativeAddonPath()})`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

export function registerNnCommands(program: Command): void {
  const nn = program.command('nn').description('neural networks: train, predict, inspect and export models');
  registerTrain(nn);
  registerPredict(nn);
  registerInfo(nn);
  registerExport(nn);
  registerBackend(nn);
}
