#!/usr/bin/env node
// Launcher: runs the compiled CLI (dist/, built by `npm ci` through the prepare script) when it is
// up to date; in a development checkout where src/ has changed since the last build (or dist/ is
// missing) it runs the TypeScript sources through tsx instead, so a stale build is never used.
import { existsSync, readdirSync, statSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const srcDir = new URL('../src/', import.meta.url);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const useDist =
  existsSync(compiled) && (!existsSync(srcDir) || statSync(compiled).mtimeMs >= newestMtime(srcDir));
if (useDist) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
