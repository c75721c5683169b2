/**
 * Potentials used where they are installed, never shipped: well-known names for EAM tables that
 * Debian installs (lammps-data, lammps-examples) or that xasflow ships, and the search for a bare
 * potential file name in the LAMMPS potential folders. Tables whose licence does not allow us to
 * redistribute them (GPL data files, NIST repository files) are read at run time from the user's
 * installation; a missing one gives an error naming every place looked at and the package that
 * provides it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XasInputError } from '../../core/errors.js';

/** Root of the xasflow package (holds potentials/), from src/md/potential or dist/md/potential. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface InstalledPotential {
  /** LAMMPS pair style of the table. */
  style: 'eam' | 'eam/alloy';
  /** File name, searched as in resolvePotentialFile (shipped ones as package-relative paths). */
  file: string;
  element: string;
  /** Where the file comes from: 'xasflow' (shipped) or a Debian package. */
  provider: string;
  reference: string;
  /** The published potential as an OpenKIM model (Debian openkim-models), for LAMMPS `pair_style kim`. */
  kimModel?: string;
}

/** Well-known potentials, usable in protocols as `{"installed": "<name>"}`. */
export const INSTALLED_POTENTIALS: Record<string, InstalledPotential> = {
  'Zhou2004-Ni': {
    style: 'eam/alloy',
    file: 'potentials/Ni_Zhou2004.eam.alloy',
    element: 'Ni',
    provider: 'xasflow',
    reference: 'Zhou, Johnson, Wadley, Phys. Rev. B 69, 144113 (2004); tabulated by xasflow',
    kimModel: 'EAM_Dynamo_ZhouJohnsonWadley_2004_Ni__MO_110256178378_005',
  },
  'Mishin1999-Ni': {
    style: 'eam/alloy',
    file: 'Ni99.eam.alloy',
    element: 'Ni',
    provider: 'lammps-examples',
    reference:
      'Mishin, Farkas, Mehl, Papaconstantopoulos, Phys. Rev. B 59, 3393 (1999); NIST setfl by C. A. Becker',
    kimModel: 'EAM_Dynamo_MishinFarkasMehl_1999_Ni__MO_400591584784_005',
  },
  'FoilesBaskesDaw1986-Ni-u3': {
    style: 'eam',
    file: 'Ni_u3.eam',
    element: 'Ni',
    provider: 'lammps-data',
    reference: 'Foiles, Baskes, Daw, Phys. Rev. B 33, 7983 (1986), universal 3',
    kimModel: 'EAM_Dynamo_FoilesBaskesDaw_1986Universal3_Ni__MO_580571659842_000',
  },
  'Foiles1985-Ni': {
    style: 'eam',
    file: 'Ni_smf7.eam',
    element: 'Ni',
    provider: 'lammps-data',
    reference: 'Foiles, Phys. Rev. B 32, 7685 (1985)',
  },
};

export const INSTALLED_NAMES = Object.keys(INSTALLED_POTENTIALS);

/**
 * Folders searched for a bare file name after the protocol folder, the working directory and the
 * xasflow package: $LAMMPS_POTENTIALS (the variable LAMMPS itself reads), Debian lammps-data's
 * potentials folder, then every folder under Debian lammps-examples' examples (recursively).
 */
export interface PotentialSearch {
  /** Searched as they are. */
  dirs: string[];
  /** Searched with all their subfolders (shallowest match first). */
  recursiveDirs: string[];
}

export function defaultPotentialSearch(env: NodeJS.ProcessEnv = process.env): PotentialSearch {
  const dirs = (env.LAMMPS_POTENTIALS ?? '').split(':').filter((d) => d.length > 0);
  dirs.push('/usr/share/lammps/potentials');
  return { dirs, recursiveDirs: ['/usr/share/lammps/examples'] };
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The first file called `name` under `root`, shallowest first, then in name order. */
function findBelow(root: string, name: string): string | undefined {
  if (!existsSync(root)) return undefined;
  let level = [root];
  for (let depth = 0; depth < 8 && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level.sort()) {
      const direct = join(dir, name);
      if (isFile(direct)) return direct;
      let entries: { name: string; isDirectory(): boolean }[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) if (e.isDirectory()) next.push(join(dir, e.name));
    }
    level = next;
  }
  return undefined;
}

/** Which package provides a potential file, by its file name, when it is a well-known one. */
export function providerOf(file: string): InstalledPotential | undefined {
  const b = basename(file);
  return Object.values(INSTALLED_POTENTIALS).find((p) => basename(p.file) === b);
}

function missingHint(file: string): string {
  const known = providerOf(file);
  if (known && known.provider !== 'xasflow') {
    return `${basename(file)} (${known.reference}) is installed by the Debian package ${known.provider}: apt-get install ${known.provider}; or give the path to a copy`;
  }
  return 'an existing file: a path, or a name found in the LAMMPS potential folders (Debian packages lammps-data, lammps-examples)';
}

/**
 * Resolves a potential file named in a protocol. Absolute paths must exist; relative ones are tried
 * against the protocol's folder, the working directory and the xasflow package (shipped
 * potentials/); a bare file name (no folder) is then searched in the LAMMPS potential folders
 * (see defaultPotentialSearch). Throws XasInputError listing every place looked at.
 */
export function resolvePotentialFile(
  file: string,
  protocolDir: string,
  search: PotentialSearch = defaultPotentialSearch(),
  field = 'potential.file',
): string {
  const looked: string[] = [];
  if (isAbsolute(file)) {
    if (isFile(file)) return file;
    looked.push(file);
  } else {
    for (const base of [protocolDir, process.cwd(), PACKAGE_ROOT]) {
      const p = resolve(base, file);
      if (isFile(p)) return p;
      if (!looked.includes(p)) looked.push(p);
    }
    if (!file.includes('/') && !file.includes(sep)) {
      for (const d of search.dirs) {
        const p = join(d, file);
        if (isFile(p)) return p;
        looked.push(p);
      }
      for (const d of search.recursiveDirs) {
        const p = findBelow(d, file);
        if (p) return p;
        looked.push(`${join(d, '**', file)}`);
      }
    }
  }
  throw new XasInputError(`potential file '${file}' not found; looked in: ${looked.join(', ')}`, {
    field,
    expected: missingHint(file),
  });
}

/** The potential behind a well-known name (see INSTALLED_POTENTIALS); XasInputError if unknown. */
export function installedPotential(name: string): InstalledPotential {
  const p = INSTALLED_POTENTIALS[name];
  if (!p) {
    throw new XasInputError(`unknown installed potential '${name}'`, {
      field: 'potential.installed',
      expected: INSTALLED_NAMES.join(', '),
    });
  }
  return p;
}

/** Where each well-known potential is found here (undefined: not installed). */
export function locateInstalled(
  search: PotentialSearch = defaultPotentialSearch(),
): { name: string; potential: InstalledPotential; path?: string }[] {
  return INSTALLED_NAMES.map((name) => {
    const potential = INSTALLED_POTENTIALS[name];
    let path: string | undefined;
    try {
      path = resolvePotentialFile(potential.file, PACKAGE_ROOT, search);
    } catch {
      path = undefined;
    }
    return { name, potential, path };
  });
}

/**
 * A protocol `potential` object from a command-line value: a well-known name (`Mishin1999-Ni`),
 * `kim:<model>` (LAMMPS only), or a table file whose style follows from its name (`*.eam` funcfl,
 * `*.eam.alloy` / `*.setfl` setfl). A file that exists relative to the working directory becomes
 * absolute; other names are searched as in resolvePotentialFile.
 */
export function potentialFromOption(value: string): Record<string, string> {
  if (INSTALLED_POTENTIALS[value]) return { installed: value };
  if (value.startsWith('kim:') && value.length > 4) return { style: 'kim', model: value.slice(4) };
  const style = /\.(eam\.alloy|setfl)$/i.test(value) ? 'eam/alloy' : /\.eam$/i.test(value) ? 'eam' : null;
  if (!style) {
    throw new XasInputError(`cannot tell the pair style of '${value}'`, {
      field: '--potential',
      expected: `one of ${INSTALLED_NAMES.join(', ')}, kim:<model>, a *.eam (funcfl) or *.eam.alloy (setfl) file`,
    });
  }
  const local = resolve(value);
  return { style, file: isFile(local) ? local : value };
}
