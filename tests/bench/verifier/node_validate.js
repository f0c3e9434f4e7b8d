// SPDX-License-Identifier: MIT
// Node's WebAssembly.validate throughput on one module, for comparison
// with vf_bench. Usage: node node_validate.js FILE [MIN_SECONDS]
'use strict';
const fs = require('fs');
const buf = fs.readFileSync(process.argv[2]);
const minS = Number(process.argv[3] || 1);
// CPU time (user + system) like vf_bench, so other load does not distort it.
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const times = [];
const start = cpu();
while (cpu() - start < minS || times.length < 5) {
  const t0 = cpu();
  if (!WebAssembly.validate(buf)) { console.log('rejected'); process.exit(1); }
  times.push(Math.max(cpu() - t0, 1e-6));
}
times.sort((a, b) => a - b);
const mbs = t => (buf.length / t / 1e6).toFixed(0);
console.log(`${mbs(times[0])} MB/s best, ${mbs(times[times.length >> 1])} MB/s median over ${times.length} runs`);
