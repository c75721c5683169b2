/**
 * JSON form of a spectrum: arrays as plain number arrays (Larch's names: energy, mu),
 * metadata and processing history. Non-finite numbers are refused (JSON has none), and the
 * file is written atomically.
 */
import { toJson, writeFileAtomic } from '../core/atomic-write.js';
import { XasInputError } from '../core/errors.js';
import type { Spectrum } from '../core/spectrum.js';

/** A plain-object view of a spectrum, ready for JSON.stringify (through toJson). */
export function spectrumToPlain(sp: Spectrum): Record<string, unknown> {
  const out: Record<string, unknown> = { energy: sp.energyEv, mu: sp.mu };
  if (sp.muRef) out.mu_ref = sp.muRef;
  if (sp.k) out.k = sp.k;
  if (sp.chi) out.chi = sp.chi;
  out.channels = sp.channels;
  out.meta = sp.meta;
  out.history = sp.history;
  return out;
}

function checkFinite(sp: Spectrum): void {
  const arrays: [string, Float64Array | undefined][] = [
    ['energy', sp.energyEv],
    ['mu', sp.mu],
    ['mu_ref', sp.muRef],
    ['k', sp.k],
    ['chi', sp.chi],
    ...Object.entries(sp.channels),
  ];
  for (const [name, a] of arrays) {
    if (!a) continue;
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) {
        throw new XasInputError(`${name}[${i}] is ${a[i]}; refusing to write it`, {
          field: name,
          expected: 'finite values',
        });
      }
    }
  }
}

/** Formats a spectrum as JSON text. */
export function formatSpectrumJson(sp: Spectrum, indent = 0): string {
  checkFinite(sp);
  return toJson(spectrumToPlain(sp), indent);
}

/** Writes a spectrum as JSON (atomically). */
export function writeSpectrumJson(path: string, sp: Spectrum, indent = 0): void {
  writeFileAtomic(path, `${formatSpectrumJson(sp, indent)}\n`);
}
