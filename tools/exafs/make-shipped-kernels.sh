#!/bin/sh
# Rebuilds the shipped kernel tables kernels/ni-k.xkt and kernels/cu-k.xkt with Debian feff85exafs.
# Resumable: finished FEFF batches stay in .tmp/kernels-<el>/ and are reused.
set -e
cd "$(dirname "$0")/../.."
node --import tsx src/cli/main.ts exafs kernels --element Ni --a 3.524 --out kernels/ni-k.xkt --work .tmp/kernels-ni --validate 150
node --import tsx src/cli/main.ts exafs kernels --element Cu --a 3.615 --out kernels/cu-k.xkt --work .tmp/kernels-cu --validate 150
