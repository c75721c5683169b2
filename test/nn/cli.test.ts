/**
 * The `xasflow nn` commands on numeric CSV tables: train a 2-fold ensemble with a held-out test
 * fraction, describe the model, predict, export ONNX; bad input ends in a clear error.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command } from 'commander';
import { registerNnCommands } from '../../src/cli/commands/nn.js';
import { shellSpectra } from './exafs-shell.js';

const dir = mkdtempSync(join(tmpdir(), 'xasflow-nn-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function csv(a: Float32Array, cols: number, header: string): string {
  const lines = [header];
  for (let r = 0; r < a.length / cols; r++)
    lines.push(Array.from(a.subarray(r * cols, (r + 1) * cols)).join(','));
  return `${lines.join('\n')}\n`;
}

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerNnCommands(program);
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => {
    out += s;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await program.parseAsync(['node', 'xasflow', ...args]);
  } finally {
    process.stdout.write = write;
    process.stderr.write = errWrite;
  }
  return out;
}

test('nn train / info / predict / export-onnx on CSV tables', async () => {
  const d = shellSpectra(240, 8, [2.45, 2.65], [0.003, 0.015]);
  writeFileSync(join(dir, 'x.csv'), csv(d.x, 241, '# k^2 chi(k), k = 2..14'));
  writeFileSync(join(dir, 'y.csv'), csv(d.y, 2, 'R,sigma2'));
  const spec = {
    input: { features: 241 },
    layers: [{ type: 'dense', units: 16, activation: 'relu' }],
    heads: [{ name: 'shell', units: 2, loss: 'mse' }],
  };
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  const model = join(dir, 'shell.xnn');
  const trained = await run([
    'nn',
    'train',
    '--spec',
    join(dir, 'spec.json'),
    '--x',
    join(dir, 'x.csv'),
    '--y',
    `shell=${join(dir, 'y.csv')}`,
    '--out',
    model,
    '--folds',
    '2',
    '--test-fraction',
    '0.2',
    '--epochs',
    '4',
    '--batch-size',
    '16',
    '--workers',
    '1',
  ]);
  assert.match(trained, /wrote .*shell\.xnn: 2 member\(s\), 3906 parameters each/);
  assert.match(trained, /test shell: RMSE/);
  assert.ok(existsSync(join(dir, 'shell.xnn.ckpt', 'member-1.ckpt')));
  const info = await run(['nn', 'info', model]);
  assert.match(info, /head shell: 2 value\(s\), loss mse/);
  assert.match(info, /samples: 240, folds 2, test fraction 0\.2/);
  await run(['nn', 'predict', model, '--x', join(dir, 'x.csv'), '--out', join(dir, 'pred.csv')]);
  const pred = readFileSync(join(dir, 'pred.csv'), 'utf8').trim().split('\n');
  assert.equal(pred.length, 241);
  assert.equal(pred[0], 'shell_0,shell_0_spread,shell_0_std,shell_1,shell_1_spread,shell_1_std');
  const exported = await run(['nn', 'export-onnx', model, '--out', join(dir, 'shell.onnx')]);
  assert.match(exported, /shell\.member0\.onnx, .*shell\.member1\.onnx/);
  assert.ok(readFileSync(join(dir, 'shell.member1.onnx')).length > 10000);
});

test('nn commands report bad input clearly', async () => {
  writeFileSync(join(dir, 'bad.csv'), '1,2,3\n4,5\n');
  await assert.rejects(
    run([
      'nn',
      'train',
      '--spec',
      join(dir, 'spec.json'),
      '--x',
      join(dir, 'bad.csv'),
      '--y',
      `shell=${join(dir, 'y.csv')}`,
      '--out',
      join(dir, 'b.xnn'),
    ]),
    /bad\.csv:2: has 2 values but earlier lines have 3/,
  );
  await assert.rejects(
    run(['nn', 'info', join(dir, 'x.csv')]),
    /x\.csv: corrupt xasflow neural-network file/,
  );
});
