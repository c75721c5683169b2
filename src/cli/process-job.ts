/**
 * The file-level processing job behind `xasflow process` and `npm start`: read every record of
 * every file, run pre_edge + autobk + xftf on worker threads, and write `<name>.json` (Larch's
 * names), optionally a processed XDI file and the four figures (PNG + SVG). Each spectrum's
 * outputs are written (atomically) as soon as it is done, so an interrupted batch keeps them.
 */
import { basename, extname, join } from 'node:path';
import { toJson, writeFileAtomic } from '../core/atomic-write.js';
import { SOFTWARE, type Spectrum } from '../core/spectrum.js';
import { readSpectra } from '../io/index.js';
import { writeXdi } from '../io/xdi-write.js';
import {
  type BatchItem,
  larchNamedOutput,
  type ProcessParams,
  type ProcessResult,
  processBatch,
  processHistory,
  sortXafs,
} from '../process/index.js';
import { processFigures } from '../report/process-figures.js';
import { withStoredParams } from './process-params.js';

export interface ProcessJobOptions {
  outDir: string;
  params: ProcessParams;
  plot?: boolean;
  xdi?: boolean;
  /** Apply parameters stored in Athena records. */
  storedParams?: boolean;
  /** Only this record of each file (index or name). */
  record?: string;
  workers?: number;
  signal?: AbortSignal;
  /** Called when a spectrum is read (phase 'read') and when it is processed and written ('done'). */
  onProgress?: (done: number, total: number) => void;
}

export interface ProcessJobEntry {
  file: string;
  record?: string;
  name: string;
  ok: boolean;
  e0?: number;
  edgeStep?: number;
  outputs: string[];
  error?: string;
  warnings?: string[];
}

interface Prepared {
  sp: Spectrum;
  name: string;
  sorted: boolean;
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'spectrum';
}

function isIncreasing(e: Float64Array): boolean {
  for (let i = 1; i < e.length; i++) if (e[i] < e[i - 1]) return false;
  return true;
}

/** Reads all inputs; unreadable files become failed entries, never exceptions. */
async function readInputs(
  files: string[],
  record: string | undefined,
): Promise<{ items: Prepared[]; failed: ProcessJobEntry[] }> {
  const items: Prepared[] = [];
  const failed: ProcessJobEntry[] = [];
  const used = new Set<string>();
  const unique = (n: string) => {
    let name = n;
    for (let i = 2; used.has(name); i++) name = `${n}-${i}`;
    used.add(name);
    return name;
  };
  for (const file of files) {
    const stem = safeName(basename(file, extname(file)));
    let spectra: Spectrum[];
    try {
      spectra = await readSpectra(file, record !== undefined ? { record } : {});
    } catch (err) {
      failed.push({ file, name: stem, ok: false, outputs: [], error: (err as Error).message });
      continue;
    }
    for (const sp of spectra) {
      const name = unique(
        spectra.length > 1 ? `${stem}_${safeName(sp.meta.record ?? String(items.length))}` : stem,
      );
      if (sp.meta.datatype === 'chi') {
        failed.push({
          file,
          record: sp.meta.record,
          name,
          ok: false,
          outputs: [],
          error: `${file}${sp.meta.record ? ` [${sp.meta.record}]` : ''}: the record holds χ(k), not μ(E); nothing to reduce`,
        });
        continue;
      }
      let cur = sp;
      let sorted = false;
      if (!isIncreasing(sp.energyEv)) {
        const s = sortXafs(sp.energyEv, sp.mu);
        cur = { ...sp, energyEv: s.energyEv, mu: s.mu };
        sorted = true;
      }
      items.push({ sp: cur, name, sorted });
    }
  }
  return { items, failed };
}

function resultJson(p: Prepared, r: ProcessResult): string {
  const { fields, extra, ...meta } = p.sp.meta;
  const history = [
    ...p.sp.history,
    ...(p.sorted ? [{ step: 'sort_xafs', params: {}, software: SOFTWARE }] : []),
    ...processHistory(r),
  ];
  return toJson({ ...larchNamedOutput(r), meta: { ...meta, fields }, history, software: SOFTWARE });
}

async function writeOutputs(p: Prepared, r: ProcessResult, opts: ProcessJobOptions): Promise<string[]> {
  const base = join(opts.outDir, p.name);
  const outputs: string[] = [];
  writeFileAtomic(`${base}.json`, resultJson(p, r));
  outputs.push(`${base}.json`);
  if (opts.xdi) {
    const sp: Spectrum = {
      ...p.sp,
      energyEv: r.energyEv,
      mu: r.mu,
      history: [...p.sp.history, ...processHistory(r)],
    };
    writeXdi(`${base}.xdi`, sp, {
      channels: false,
      arrays: {
        pre_edge: r.preEdge.preEdge,
        post_edge: r.preEdge.postEdge,
        norm: r.preEdge.norm,
        flat: r.preEdge.flat,
        bkg: r.autobk.bkg,
      },
    });
    outputs.push(`${base}.xdi`);
  }
  if (opts.plot) {
    const title = p.sp.meta.sample ? `${p.name} (${p.sp.meta.sample})` : p.name;
    for (const fig of await processFigures(r, title)) {
      writeFileAtomic(`${base}.${fig.name}.svg`, fig.svg);
      writeFileAtomic(`${base}.${fig.name}.png`, fig.png);
      outputs.push(`${base}.${fig.name}.png`, `${base}.${fig.name}.svg`);
    }
  }
  return outputs;
}

export async function runProcessJob(files: string[], opts: ProcessJobOptions): Promise<ProcessJobEntry[]> {
  const { items, failed } = await readInputs(files, opts.record);
  const batch: BatchItem[] = items.map((p) => ({
    id: p.name,
    energyEv: p.sp.energyEv,
    mu: p.sp.mu,
    params: opts.storedParams ? withStoredParams(opts.params, p.sp.meta.storedParams) : opts.params,
  }));
  const entries: ProcessJobEntry[] = items.map((p) => ({
    file: p.sp.meta.sourceFile ?? '',
    record: p.sp.meta.record,
    name: p.name,
    ok: false,
    outputs: [],
    warnings: p.sp.meta.warnings,
  }));
  const total = batch.length;
  let written = 0;
  // Outputs are written in order of completion; plots are rendered one at a time.
  let writing: Promise<void> = Promise.resolve();
  const result = await processBatch(batch, {
    params: opts.params,
    workers: opts.workers,
    signal: opts.signal,
    onProgress: (_done, _total, outcome) => {
      const entry = entries[outcome.index];
      if (!outcome.ok) {
        entry.error = `${entry.file}${entry.record ? ` [${entry.record}]` : ''}: ${outcome.error.message}`;
        written++;
        opts.onProgress?.(written, total);
        return;
      }
      const r = outcome.result;
      writing = writing.then(async () => {
        try {
          entry.outputs = await writeOutputs(items[outcome.index], r, opts);
          entry.ok = true;
          entry.e0 = r.e0;
          entry.edgeStep = r.edgeStep;
        } catch (err) {
          entry.error = `${entry.name}: writing outputs failed: ${(err as Error).message}`;
        }
        written++;
        opts.onProgress?.(written, total);
      });
    },
  });
  await writing;
  for (let i = 0; i < entries.length; i++) {
    if (!result.outcomes[i] && !entries[i].error) entries[i].error = 'not processed (interrupted)';
  }
  return [...failed, ...entries];
}
