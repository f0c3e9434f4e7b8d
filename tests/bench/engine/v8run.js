// SPDX-License-Identifier: MIT
// The V8 side of the engine benchmark, run by node: instantiates one
// kernel's module with no imports (as engrun does), calls run() once to
// warm up (V8 compiles in tiers), then REPS times, and prints the checksum
// in engrun's format and the best wall-clock seconds of the call alone on
// stderr.
// Usage: node v8run.js FILE.wasm [REPS]
'use strict';
const fs = require('fs');

function format(v) {
	if (typeof v === 'bigint')
		return 'i64:' + BigInt.asUintN(64, v).toString();
	return 'i32:' + (v >>> 0).toString();
}

function main(argv) {
	if (argv.length < 1) {
		process.stderr.write('usage: node v8run.js FILE.wasm [REPS]\n');
		return 2;
	}
	const reps = argv.length > 1 ? parseInt(argv[1], 10) : 1;
	const mod = new WebAssembly.Module(fs.readFileSync(argv[0]));
	const run = new WebAssembly.Instance(mod, {}).exports.run;
	let sum = run();
	let best = Infinity;
	for (let i = 0; i < reps; i++) {
		const a = process.hrtime.bigint();
		sum = run();
		const b = process.hrtime.bigint();
		best = Math.min(best, Number(b - a) / 1e9);
	}
	process.stdout.write(format(sum) + '\n');
	process.stderr.write(best.toFixed(6) + '\n');
	return 0;
}

process.exitCode = main(process.argv.slice(2));
