// SPDX-License-Identifier: MIT
// Node's WebAssembly.validate throughput on one module, for comparison
// with vf_bench. Usage: node node_validate.js FILE [MIN_SECONDS]
'use strict';
const fs = require('fs');
const buf = fs.readFileSync(process.argv[2]);
const minS = Number(process.argv[3] || 1);
const times = [];
const start = process.hrtime.bigint();
while (Number(process.hrtime.bigint() - start) / 1e9 < minS || times.length < 5) {
  const t0 = process.hrtime.bigint();
  if (!WebAssembly.validate(buf)) { console.log('rejected'); process.exit(1); }
  times.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
times.sort((a, b) => a - b);
const mbs = t => (buf.length / t / 1e6).toFixed(0);
console.log(`${mbs(times[0])} MB/s best, ${mbs(times[times.length >> 1])} MB/s median over ${times.length} runs`);
