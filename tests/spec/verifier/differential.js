// SPDX-License-Identifier: MIT
// Differential test: sipverify's verdict against wabt's wasm-validate, with
// the same feature flags, on every binary of the converted spec suite, on
// thousands of mutated copies of them (fixed seed, so runs repeat), and on
// real modules (the .wasm files of the npm packages sql.js and esbuild-wasm,
// installed into the build directory at test time).
// Usage: node differential.js SIPVERIFY CONV_DIR WORK_DIR [NPM_DIR] [MUTANTS]
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync, execFile } = require('child_process');

const [sipverify, conv, work, npmDir, mutantsArg] = process.argv.slice(2);
const MUTANTS = Number(mutantsArg || 3000);

const ALL = ['sign-ext', 'sat-float-to-int', 'bulk-memory', 'mutable-globals', 'multi-value'];
const WABT_OFF = {
  'sign-ext': '--disable-sign-extension',
  'sat-float-to-int': '--disable-saturating-float-to-int',
  'bulk-memory': '--disable-bulk-memory',
  'mutable-globals': '--disable-mutable-globals',
  'multi-value': '--disable-multi-value',
};
function wabtFlags(features) {
  const on = features === 'all' ? ALL : features.split(',').filter(f => f !== 'mvp');
  const flags = ['--disable-reference-types', '--disable-simd'];
  for (const f of ALL) if (!on.includes(f)) flags.push(WABT_OFF[f]);
  return flags;
}

function sipVerdicts(files, features) {
  const out = new Map();
  for (let i = 0; i < files.length; i += 500) {
    const chunk = files.slice(i, i + 500);
    let text;
    try {
      text = execFileSync(sipverify, ['--wasm', '--format=json', `--features=${features}`, ...chunk],
        { maxBuffer: 1 << 28 });
    } catch (e) {
      if (e.status !== 1) throw e;
      text = e.stdout;
    }
    for (const f of JSON.parse(text).files) out.set(f.file, f);
  }
  return out;
}

// wasm-validate, two at a time (the machine has two cores).
function wabtVerdicts(files, features) {
  const flags = wabtFlags(features);
  const out = new Map();
  let next = 0;
  return new Promise(resolve => {
    let running = 0;
    const pump = () => {
      while (running < 2 && next < files.length) {
        const f = files[next++];
        running++;
        execFile('wasm-validate', [...flags, f], (err, _o, stderr) => {
          out.set(f, { valid: !err, msg: String(stderr).split('\n')[0] });
          running--;
          if (next >= files.length && running === 0) resolve(out);
          else pump();
        });
      }
      if (files.length === 0) resolve(out);
    };
    pump();
  });
}

// Known disagreements, examined: "folder/file" -> reason.
const known = new Map(fs.readFileSync(path.join(__dirname, 'differential-known.txt'), 'utf8')
  .split('\n').filter(l => l && !l.startsWith('#'))
  .map(l => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
const seenKnown = new Set();

async function compare(label, files, features, report) {
  const a = sipVerdicts(files, features);
  const b = await wabtVerdicts(files, features);
  let agree = 0, accepted = 0;
  for (const f of files) {
    const s = a.get(f), w = b.get(f);
    if (s && w && s.valid === w.valid) { agree++; accepted += s.valid ? 1 : 0; continue; }
    const key = path.basename(path.dirname(f)) + '/' + path.basename(f);
    if (known.has(key)) { seenKnown.add(key); agree++; continue; }
    report.push(`${label} ${f} [${features}]: sipverify ${s && s.valid ? 'accepts' : 'rejects (' +
      (s && s.error ? s.error.name + ' @' + s.error.offset : '?') + ')'}, ` +
      `wasm-validate ${w && w.valid ? 'accepts' : 'rejects (' + (w ? w.msg : '?') + ')'}`);
  }
  console.log(`${label} [${features}]: ${agree}/${files.length} agree ` +
    `(${accepted} accepted by both, ${agree - accepted} rejected by both or known)`);
  return agree === files.length;
}

// A small deterministic generator, so a mutant set is the same every run.
function rng(seed) {
  let s = seed >>> 0;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

function mutate(buf, r) {
  const b = Buffer.from(buf);
  const n = 1 + (r() % 3);
  let out = b;
  for (let i = 0; i < n && out.length > 8; i++) {
    const at = 8 + (r() % (out.length - 8));
    switch (r() % 4) {
      case 0: out[at] ^= 1 << (r() % 8); break;
      case 1: out[at] = [0x00, 0x7f, 0x80, 0xff, 0x40, 0x0b, 0x01][r() % 7]; break;
      case 2: out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]); break;
      default: out = out.subarray(0, at); break;
    }
  }
  return out;
}

function wasmsIn(dir) {
  return fs.readdirSync(dir).filter(f => f.endsWith('.wasm')).sort().map(f => path.join(dir, f));
}

async function main() {
  const report = [];
  let ok = true;
  const folders = [['core', 'mvp'], ['core-linking', 'mvp,mutable-globals'],
    ['bulk-memory-operations', 'bulk-memory,mutable-globals'], ['multi-value', 'multi-value'],
    ['nontrapping-float-to-int-conversions', 'sat-float-to-int'], ['own-verifier', 'all']];
  const seeds = [];
  for (const [dir, features] of folders) {
    const files = wasmsIn(path.join(conv, dir));
    seeds.push(...files);
    ok = await compare(`suite/${dir}`, files, features, report) && ok;
  }
  // Mutants: of every seed under the full feature set, and of the MVP
  // seeds under the MVP alone (feature gating must agree too).
  const mdir = path.join(work, 'mutants');
  fs.rmSync(mdir, { recursive: true, force: true });
  fs.mkdirSync(mdir, { recursive: true });
  const r = rng(0x15014);
  const makeMutants = (from, n, tag) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const src = from[r() % from.length];
      const f = path.join(mdir, `${tag}${i}.wasm`);
      fs.writeFileSync(f, mutate(fs.readFileSync(src), r));
      out.push(f);
    }
    return out;
  };
  ok = await compare('mutants', makeMutants(seeds, MUTANTS, 'm'), 'all', report) && ok;
  const mvpSeeds = wasmsIn(path.join(conv, 'core'));
  ok = await compare('mutants-mvp', makeMutants(mvpSeeds, Math.ceil(MUTANTS / 3), 'v'),
    'mvp', report) && ok;
  if (npmDir) {
    const real = ['sql.js/dist/sql-wasm.wasm', 'sql.js/dist/sql-wasm-debug.wasm',
      'esbuild-wasm/esbuild.wasm'].map(p => path.join(npmDir, 'node_modules', p));
    for (const f of real) if (!fs.existsSync(f)) { report.push(`missing ${f}`); ok = false; }
    ok = await compare('real', real.filter(f => fs.existsSync(f)), 'all', report) && ok;
    for (const f of real) {
      const v = sipVerdicts([f], 'all').get(f);
      if (!v || !v.valid) { report.push(`real module rejected: ${f}`); ok = false; }
    }
  }
  for (const k of known.keys()) {
    if (!seenKnown.has(k)) { report.push(`listed in differential-known.txt but agrees now: ${k}`); ok = false; }
  }
  for (const [k, why] of known) if (seenKnown.has(k)) console.log(`known ${k}: ${why}`);
  for (const line of report) console.log('DISAGREE ' + line);
  process.exit(ok ? 0 : 1);
}
main();
