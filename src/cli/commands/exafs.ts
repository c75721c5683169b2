/**
 * `xasflow exafs …`: χ(k) of atomic configurations from FEFF-built kernel tables (chi), making
 * kernel tables with feff85exafs (kernels), and first-shell fits of measured spectra (fit).
 */
import type { Command } from 'commander';
import { toJson, writeFileAtomic } from '../../core/atomic-write.js';
import { XasInputError } from '../../core/errors.js';
import { SOFTWARE } from '../../core/spectrum.js';
import { fitSpectrumFile, formatFitReport } from '../../exafs/fit/spectrum-fit.js';
import { DEFAULT_KERNEL_GRID, type KernelGridSpec } from '../../exafs/kernels/build.js';
import { loadShippedKernels, readKernelSet } from '../../exafs/kernels/load.js';
import { makeKernelTables } from '../../exafs/kernels/make.js';
import type { Axis } from '../../exafs/kernels/table.js';
import { type ConfigurationChi, chiOfConfiguration } from '../../exafs/model/chi-config.js';
import type { Atoms } from '../../structure/atoms.js';
import type { LatticeStructure } from '../../structure/lattice.js';
import { readExtendedXyz } from '../../structure/xyz.js';

function parseAxis(text: string, name: string): Axis {
  const parts = text.split(':').map(Number);
  if (
    parts.length !== 3 ||
    parts.some((v) => !Number.isFinite(v)) ||
    !(parts[1] > 0) ||
    !Number.isInteger(parts[2])
  ) {
    throw new XasInputError(`--${name} '${text}'`, {
      field: name,
      expected: 'start:step:count, e.g. 1.9:0.2:9',
    });
  }
  return { start: parts[0], step: parts[1], count: parts[2] };
}

function num(text: string, name: string): number {
  const v = Number(text);
  if (!Number.isFinite(v))
    throw new XasInputError(`--${name} '${text}'`, { field: name, expected: 'a number' });
  return v;
}

function registerKernels(exafs: Command): void {
  exafs
    .command('kernels')
    .description('make EXAFS kernel tables (pair and triangle path amplitudes) by driving feff85exafs')
    .option('--element <symbol>', 'absorber and scatterer element of a perfect-lattice reference cluster')
    .option('--structure <name>', 'reference lattice: fcc, bcc, hcp or diamond', 'fcc')
    .option('--a <angstrom>', 'lattice parameter of the reference (Å)')
    .option('--c-over-a <ratio>', 'hcp c/a of the reference')
    .option('--radius <angstrom>', 'reference cluster radius (Å)', '7.5')
    .option(
      '--feff-inp <file>',
      'use this feff.inp (POTENTIALS and ATOMS) as the reference instead of a lattice',
    )
    .option('--out <file>', 'output table file (.xkt)')
    .option('--work <dir>', 'work directory (resumable; finished batches are reused)')
    .option('--pair-r <s:step:n>', 'pair distance axis', axisText(DEFAULT_KERNEL_GRID.pairR))
    .option('--triangle-r <s:step:n>', 'triangle side axis', axisText(DEFAULT_KERNEL_GRID.triangleR))
    .option(
      '--phi-vertex <s:step:n>',
      'angle axis at the absorber (degrees)',
      axisText(DEFAULT_KERNEL_GRID.phiVertex),
    )
    .option(
      '--phi-end <s:step:n>',
      'angle axis at the chain atom (degrees)',
      axisText(DEFAULT_KERNEL_GRID.phiEnd),
    )
    .option('--batch <n>', 'paths per FEFF run', '2000')
    .option(
      '--validate <n>',
      'random geometries per path type checked against direct FEFF (0: no checks)',
      '100',
    )
    .option('--seed <n>', 'seed of the checks', '1')
    .option('--feff-bin <dir>', 'directory of the feff8l_* executables (default: PATH)')
    .action((o: Record<string, string | undefined>) => {
      let reference: Parameters<typeof makeKernelTables>[0]['reference'];
      let name: string;
      if (o.feffInp) {
        reference = { kind: 'feff-inp', path: o.feffInp };
        name = 'custom';
      } else {
        if (!o.element || !o.a) {
          throw new XasInputError('give --element and --a (or --feff-inp)', {
            expected: 'e.g. --element Ni --a 3.524',
          });
        }
        reference = {
          kind: 'lattice',
          element: o.element,
          structure: o.structure as LatticeStructure,
          aAngstrom: num(o.a, 'a'),
          cOverA: o.cOverA === undefined ? undefined : num(o.cOverA, 'c-over-a'),
          radiusAngstrom: num(o.radius!, 'radius'),
        };
        name = o.element.toLowerCase();
      }
      const grid: KernelGridSpec = {
        pairR: parseAxis(o.pairR!, 'pair-r'),
        triangleR: parseAxis(o.triangleR!, 'triangle-r'),
        phiVertex: parseAxis(o.phiVertex!, 'phi-vertex'),
        phiEnd: parseAxis(o.phiEnd!, 'phi-end'),
      };
      const log = (line: string) => process.stderr.write(`[exafs kernels] ${line}\n`);
      makeKernelTables({
        reference,
        grid,
        workDir: o.work ?? `xasflow-kernels-${name}`,
        outPath: o.out ?? `${name}-k.xkt`,
        batchSize: num(o.batch!, 'batch'),
        validateSamples: num(o.validate!, 'validate'),
        seed: num(o.seed!, 'seed'),
        feff: { binDir: o.feffBin },
        log,
        onProgress: (p) => {
          if (p.stage === 'reference') log('reference potential (feff8l_rdinp, _pot, _xsph)');
          else if (p.stage === 'paths') {
            const eta = p.done > 0 ? (p.elapsedS * (p.total - p.done)) / p.done : 0;
            log(
              `paths ${p.done}/${p.total} (${((100 * p.done) / p.total).toFixed(0)} %), ${p.elapsedS.toFixed(0)} s, ETA ${eta.toFixed(0)} s`,
            );
          }
        },
      });
    });
}

function kGridFrom(o: Record<string, string | undefined>): Float64Array {
  const kmin = num(o.kmin!, 'kmin');
  const kmax = num(o.kmax!, 'kmax');
  const kstep = num(o.kstep!, 'kstep');
  if (!(kmin >= 0 && kmax > kmin && kstep > 0)) {
    throw new XasInputError(`k grid ${kmin}–${kmax} step ${kstep}`, {
      field: 'kmin/kmax/kstep',
      expected: '0 ≤ kmin < kmax, kstep > 0',
    });
  }
  const n = Math.floor((kmax - kmin) / kstep + 1e-9) + 1;
  return Float64Array.from({ length: n }, (_, i) => kmin + i * kstep);
}

function selectFrames(frames: Atoms[], spec: string, file: string): { atoms: Atoms; index: number }[] {
  if (spec === 'all') return frames.map((atoms, index) => ({ atoms, index }));
  const i = Number(spec);
  if (!Number.isInteger(i) || i < 1 || i > frames.length) {
    throw new XasInputError(`--frame ${spec}`, {
      file,
      field: 'frame',
      expected: `1–${frames.length} or 'all'`,
    });
  }
  return [{ atoms: frames[i - 1], index: i - 1 }];
}

function registerChi(exafs: Command): void {
  exafs
    .command('chi')
    .description('χ(k) of an atomic configuration (extended XYZ) from two- and three-body kernel tables')
    .argument('<file>', 'extended XYZ file (a cluster, or a periodic box with --periodic)')
    .requiredOption('--json <out>', 'output JSON with k, chi, chi2body, chi3body, chi3bodyStdErr')
    .option('--periodic', 'periodic box: every atom of the absorber element is an absorber')
    .option('--absorber <index>', 'absorber atom (0-based) of a cluster', '0')
    .option('--element <symbol>', 'absorber element in a periodic box (default: that of atom 0)')
    .option('--kernels <file>', 'kernel tables (.xkt) instead of the shipped ones for the absorber element')
    .option('--frame <n|all>', 'frame of a multi-frame file (1-based) or all (averaged)', '1')
    .option('--s02 <value>', 'amplitude reduction factor S0²', '1')
    .option('--delta-e <eV>', 'energy shift ΔE (χ evaluated at sqrt(k² − 0.2625·ΔE))', '0')
    .option('--kmin <k>', 'first k (Å⁻¹)', '0')
    .option('--kmax <k>', 'last k (Å⁻¹)', '18')
    .option('--kstep <dk>', 'k step (Å⁻¹)', '0.05')
    .option('--rmax <angstrom>', 'largest absorber–scatterer distance of the two-body sum', '6')
    .option('--rc <angstrom>', 'first-shell cutoff of the three-body sum (default: from the kernel tables)')
    .option('--reff-max <angstrom>', 'drop paths with a longer half path length')
    .option('--no-three-body', 'two-body term only')
    .option('--triplet-sample <n>', 'absorbers sampled for the three-body term', '256')
    .option('--seed <n>', 'seed of the absorber sample', '1')
    .action((file: string, o: Record<string, string | boolean | undefined>) => {
      const so = o as Record<string, string | undefined>;
      const frames = selectFrames(readExtendedXyz(file), so.frame!, file);
      const periodic = o.periodic === true;
      const first = frames[0].atoms;
      const absorber = num(so.absorber!, 'absorber');
      if (!periodic && (!Number.isInteger(absorber) || absorber < 0 || absorber >= first.species.length)) {
        throw new XasInputError(`--absorber ${so.absorber}`, {
          file,
          expected: `an atom index in 0–${first.species.length - 1}`,
        });
      }
      const element = periodic ? (so.element ?? first.species[0]) : first.species[absorber];
      if (periodic && first.pbc.every((p) => !p)) {
        throw new XasInputError('--periodic needs a periodic cell', {
          file,
          expected: 'an extended XYZ Lattice="…" (and pbc) in the comment line',
        });
      }
      const kernels = so.kernels ? readKernelSet(so.kernels) : loadShippedKernels(element);
      const results: ConfigurationChi[] = frames.map(({ atoms }) =>
        chiOfConfiguration(atoms, kernels, {
          kGrid: kGridFrom(so),
          s02: num(so.s02!, 's02'),
          deltaEEv: num(so.deltaE!, 'delta-e'),
          periodic,
          absorbers: periodic ? undefined : [absorber],
          pairCutoff: num(so.rmax!, 'rmax'),
          triangleCutoff: so.rc === undefined ? undefined : num(so.rc, 'rc'),
          reffMax: so.reffMax === undefined ? undefined : num(so.reffMax, 'reff-max'),
          threeBody: o.threeBody !== false,
          tripletSample: num(so.tripletSample!, 'triplet-sample'),
          seed: num(so.seed!, 'seed'),
        }),
      );
      const mean = (pick: (r: ConfigurationChi) => Float64Array) =>
        Float64Array.from(
          results[0].k,
          (_, i) => results.reduce((s, r) => s + pick(r)[i], 0) / results.length,
        );
      const stdErr = Float64Array.from(
        results[0].k,
        (_, i) => Math.sqrt(results.reduce((s, r) => s + r.chi3bodyStdErr[i] ** 2, 0)) / results.length,
      );
      writeFileAtomic(
        so.json!,
        toJson({
          software: SOFTWARE,
          input: file,
          frames: frames.map((f) => f.index + 1),
          k: results[0].k,
          chi: mean((r) => r.chi),
          chi2body: mean((r) => r.chi2body),
          chi3body: mean((r) => r.chi3body),
          chi3bodyStdErr: stdErr,
          info: results[0].info,
        }),
      );
      const i = results[0].info;
      process.stdout.write(
        `${file}: ${frames.length} frame(s), ${i.pairAbsorbers} absorber(s) (${i.tripletAbsorbers} for three-body, seed ${i.seed}), ` +
          `${i.pairs} pairs, ${i.trianglesVertex}+${i.trianglesEnd} triangles in frame ${frames[0].index + 1} → ${so.json}\n`,
      );
    });
}

function registerFit(exafs: Command): void {
  exafs
    .command('fit')
    .description('first-shell fit (feffit-like: N·S0², ΔE0, ΔR, σ², optional C3) of a measured spectrum')
    .argument('<file>', 'spectrum file (XDI, columns, Athena …) with μ(E)')
    .option('--path <feffNNNN.dat>', 'FEFF path of the first shell (default: from the kernel tables)')
    .option('--kernels <file>', 'kernel tables (.xkt) for the default path')
    .option('--element <symbol>', 'absorbing element when the file does not name it')
    .option('--path-r <angstrom>', 'distance of the kernel path (default: the reference first shell)')
    .option('--space <r|k>', 'fit space', 'r')
    .option('--kmin <k>', 'k window start (Å⁻¹)', '3')
    .option('--kmax <k>', 'k window end (Å⁻¹)', '14')
    .option('--kweight <w>', 'k-weight', '2')
    .option('--dk <dk>', 'window taper (Å⁻¹)', '1')
    .option('--window <name>', 'window shape (Larch names)', 'hanning')
    .option('--rmin <r>', 'R range start (Å)', '1.5')
    .option('--rmax <r>', 'R range end (Å)', '3.0')
    .option('--c3', 'also fit the third cumulant')
    .option('--rbkg <r>', 'autobk rbkg (Å)')
    .option('--e0 <eV>', 'edge energy (default: Larch find_e0)')
    .option('--n <coordination>', 'known coordination number: report S0²')
    .option('--s02 <value>', 'known S0²: report N')
    .option('--s02-err <value>', 'uncertainty of --s02', '0')
    .option('--json <out>', 'write the result as JSON')
    .action((file: string, o: Record<string, string | boolean | undefined>) => {
      const so = o as Record<string, string | undefined>;
      const opt = (name: string, v: string | undefined) => (v === undefined ? undefined : num(v, name));
      if (so.space !== 'r' && so.space !== 'k')
        throw new XasInputError(`--space ${so.space}`, { expected: 'r or k' });
      const e0 = opt('e0', so.e0);
      const res = fitSpectrumFile(file, {
        pathFile: so.path,
        kernelsFile: so.kernels,
        element: so.element,
        pathR: opt('path-r', so.pathR),
        transform: {
          fitspace: so.space,
          kmin: num(so.kmin!, 'kmin'),
          kmax: num(so.kmax!, 'kmax'),
          kweight: num(so.kweight!, 'kweight'),
          dk: num(so.dk!, 'dk'),
          window: so.window,
          rmin: num(so.rmin!, 'rmin'),
          rmax: num(so.rmax!, 'rmax'),
        },
        fitC3: o.c3 === true,
        preEdge: e0 === undefined ? undefined : { e0 },
        autobk: {
          ...(e0 === undefined ? {} : { e0 }),
          ...(so.rbkg === undefined ? {} : { rbkg: num(so.rbkg, 'rbkg') }),
        },
        coordination: opt('n', so.n),
        s02:
          so.s02 === undefined
            ? undefined
            : { value: num(so.s02, 's02'), stderr: num(so.s02Err!, 's02-err') },
      });
      process.stdout.write(`${formatFitReport(res)}\n`);
      if (so.json) {
        const { k, chiData, chiModel, ...fit } = res.fit;
        writeFileAtomic(
          so.json,
          toJson({ software: SOFTWARE, ...res, fit: { ...fit, k, chiData, chiModel } }),
        );
      }
    });
}

function axisText(a: Axis): string {
  return `${a.start}:${a.step}:${a.count}`;
}

export function registerExafsCommands(program: Command): void {
  const exafs = program
    .command('exafs')
    .description('EXAFS theory: kernel tables, χ(k) of configurations, first-shell fits');
  registerChi(exafs);
  registerFit(exafs);
  registerKernels(exafs);
}
