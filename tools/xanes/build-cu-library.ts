/**
 * Builds the Cu K reference library of the shipped network from the 17 measured LISA (ESRF BM08)
 * references in data/xanes_refs/lisa_esrf_cu/ with their chemical metadata
 * (tools/xanes/lisa-cu-manifest.json), trimmed to E0 − 80 … E0 + 250 eV to keep the file small,
 * and writes it to models/xanes-cu-k/library.json.
 *
 *   node --import tsx tools/xanes/build-cu-library.ts [out.json]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readSpectrum } from '../../src/io/index.js';
import { buildLibrary, type XanesLibrary } from '../../src/xanes/library.js';
import { saveLibrary } from '../../src/xanes/library-file.js';
import type { ReferenceMeta } from '../../src/xanes/reference-meta.js';

export const LISA_DIR = 'data/xanes_refs/lisa_esrf_cu/';

export async function buildCuLibrary(): Promise<XanesLibrary> {
  const manifest = JSON.parse(readFileSync('tools/xanes/lisa-cu-manifest.json', 'utf8')) as Record<
    string,
    ReferenceMeta
  >;
  const inputs = [];
  for (const f of readdirSync(LISA_DIR).sort()) {
    if (!f.endsWith('.xdi')) continue;
    inputs.push({ spectrum: await readSpectrum(LISA_DIR + f), meta: manifest[f] });
  }
  const lib = buildLibrary(inputs);
  const e0 = lib.edgeEnergyEv as number;
  for (const r of lib.references) {
    const keep = Array.from(r.energyEv.keys()).filter(
      (i) => r.energyEv[i] >= e0 - 80 && r.energyEv[i] <= e0 + 250,
    );
    const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
    r.energyEv = pick(r.energyEv);
    r.norm = pick(r.norm);
    r.flat = pick(r.flat);
    r.dmude = pick(r.dmude);
  }
  lib.warnings.push('arrays trimmed to E0 − 80 … E0 + 250 eV (E0 = tabulated Cu K edge) after normalisation');
  return lib;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? 'models/xanes-cu-k/library.json';
  const lib = await buildCuLibrary();
  saveLibrary(out, lib);
  console.log(`${lib.references.length} references → ${out}`);
}
