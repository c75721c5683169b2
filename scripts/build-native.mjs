#!/usr/bin/env node
// Builds the optional native neural-network addon (native/xasflow_nn.c, OpenBLAS via N-API) into
// native/build/Release/xasflow_nn.node. Run by `npm ci`/`npm install` through the root `prepare`
// script. It NEVER fails the install: when the build is impossible (no compiler, no OpenBLAS, no
// node-gyp) it prints one line and exits 0, and xasflow falls back to its WebAssembly/TypeScript
// kernels. Headers come from the running Node's own prefix (--nodedir), so nothing is downloaded.
// Set XASFLOW_NN_SKIP_NATIVE=1 to skip the build.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const addon = join(nativeDir, 'build', 'Release', 'xasflow_nn.node');
const fallback = 'xasflow will use its WebAssembly/TypeScript kernels (slower training)';

function skip(reason) {
  console.log(`xasflow: native NN addon not built: ${reason}; ${fallback}. See docs/nn.md "Fast path".`);
  process.exit(0);
}

function has(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

function findNodeGyp() {
  const candidates = [];
  try {
    candidates.push(fileURLToPath(import.meta.resolve('node-gyp/bin/node-gyp.js')));
  } catch {
    // not a dependency of the project; use the copy bundled with npm
  }
  if (process.env.npm_execpath) {
    candidates.push(
      join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    );
  }
  const prefix = resolve(process.execPath, '..', '..');
  candidates.push(
    join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  );
  return candidates.find((p) => existsSync(p));
}

function openblasPresent() {
  const dirs = [
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
    '/opt/homebrew/opt/openblas/lib',
    '/usr/local/opt/openblas/lib',
  ];
  const extra = (process.env.LIBRARY_PATH ?? '').split(':').filter(Boolean);
  return [...extra, ...dirs].some((d) =>
    ['libopenblas.so', 'libopenblas.dylib', 'libopenblas.a'].some((f) => existsSync(join(d, f))),
  );
}

if (process.env.XASFLOW_NN_SKIP_NATIVE === '1') skip('XASFLOW_NN_SKIP_NATIVE=1');
if (!has(process.env.CC ?? 'cc')) skip('no C compiler (cc) found');
if (!has('make')) skip("'make' not found");
if (!has('python3')) skip('python3 (needed by node-gyp) not found');
if (!openblasPresent()) skip('OpenBLAS not found (install libopenblas-dev)');
const nodeGyp = findNodeGyp();
if (!nodeGyp) skip('node-gyp not found (it normally ships with npm)');
const nodedir = resolve(process.execPath, '..', '..');
if (!existsSync(join(nodedir, 'include', 'node', 'node_api.h')))
  skip(`Node headers not found under ${nodedir}/include/node`);

const build = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodedir}`, '--loglevel=error'], {
  cwd: nativeDir,
  encoding: 'utf8',
  timeout: 300_000,
});
if (build.status !== 0) {
  rmSync(addon, { force: true });
  const lines = `${build.stderr ?? ''}\n${build.stdout ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter(
      (l) =>
        /error/i.test(l) && !/gyp (ERR!|info) (stack|System|command|cwd|node -v|node-gyp -v|not ok)/.test(l),
    );
  skip(`node-gyp build failed (${lines[0] ?? build.error?.message ?? `exit ${build.status}`})`);
}

// Load the fresh addon in a separate process, resolving every symbol now (RTLD_NOW), and multiply
// two 2×2 matrices, so a build that links but cannot load (missing runtime library or symbol) is
// discarded rather than half-working.
const check = `const m={exports:{}};process.dlopen(m,${JSON.stringify(addon)},require('os').constants.dlopen.RTLD_NOW);const a=m.exports;const A=new Float32Array([1,2,3,4]),C=new Float32Array(4);
a.sgemm(false,false,2,2,2,1,A,2,A,2,0,C,2);if(C.join()!=='7,10,15,22')throw new Error('sgemm check gave '+C.join());`;
const probe = spawnSync(process.execPath, ['-e', check], { encoding: 'utf8', timeout: 60_000 });
if (probe.status !== 0) {
  rmSync(addon, { force: true });
  const why = (probe.stderr ?? '').split('\n').find((l) => /Error/.test(l)) ?? `exit ${probe.status}`;
  skip(`the built addon does not load (${why.trim()})`);
}
console.log(`xasflow: native NN addon built (OpenBLAS): ${addon}`);
