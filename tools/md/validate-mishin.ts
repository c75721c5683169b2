/**
 * Validation with the Mishin–Farkas–Mehl–Papaconstantopoulos 1999 Ni EAM (PRB 59, 3393), the NIST
 * setfl table Ni99.eam.alloy that Debian lammps-examples installs (not redistributable, so used
 * where installed and never committed; only numbers derived from runs are). The protocols name it
 * as `{"installed": "Mishin1999-Ni"}`, the way users do.
 *
 *   node --import tsx tools/md/validate-mishin.ts ci    → test/fixtures/md/protocol-lammps-mishin99.json
 *       LAMMPS (pair_style eam/alloy, same file) runs of the small protocols that
 *       test/md/mishin99.test.ts repeats with the embedded engine.
 *   node --import tsx tools/md/validate-mishin.ts full  → test/fixtures/md/validation-mishin99.json
 *       Same protocols in both engines: fcc 300 K (2048 atoms, NPT 10 ps, NVT 5 + 40 ps, 40 frames),
 *       two seeds each; liquid 1750 K (4000 atoms: melt 3000 K 15 ps, quench 5 ps, NPT 20 ps,
 *       NVT 5 + 20 ps, 20 frames), one seed each (≈ 10 min per run on this 2-core machine).
 *       `--kim` adds LAMMPS with the OpenKIM model of the same potential (fcc, ≈ 10× slower). Per run: ⟨R1⟩, σ², N with frame and block (5-frame) standard errors, BAD maxima,
 *       g(r) peak / minimum, density; per engine the mean over seeds with its standard error.
 * Work folders: $TMPDIR/xasflow-md-mishin-<set> (finished runs are reused: the tool resumes after an
 * interruption; --fresh starts over). Progress goes to stderr every 30 s.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toJson, writeFileAtomic } from '../../src/core/atomic-write.js';
import { lammpsInfo } from '../../src/md/lammps/lammps-exec.js';
import { INSTALLED_POTENTIALS, resolvePotentialFile } from '../../src/md/potential/installed.js';
import { CI_CRYSTAL, CI_LIQUID, runValidation, summary, type ValidationRun } from './validate-lib.js';

const set = process.argv[2] ?? 'ci';
const fresh = process.argv.includes('--fresh');
const work = join(tmpdir(), `xasflow-md-mishin-${set}`);
const NAME = 'Mishin1999-Ni';
const known = INSTALLED_POTENTIALS[NAME];
const table = { installed: NAME };
const kim = { style: 'kim', model: known.kimModel as string };

const FCC_FULL = {
  ...CI_CRYSTAL,
  cells: [8, 8, 8],
  lattice: 'npt',
  nptPs: 10,
  equilibrationPs: 5,
  productionPs: 40,
  snapshotEveryPs: 1,
};
const LIQUID_FULL = {
  ...CI_LIQUID,
  cells: [10, 10, 10],
  meltPs: 15,
  quenchPs: 5,
  nptPs: 20,
  equilibrationPs: 5,
  productionPs: 20,
  snapshotEveryPs: 1,
};
const SEEDS = [2024, 7];

function runs(): ValidationRun[] {
  if (set === 'ci') {
    return [
      {
        label: 'fcc-300K-mishin99-lammps',
        engine: 'lammps',
        potential: table,
        state: CI_CRYSTAL,
        seed: 2024,
        rCut: 3.0,
      },
      {
        label: 'liquid-1750K-mishin99-lammps',
        engine: 'lammps',
        potential: table,
        state: CI_LIQUID,
        seed: 2024,
      },
    ];
  }
  const out: ValidationRun[] = [];
  for (const seed of SEEDS) {
    for (const engine of ['embedded', 'lammps'] as const) {
      out.push({
        label: `fcc-300K-mishin99-${engine}-s${seed}`,
        engine,
        potential: table,
        state: FCC_FULL,
        seed,
        rCut: 3.0,
      });
    }
  }
  if (process.argv.includes('--kim'))
    out.push({
      label: 'fcc-300K-mishin99kim-lammps-s2024',
      engine: 'lammps',
      potential: kim,
      state: FCC_FULL,
      seed: 2024,
      rCut: 3.0,
    });
  for (const seed of SEEDS.slice(0, 1)) {
    for (const engine of ['embedded', 'lammps'] as const) {
      out.push({
        label: `liquid-1750K-mishin99-${engine}-s${seed}`,
        engine,
        potential: table,
        state: LIQUID_FULL,
        seed,
      });
    }
  }
  return out;
}

type Summary = ReturnType<typeof summary> & { aEquilibriumAngstrom?: number; stateDensityPerA3: number };

/** Mean over seeds; standard error from the per-run block errors, and from the seed-to-seed scatter. */
function combine(list: Summary[]) {
  const n = list.length;
  const mean = (f: (s: Summary) => number) => list.reduce((a, s) => a + f(s), 0) / n;
  const pooled = (f: (s: Summary) => number) => Math.sqrt(list.reduce((a, s) => a + f(s) ** 2, 0)) / n;
  const scatter = (f: (s: Summary) => number) => {
    const m = mean(f);
    return n > 1 ? Math.sqrt(list.reduce((a, s) => a + (f(s) - m) ** 2, 0) / (n - 1) / n) : Number.NaN;
  };
  const q = (f: (s: Summary) => number, e?: (s: Summary) => number) => ({
    mean: mean(f),
    blockStdErr: e ? pooled(e) : Number.NaN,
    seedStdErr: scatter(f),
  });
  return {
    runs: n,
    aEquilibriumAngstrom: q((s) => s.aEquilibriumAngstrom ?? Number.NaN),
    densityPerA3: q((s) => s.stateDensityPerA3),
    meanR1Angstrom: q(
      (s) => s.shell.meanAngstrom,
      (s) => s.blockStdErr.meanAngstrom,
    ),
    sigma2Angstrom2: q(
      (s) => s.shell.sigma2Angstrom2,
      (s) => s.blockStdErr.sigma2Angstrom2,
    ),
    coordination: q(
      (s) => s.shell.coordination,
      (s) => s.blockStdErr.coordination,
    ),
    firstPeakAngstrom: q((s) => s.firstPeakAngstrom),
    firstPeakHeight: q((s) => s.firstPeakHeight),
    firstMinimumAngstrom: q((s) => s.firstMinimumAngstrom),
    coordinationToMinimum: q((s) => s.coordinationToMinimum),
    badPeaksDeg: list.map((s) => s.badPeaksDeg),
  };
}

function loadavg(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

async function main(): Promise<void> {
  const info = lammpsInfo();
  const file = resolvePotentialFile(known.file, process.cwd());
  const load: string[] = [loadavg()];
  const results: Record<string, unknown> = {};
  for (const r of runs()) {
    process.stderr.write(`${r.label}: start (load ${loadavg()})\n`);
    const { manifest, dir, wallSeconds } = await runValidation(r, work, fresh);
    load.push(loadavg());
    results[r.label] = {
      engine: r.engine,
      potential: r.potential.style === 'kim' ? r.potential.model : `${NAME} (${known.file})`,
      seed: r.seed,
      protocol: r.state,
      aEquilibriumAngstrom: manifest.aEquilibriumAngstrom,
      stateDensityPerA3: manifest.densityPerA3,
      atoms: manifest.atoms,
      // null when the run was found finished on disk (only the analysis was redone).
      wallSeconds,
      ...summary(dir, r.rCut, r.state.phase === 'liquid'),
    };
    const s = results[r.label] as Summary;
    console.log(
      `${r.label}: R1 ${s.shell.meanAngstrom.toFixed(5)} σ² ${s.shell.sigma2Angstrom2.toFixed(6)} ± ${s.blockStdErr.sigma2Angstrom2.toExponential(1)} N ${s.shell.coordination.toFixed(3)} peak ${s.firstPeakAngstrom.toFixed(3)} ρ ${s.stateDensityPerA3.toFixed(5)} BAD ${s.badPeaksDeg.join(',')} (${wallSeconds?.toFixed(0) ?? 'reused'} s)`,
    );
  }
  const combined: Record<string, unknown> = {};
  if (set === 'full') {
    for (const group of [
      'fcc-300K-mishin99-embedded',
      'fcc-300K-mishin99-lammps',
      'liquid-1750K-mishin99-embedded',
      'liquid-1750K-mishin99-lammps',
    ]) {
      combined[group] = combine(
        Object.entries(results)
          .filter(([k]) => k.startsWith(`${group}-s`))
          .map(([, v]) => v as Summary),
      );
    }
  }
  const out =
    set === 'ci'
      ? 'test/fixtures/md/protocol-lammps-mishin99.json'
      : 'test/fixtures/md/validation-mishin99.json';
  writeFileAtomic(
    out,
    `${toJson(
      {
        generator: `tools/md/validate-mishin.ts ${set}`,
        lammps: info.version,
        potential: {
          name: NAME,
          file: known.file,
          installedAt: file,
          reference: known.reference,
          kimModel: known.kimModel,
        },
        loadavg: load,
        results,
        ...(set === 'full' ? { combined } : {}),
      },
      1,
    )}\n`,
  );
  console.log(`wrote ${out}`);
}

await main();
