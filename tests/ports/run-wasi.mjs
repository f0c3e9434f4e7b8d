// SPDX-License-Identifier: MIT
// Runs a wasm32-wasi command module under Node's WASI (preview 1), the
// peer the ports are compared with (docs/ports.md), and exits with its
// exit status.
//
//   node run-wasi.mjs [--dir HOST:GUEST]... [--env NAME=VALUE]... MODULE.wasm [ARG...]
//
// --dir  preopens HOST as GUEST; --env sets one variable (there are no
// others). argv[0] is MODULE's name without .wasm, as Isola's shell
// passes a SIP's name. stdin, stdout and stderr are Node's own.
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { WASI } from 'node:wasi';

// Node 20 calls WASI functions through V8's fast API calls from optimised
// code, which can start a collection at an unsafe point and corrupt the
// heap after a long run (zstd at high levels); the slow path is safe.
setFlagsFromString('--no-turbo-fast-api-calls');

const usage = () => {
  process.stderr.write('usage: run-wasi.mjs [--dir HOST:GUEST]... [--env NAME=VALUE]... MODULE.wasm [ARG...]\n');
  process.exit(2);
};
const argv = process.argv.slice(2);
const preopens = {};
const env = {};
while (argv.length && argv[0].startsWith('--')) {
  const opt = argv.shift();
  const val = argv.shift();
  const at = val === undefined ? -1 : val.indexOf(opt === '--dir' ? ':' : '=');
  if (at <= 0) usage();
  if (opt === '--dir') preopens[val.slice(at + 1)] = resolve(val.slice(0, at));
  else if (opt === '--env') env[val.slice(0, at)] = val.slice(at + 1);
  else usage();
}
const file = argv.shift();
if (file === undefined) usage();
const wasi = new WASI({
  version: 'preview1',
  args: [basename(file).replace(/\.wasm$/, ''), ...argv],
  env,
  preopens,
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
let code;
try {
  code = wasi.start(instance);
} catch (e) {
  process.stderr.write(`run-wasi: ${file}: ${e}\n`);
  code = 134;
}
process.exitCode = code;
