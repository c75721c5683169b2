/**
 * Head losses and their gradients with respect to the head's raw outputs z, in PyTorch 1.13
 * conventions with mean reduction:
 * - mse: mean (z − t)² (torch.nn.MSELoss).
 * - gaussian_nll: z = [μ | s], σ² = softplus(s); mean ½(ln max(σ², 1e-6) + (μ − t)²/max(σ², 1e-6))
 *   (torch.nn.GaussianNLLLoss, full = false, eps = 1e-6; the clamp passes the gradient through).
 * - dirichlet_nll: α = exp(clamp(z, −15, 15)) (log link, so the predicted mean α/Σα is the softmax
 *   of z); loss = −mean over samples of ln Dir(t | α) (torch.distributions.Dirichlet.log_prob), with
 *   targets smoothed t' = (t + 1e-6)/(1 + K·1e-6) so absent components stay finite.
 * Gradients are accumulated in double precision and written as float32, scaled by the head weight.
 */
import { digamma, lgamma, softplus, softplusGrad } from './backend/special.js';
import type { LossName } from './spec.js';

export const GAUSSIAN_VAR_EPS = 1e-6;
export const DIRICHLET_LOGIT_CLAMP = 15;
export const DIRICHLET_TARGET_EPS = 1e-6;

/**
 * Loss of one head on a batch: z is [n, outUnits] raw outputs, t is [n, units] targets. Writes
 * weight·∂loss/∂z into dz (same shape as z) when dz is given; returns the unweighted loss.
 */
export function headLoss(
  loss: LossName,
  z: Float32Array,
  t: Float32Array,
  n: number,
  units: number,
  weight: number,
  dz: Float32Array | null,
): number {
  if (loss === 'mse') {
    const count = n * units;
    let s = 0;
    for (let i = 0; i < count; i++) {
      const d = z[i] - t[i];
      s += d * d;
      if (dz) dz[i] = (weight * 2 * d) / count;
    }
    return s / count;
  }
  if (loss === 'gaussian_nll') {
    const count = n * units;
    let s = 0;
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < units; j++) {
        const mu = z[r * 2 * units + j];
        const raw = z[r * 2 * units + units + j];
        const v = Math.max(softplus(raw), GAUSSIAN_VAR_EPS);
        const d = mu - t[r * units + j];
        s += 0.5 * (Math.log(v) + (d * d) / v);
        if (dz) {
          dz[r * 2 * units + j] = (weight * d) / v / count;
          dz[r * 2 * units + units + j] =
            ((weight * 0.5 * (1 / v - (d * d) / (v * v))) / count) * softplusGrad(raw);
        }
      }
    }
    return s / count;
  }
  // dirichlet_nll
  const k = units;
  const alpha = new Float64Array(k);
  const logT = new Float64Array(k);
  let s = 0;
  for (let r = 0; r < n; r++) {
    let a0 = 0;
    for (let j = 0; j < k; j++) {
      const zz = Math.min(DIRICHLET_LOGIT_CLAMP, Math.max(-DIRICHLET_LOGIT_CLAMP, z[r * k + j]));
      alpha[j] = Math.exp(zz);
      a0 += alpha[j];
      logT[j] = Math.log((t[r * k + j] + DIRICHLET_TARGET_EPS) / (1 + k * DIRICHLET_TARGET_EPS));
    }
    let logp = lgamma(a0);
    for (let j = 0; j < k; j++) logp += (alpha[j] - 1) * logT[j] - lgamma(alpha[j]);
    s -= logp;
    if (dz) {
      const psi0 = digamma(a0);
      for (let j = 0; j < k; j++) {
        const zj = z[r * k + j];
        const inside = zj > -DIRICHLET_LOGIT_CLAMP && zj < DIRICHLET_LOGIT_CLAMP;
        const dAlpha = -psi0 + digamma(alpha[j]) - logT[j];
        dz[r * k + j] = inside ? (weight * dAlpha * alpha[j]) / n : 0;
      }
    }
  }
  return s / n;
}

export interface HeadPrediction {
  /** Predicted value (mse), mean (gaussian_nll) or expected fraction (dirichlet_nll), [n, units]. */
  mean: Float32Array;
  /** Predicted (aleatoric) variance for gaussian_nll and dirichlet_nll heads, [n, units]. */
  variance?: Float32Array;
  /** Dirichlet concentrations, [n, units]. */
  alpha?: Float32Array;
}

/** Converts raw head outputs into predictions (in the units the head was trained on). */
export function decodeHead(loss: LossName, z: Float32Array, n: number, units: number): HeadPrediction {
  const mean = new Float32Array(n * units);
  if (loss === 'mse') {
    mean.set(z.subarray(0, n * units));
    return { mean };
  }
  const variance = new Float32Array(n * units);
  if (loss === 'gaussian_nll') {
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < units; j++) {
        mean[r * units + j] = z[r * 2 * units + j];
        variance[r * units + j] = Math.max(softplus(z[r * 2 * units + units + j]), GAUSSIAN_VAR_EPS);
      }
    }
    return { mean, variance };
  }
  const alpha = new Float32Array(n * units);
  for (let r = 0; r < n; r++) {
    let a0 = 0;
    for (let j = 0; j < units; j++) {
      const a = Math.exp(Math.min(DIRICHLET_LOGIT_CLAMP, Math.max(-DIRICHLET_LOGIT_CLAMP, z[r * units + j])));
      alpha[r * units + j] = a;
      a0 += a;
    }
    for (let j = 0; j < units; j++) {
      const a = alpha[r * units + j];
      mean[r * units + j] = a / a0;
      variance[r * units + j] = (a * (a0 - a)) / (a0 * a0 * (a0 + 1));
    }
  }
  return { mean, variance, alpha };
}
