#!/usr/bin/env node
// Runs every test/**/*.test.ts with node:test through tsx.
// Node 20's `node --test <dir>` silently finds no .ts files, so the files are listed here.
// Usage: npm test [-- <path-prefix>...]   e.g. npm test -- test/io test/process/autobk
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function walk(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const root = new URL('..', import.meta.url).pathname;
const prefixes = process.argv.slice(2);
let files = walk(join(root, 'test'), []).map((f) => relative(root, f));
if (prefixes.length > 0) files = files.filter((f) => prefixes.some((p) => f.startsWith(p)));
if (files.length === 0) {
  console.error(`run-tests: no test files match ${prefixes.join(' ') || 'test/**/*.test.ts'}`);
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', ...files];
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
