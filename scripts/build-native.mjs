#!/usr/bin/env node
// Placeholder until the native BLAS addon lands: nothing to build yet.
