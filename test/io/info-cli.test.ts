/**
 * `xasflow info`: text and JSON reports for each format, strict mode, record selection,
 * errors for bad files (run in-process through commander).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { registerInfoCommands } from '../../src/cli/commands/info.js';
import { readXdi } from '../../src/io/index.js';

async function run(args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  const program = new Command();
  program.exitOverride();
  registerInfoCommands(program);
  let out = '';
  let err = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  const before = process.exitCode;
  // capture text only: node:test itself writes binary messages to stdout meanwhile
  process.stdout.write = ((s: unknown, ...rest: unknown[]) => {
    if (typeof s !== 'string') return (ow as (...a: unknown[]) => boolean)(s, ...rest);
    out += s;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((s: unknown, ...rest: unknown[]) => {
    if (typeof s !== 'string') return (ew as (...a: unknown[]) => boolean)(s, ...rest);
    err += s;
    return true;
  }) as typeof process.stderr.write;
  let code: number | undefined;
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'xasflow', 'info', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    err += (e as Error).message;
    code = 1;
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    process.exitCode = before;
  }
  return { out, err, code };
}

describe('xasflow info', () => {
  it('reports an XDI file: format, element, μ, columns with lengths, energy range', async () => {
    const r = await run(['data/xafs/ni_metal_rt.xdi']);
    assert.equal(r.code, 0);
    const [sp] = readXdi('data/xafs/ni_metal_rt.xdi');
    const lo = Math.min(...sp.energyEv);
    const hi = Math.max(...sp.energyEv);
    const f = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2)).replace('.', '\\.');
    assert.match(r.out, /format: xdi {3}records: 1/);
    assert.match(r.out, /element\/edge: Ni K {3}mode: transmission/);
    assert.match(r.out, /μ: column mutrans/);
    assert.match(r.out, new RegExp(`points: ${sp.energyEv.length} {3}energy: ${f(lo)} \\.\\. ${f(hi)} eV`));
    assert.match(r.out, /columns: energy \[eV\] \(418\), mutrans \(418\), i0 \(418\)/);
  });
  it('JSON for an Athena project lists every record with stored parameters', async () => {
    const r = await run(['data/xafs/athena_prj/Ge.prj', '--json']);
    const doc = JSON.parse(r.out);
    assert.equal(doc.format, 'athena');
    assert.equal(doc.records.length, 2);
    assert.equal(doc.records[0].record, 'Crystalline Ge');
    assert.equal(doc.records[0].storedParams.preEdge.e0, 11103);
    assert.equal(doc.records[0].energyShiftEv, -8);
    assert.equal(doc.records[0].points, 531);
  });
  it('--record picks one record; NeXus works', async () => {
    const r = await run(['data/xafs/nexus_hdf5/Fe_XDIFiles.h5', '--record', 'feo', '--json']);
    const doc = JSON.parse(r.out);
    assert.equal(doc.format, 'nexus');
    assert.deepEqual(
      doc.records.map((x: { record: string }) => x.record),
      ['feo'],
    );
  });
  it('--strict rejects an XDI file that only breaks recommendations', async () => {
    const ok = await run(['data/xafs/xdi_spec/baddata/bad_32.xdi']);
    assert.equal(ok.code, 0);
    assert.match(ok.out, /warning: recommended field Facility\.name is missing/);
    const strict = await run(['data/xafs/xdi_spec/baddata/bad_32.xdi', '--strict']);
    assert.equal(strict.code, 1);
    assert.match(strict.err, /recommended field Facility\.name is missing/);
  });
  it('several files: errors go to stderr, the others are still reported, exit code 1', async () => {
    const r = await run(['data/xafs/xdi_spec/baddata/bad_05.xdi', 'data/xafs/fe.060']);
    assert.equal(r.code, 1);
    assert.match(r.err, /xasflow: .*bad_05\.xdi:7.*Element\.symbol 'Foo' is not valid/);
    assert.match(r.out, /data\/xafs\/fe\.060\n {2}format: ascii/);
  });
});
