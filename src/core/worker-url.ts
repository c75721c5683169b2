/**
 * Resolves the URL of a worker-thread module next to the caller, whether the caller runs from
 * compiled JavaScript (dist/) or from TypeScript sources through tsx (tests, benchmarks).
 * Workers inherit the parent's --import tsx flag, so a .ts worker loads under tsx.
 */
export function siblingModuleUrl(callerUrl: string, baseName: string): URL {
  const ext = callerUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${baseName}${ext}`, callerUrl);
}
