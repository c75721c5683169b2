/**
 * Validation runs of the MD protocols, embedded engine against Debian LAMMPS (same potential file,
 * same protocol), plus the paper's MEAM Ni through `pair_style kim` in LAMMPS. Each run is analysed
 * with the same code (g(r), first shell, BAD, CNA) and summarised in a JSON fixture.
 *
 *   node --import tsx tools/md/validate.ts ci     → test/fixtures/md/protocol-lammps.json
 *       (LAMMPS runs of the small protocols that test/md/protocol-vs-lammps.test.ts repeats with
 *        the embedded engine)
 *   node --import tsx tools/md/validate.ts full   → test/fixtures/md/validation-full.json
 *       (864-atom fcc 300 K and liquid 1750 K, both engines, and the Wagner 2007 MEAM via KIM), and
 *       test/fixtures/md/meam-liquid-1750K.xyz (3 MEAM liquid snapshots, positions only)
 * Work folders go to $TMPDIR/xasflow-md-validate-<set>.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { toJson, writeFileAtomic } from '../../src/core/atomic-write.js';
import { lammpsInfo } from '../../src/md/lammps/lammps-exec.js';
import { runLammpsJob } from '../../src/md/lammps/lammps-job.js';
import { expandJobs } from '../../src/md/protocol/jobs.js';
import { runProtocol } from '../../src/md/protocol/run-protocol.js';
import { parseProtocol } from '../../src/md/protocol/schema.js';
import { statePath } from '../../src/md/protocol/snapshots.js';
import { readExtendedXyz, writeExtendedXyz } from '../../src/structure/xyz.js';
import { CI_CRYSTAL, CI_LIQUID, summary } from './validate-lib.js';

const set = process.argv[2] ?? 'ci';
/** --reuse: keep finished runs in the work folder and only redo the analysis. */
const reuse = process.argv.includes('--reuse');
const work = join(tmpdir(), `xasflow-md-validate-${set}`);
const zhou = resolve('potentials/Ni_Zhou2004.eam.alloy');
const MEAM = 'MEAM_LAMMPS_Wagner_2007_Ni__MO_444394830472_000';

interface Run {
  label: string;
  engine: 'embedded' | 'lammps';
  potential: Record<string, unknown>;
  state: Record<string, unknown>;
  rCut?: number;
}

async function main(): Promise<void> {
  const info = lammpsInfo();
  const runs: Run[] =
    set === 'ci'
      ? [
          {
            label: 'fcc-300K-zhou-lammps',
            engine: 'lammps',
            potential: { style: 'eam/alloy', file: zhou },
            state: CI_CRYSTAL,
            rCut: 3.0,
          },
          {
            label: 'liquid-1750K-zhou-lammps',
            engine: 'lammps',
            potential: { style: 'eam/alloy', file: zhou },
            state: CI_LIQUID,
          },
        ]
      : [
          ...(['embedded', 'lammps'] as const).flatMap((engine) => [
            {
              label: `fcc-300K-zhou-${engine}`,
              engine,
              potential: { style: 'eam/alloy', file: zhou },
              state: {
                ...CI_CRYSTAL,
                cells: [6, 6, 6],
                lattice: 'npt',
                nptPs: 10,
                equilibrationPs: 5,
                productionPs: 20,
                snapshotEveryPs: 1,
              },
              rCut: 3.0,
            },
            {
              label: `liquid-1750K-zhou-${engine}`,
              engine,
              potential: { style: 'eam/alloy', file: zhou },
              state: {
                ...CI_LIQUID,
                cells: [6, 6, 6],
                meltPs: 15,
                quenchPs: 5,
                nptPs: 20,
                equilibrationPs: 5,
                productionPs: 20,
                snapshotEveryPs: 1,
              },
            },
          ]),
          {
            label: 'fcc-300K-meam-lammps',
            engine: 'lammps',
            potential: { style: 'kim', model: MEAM },
            state: {
              ...CI_CRYSTAL,
              cells: [6, 6, 6],
              lattice: 'npt',
              nptPs: 10,
              equilibrationPs: 5,
              productionPs: 20,
              snapshotEveryPs: 1,
            },
            rCut: 3.0,
          },
          {
            label: 'liquid-1750K-meam-lammps',
            engine: 'lammps',
            potential: { style: 'kim', model: MEAM },
            state: {
              ...CI_LIQUID,
              cells: [6, 6, 6],
              meltPs: 15,
              quenchPs: 5,
              nptPs: 20,
              equilibrationPs: 5,
              productionPs: 20,
              snapshotEveryPs: 1,
            },
          },
        ];
  const results: Record<string, unknown> = {};
  for (const r of runs) {
    const outDir = join(work, r.label);
    if (!reuse) rmSync(outDir, { recursive: true, force: true });
    const p = parseProtocol(
      {
        name: r.label,
        engine: r.engine,
        potential: r.potential,
        element: 'Ni',
        outDir,
        seed: 2024,
        states: [r.state],
      },
      r.label,
    );
    const t0 = performance.now();
    const s = await runProtocol(p, { lammpsRunner: runLammpsJob });
    if (s.failed.length > 0) throw new Error(`${r.label}: ${JSON.stringify(s.failed)}`);
    const stateId = expandJobs(p)[0].stateIds[0];
    const manifest = JSON.parse(readFileSync(join(statePath(outDir, stateId), 'state.json'), 'utf8'));
    results[r.label] = {
      aEquilibriumAngstrom: manifest.aEquilibriumAngstrom,
      stateDensityPerA3: manifest.densityPerA3,
      engine: r.engine,
      potential: r.potential.style === 'kim' ? r.potential.model : 'potentials/Ni_Zhou2004.eam.alloy',
      protocol: r.state,
      // null when --reuse found the run finished (only the analysis was redone).
      wallSeconds: s.written.length > 0 ? (performance.now() - t0) / 1000 : null,
      ...summary(statePath(outDir, stateId), r.rCut, r.state.phase === 'liquid'),
    };
    console.log(r.label, JSON.stringify(results[r.label]).slice(0, 400));
    if (r.label === 'liquid-1750K-meam-lammps') {
      const dir = statePath(outDir, stateId);
      const files = readdirSync(dir)
        .filter((f) => f.endsWith('.xyz'))
        .sort();
      const frames = [files[5], files[12], files[19]].map((f) => {
        const a = readExtendedXyz(join(dir, f))[0];
        a.velocities = undefined;
        return a;
      });
      writeExtendedXyz('test/fixtures/md/meam-liquid-1750K.xyz', frames);
    }
  }
  const out =
    set === 'ci' ? 'test/fixtures/md/protocol-lammps.json' : 'test/fixtures/md/validation-full.json';
  writeFileAtomic(
    out,
    `${toJson({ generator: `tools/md/validate.ts ${set}`, lammps: info.version, seed: 2024, results }, 1)}\n`,
  );
  console.log(`wrote ${out}`);
}

await main();
