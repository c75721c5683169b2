/**
 * Plain-text summaries of XANES results for the terminal: a library's references, an LCF result,
 * a PCA model with target transformations and MCR-ALS, and a composition prediction.
 */
import type { LcfResult } from './lcf.js';
import type { XanesLibrary } from './library.js';
import type { McrResult } from './mcr-als.js';
import type { PcaFitResult, PcaModel } from './pca.js';
import type { PredictResult } from './predict.js';

export function libraryText(lib: XanesLibrary, out: string): string[] {
  return [
    `${lib.references.length} references, ${lib.element ?? '?'} ${lib.edge ?? '?'} edge → ${out}`,
    ...lib.references.map((r) => {
      const ox = r.meta.oxidationState !== undefined ? ` (${r.meta.oxidationState})` : '';
      const shift = r.energyShiftEv ? `  shift ${r.energyShiftEv.toFixed(3)} eV` : '';
      return `  ${r.name.padEnd(30)} E0 ${r.e0.toFixed(2)} eV  step ${r.edgeStep.toPrecision(4)}  ${r.meta.species ?? ''}${ox}${shift}`;
    }),
  ];
}

export function lcfText(r: LcfResult, label: string): string[] {
  const lines = [
    `${label}: ${r.npts} points ${r.x[0]}–${r.x[r.npts - 1]} eV, R-factor ${r.rfactor.toExponential(3)}, reduced χ² ${r.redchi.toExponential(3)}`,
    ...r.labels.map(
      (l, j) =>
        `  ${l.padEnd(30)} ${r.weights[j].toFixed(4)} ± ${r.stderr[j].toFixed(4)}${r.atBound[j] ? ' (at bound)' : ''}`,
    ),
  ];
  if (r.e0Shift !== null)
    lines.push(`  e0 shift ${r.e0Shift.toFixed(3)} ± ${(r.e0ShiftStderr ?? 0).toFixed(3)} eV`);
  const shifts = r.shiftsEv;
  if (shifts) {
    r.labels.forEach((l, j) => {
      lines.push(`  shift of ${l}: ${shifts[j].toFixed(3)} eV`);
    });
  }
  return lines;
}

export function pcaText(
  model: PcaModel,
  targets: (PcaFitResult & { label: string })[],
  mcr: McrResult | null,
): string[] {
  const lines = [
    `${model.labels.length} spectra, ${model.x.length} points; IND minimum at ${model.nsig} components, F-test: ${model.nsigF} significant at 5 %`,
  ];
  model.eigenvalues.forEach((v, k) => {
    if (k >= 10) return;
    const ind = model.ind[k + 1]?.toPrecision(4) ?? '-';
    lines.push(
      `  ${String(k + 1).padStart(2)}  eigenvalue ${v.toPrecision(5)}  variance ${(100 * model.variances[k]).toFixed(2)} %  IND ${ind}  F ${model.fSignificance[k].toFixed(2)} %`,
    );
  });
  for (const t of targets)
    lines.push(
      `  target ${t.label}: χ² ${t.chiSquare.toPrecision(4)}, R ${t.rfactor.toExponential(2)}, scale ${t.scale.toFixed(4)}`,
    );
  if (mcr) {
    lines.push(
      `MCR-ALS, ${mcr.spectra.length} components: lack of fit ${mcr.lackOfFitPercent.toFixed(3)} % after ${mcr.iterations} iterations${mcr.converged ? '' : ' (not converged)'}`,
    );
    model.labels.forEach((l, i) => {
      lines.push(`  ${l.padEnd(30)} ${Array.from(mcr.concentrations[i], (v) => v.toFixed(3)).join('  ')}`);
    });
  }
  return lines;
}

export function predictText(p: PredictResult, label: string): string[] {
  const lines = [`${label}: network fractions (calibrated 90 % intervals)`];
  for (const c of p.cnn.filter((x) => x.mean >= 0.01)) {
    const i90 = c.intervals.find((q) => q.level === 0.9);
    lines.push(
      `  ${c.name.padEnd(30)} ${c.mean.toFixed(3)}  [${i90?.lower.toFixed(3)}, ${i90?.upper.toFixed(3)}]`,
    );
  }
  if (p.cnnWithPrior) {
    lines.push('network combined with the expected composition (mean, 90 % interval):');
    for (const c of p.cnnWithPrior)
      lines.push(
        `  ${c.name.padEnd(30)} ${c.mean.toFixed(3)}  [${c.intervals[1].lower.toFixed(3)}, ${c.intervals[1].upper.toFixed(3)}]`,
      );
  }
  const post = p.posterior;
  if (post) {
    lines.push(`posterior over ${p.candidates.join(', ')} (mean, 90 % credible interval):`);
    post.fractions.forEach((f, j) => {
      lines.push(
        `  ${post.labels[j].padEnd(30)} ${f.mean.toFixed(3)}  [${f.intervals[1].lower.toFixed(3)}, ${f.intervals[1].upper.toFixed(3)}]`,
      );
    });
    lines.push(
      `  energy shift ${post.shiftEv.mean.toFixed(2)} ± ${post.shiftEv.sd.toFixed(2)} eV, noise σ ${post.noiseSigma.mean.toExponential(2)}, acceptance ${post.diagnostics.meanAcceptance.toFixed(2)}`,
    );
  }
  if (p.posteriorCalibrated) {
    lines.push('posterior with recalibrated intervals (mean, 90 % interval; * = from the network):');
    for (const c of p.posteriorCalibrated) {
      if (c.source === 'network' && c.intervals[1].upper < 0.02) continue;
      lines.push(
        `  ${c.name.padEnd(30)} ${c.mean.toFixed(3)}  [${c.intervals[1].lower.toFixed(3)}, ${c.intervals[1].upper.toFixed(3)}]${c.source === 'network' ? ' *' : ''}`,
      );
    }
  }
  return lines;
}
