/**
 * The memos of the processing stage in one place: AUTOBK designs (per grid, knots and window), fit and
 * xftf windows (per k range and window settings) and Student-t quantiles (per degrees of freedom).
 * They only hold values computed from parameters and grids, never a spectrum's results.
 */
import { clearDesignCache } from './autobk-design.js';
import { clearFitWindows } from './autobk-prepare.js';
import { clearQuantiles } from './stats.js';
import { clearXftfWindows } from './xft.js';

/** Drops every memo (cold-start timing, memory-sensitive callers). */
export function clearProcessCaches(): void {
  clearDesignCache();
  clearFitWindows();
  clearXftfWindows();
  clearQuantiles();
}
