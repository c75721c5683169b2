#!/usr/bin/env node
// Launcher: runs the compiled CLI (dist/, built by `npm ci` through the prepare script);
// falls back to the TypeScript sources through tsx when dist/ is missing (development checkout).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
