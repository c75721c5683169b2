/**
 * Per-epoch learning-rate schedules with PyTorch semantics: StepLR (lr₀·γ^⌊epoch/stepSize⌋),
 * CosineAnnealingLR (closed form η_min + (lr₀ − η_min)(1 + cos(π·epoch/T_max))/2) and
 * ReduceLROnPlateau (mode 'min', relative threshold, patience, cooldown, min_lr, and the 1e-8
 * minimum change). State is plain JSON so it can be checkpointed.
 */
import { XasInputError } from '../core/errors.js';

export type ScheduleSpec =
  | { type: 'constant' }
  | { type: 'step'; stepSize: number; gamma?: number }
  | { type: 'cosine'; tMax: number; etaMin?: number }
  | {
      type: 'plateau';
      factor?: number;
      patience?: number;
      threshold?: number;
      cooldown?: number;
      minLr?: number;
    };

export interface ScheduleState {
  epoch: number;
  lr: number;
  best: number;
  badEpochs: number;
  cooldownLeft: number;
}

export class LrSchedule {
  state: ScheduleState;

  constructor(
    readonly spec: ScheduleSpec,
    readonly baseLr: number,
  ) {
    const bad = (field: string, expected: string) => {
      throw new XasInputError('invalid learning-rate schedule option', {
        field: `schedule.${field}`,
        expected,
      });
    };
    if (spec.type === 'step' && !(Number.isInteger(spec.stepSize) && spec.stepSize >= 1))
      bad('stepSize', 'an integer >= 1');
    if (spec.type === 'cosine' && !(spec.tMax > 0)) bad('tMax', 'a positive number of epochs');
    if (spec.type === 'plateau' && spec.factor !== undefined && !(spec.factor > 0 && spec.factor < 1)) {
      bad('factor', 'a number in (0, 1)');
    }
    if (!['constant', 'step', 'cosine', 'plateau'].includes(spec.type))
      bad('type', 'constant, step, cosine or plateau');
    this.state = { epoch: 0, lr: baseLr, best: Number.POSITIVE_INFINITY, badEpochs: 0, cooldownLeft: 0 };
  }

  get lr(): number {
    return this.state.lr;
  }

  /** Call once at the end of each epoch with the validation (or training) loss. */
  step(metric: number): number {
    const s = this.state;
    s.epoch++;
    const sp = this.spec;
    if (sp.type === 'step') s.lr = this.baseLr * (sp.gamma ?? 0.1) ** Math.floor(s.epoch / sp.stepSize);
    else if (sp.type === 'cosine') {
      const etaMin = sp.etaMin ?? 0;
      s.lr = etaMin + ((this.baseLr - etaMin) * (1 + Math.cos((Math.PI * s.epoch) / sp.tMax))) / 2;
    } else if (sp.type === 'plateau') {
      const threshold = sp.threshold ?? 1e-4;
      if (metric < s.best * (1 - threshold)) {
        s.best = metric;
        s.badEpochs = 0;
      } else s.badEpochs++;
      if (s.cooldownLeft > 0) {
        s.cooldownLeft--;
        s.badEpochs = 0;
      }
      if (s.badEpochs > (sp.patience ?? 10)) {
        const next = Math.max(s.lr * (sp.factor ?? 0.1), sp.minLr ?? 0);
        if (s.lr - next > 1e-8) s.lr = next;
        s.cooldownLeft = sp.cooldown ?? 0;
        s.badEpochs = 0;
      }
    }
    return s.lr;
  }
}
