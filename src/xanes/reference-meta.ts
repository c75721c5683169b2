/**
 * Chemical metadata of a XANES reference (species, oxidation state, phase): taken from a user
 * manifest when given, otherwise read from the file's own header as an analyst would (XDI
 * Sample.formula / Sample.name, Athena record labels): Roman or signed oxidation states written
 * with the name ("Copper(II) oxide", "Fe3+"), "metal"/"foil" for the element, "solution" for an
 * aqueous phase.
 */
import type { Spectrum } from '../core/spectrum.js';

export interface ReferenceMeta {
  /** Chemical species or formula (e.g. 'CuO'). */
  species?: string;
  /** Formal oxidation state of the absorbing element. */
  oxidationState?: number;
  /** Phase or form: 'solid', 'aqueous solution', 'metal', 'mineral', ... */
  phase?: string;
  /** Free-text description (the sample name). */
  description?: string;
  /** Measurement temperature in kelvin. */
  temperatureK?: number;
}

const ROMAN: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4, V: 5, VI: 6, VII: 7, VIII: 8 };

/** Oxidation state written in a name: '(II)', '(+2)', 'Fe3+', 'metal'/'foil' → 0. */
export function parseOxidationState(text: string): number | undefined {
  const roman = /\((0|I{1,3}|IV|V|VI{0,3})\)/.exec(text);
  if (roman) return roman[1] === '0' ? 0 : ROMAN[roman[1]];
  const signed = /\(([+-]?\d)\)/.exec(text) ?? /[A-Z][a-z]?(\d)\+/.exec(text);
  if (signed) return Number(signed[1]);
  if (/\b(metal|foil)\b/i.test(text)) return 0;
  return undefined;
}

export function guessPhase(text: string): string | undefined {
  if (/solution|aqueous|\baq\b|\bmM\b/i.test(text)) return 'aqueous solution';
  if (/\b(metal|foil)\b/i.test(text)) return 'metal';
  if (/mineral/i.test(text)) return 'mineral';
  if (/glass/i.test(text)) return 'glass';
  return undefined;
}

/** Metadata read from a spectrum's header; `override` fields win. */
export function referenceMetaOf(sp: Spectrum, override: ReferenceMeta = {}): ReferenceMeta {
  const f = sp.meta.fields;
  const name = sp.meta.sample ?? f['Sample.name'] ?? sp.meta.record ?? '';
  const formula = f['Sample.formula'];
  const text = `${name} ${formula ?? ''}`;
  const meta: ReferenceMeta = {};
  const species = formula ?? (name || undefined);
  if (species) meta.species = species.trim();
  const ox = parseOxidationState(text);
  if (ox !== undefined) meta.oxidationState = ox;
  const phase = guessPhase(text);
  if (phase) meta.phase = phase;
  if (name) meta.description = name;
  if (sp.meta.temperatureK !== undefined) meta.temperatureK = sp.meta.temperatureK;
  return { ...meta, ...stripUndefined(override) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
