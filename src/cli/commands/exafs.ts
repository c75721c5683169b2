/**
 * `xasflow exafs …`: χ(k) of atomic configurations from FEFF-built kernel tables (chi), making
 * kernel tables with feff85exafs (kernels), and first-shell fits of measured spectra (fit).
 */
import type { Command } from 'commander';
import { XasInputError } from '../../core/errors.js';
import { DEFAULT_KERNEL_GRID, type KernelGridSpec } from '../../exafs/kernels/build.js';
import { makeKernelTables } from '../../exafs/kernels/make.js';
import type { Axis } from '../../exafs/kernels/table.js';
import type { LatticeStructure } from '../../structure/lattice.js';

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

function axisText(a: Axis): string {
  return `${a.start}:${a.step}:${a.count}`;
}

export function registerExafsCommands(program: Command): void {
  const exafs = program
    .command('exafs')
    .description('EXAFS theory: kernel tables, χ(k) of configurations, first-shell fits');
  registerKernels(exafs);
}
