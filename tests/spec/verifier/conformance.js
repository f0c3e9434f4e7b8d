// SPDX-License-Identifier: MIT
// The spec-suite conformance run: reads wast2json command lists and checks
// that sipverify accepts every `module` (and the valid modules of
// assert_unlinkable / assert_uninstantiable / assert_trap) and rejects every
// binary assert_invalid and assert_malformed. Text-format assert_malformed
// cases (.wat) test a text parser the verifier does not have: counted, not run.
// Usage: node conformance.js SIPVERIFY FEATURES JSON...
// FEATURES "off:LIST" checks the feature-off twin: every module that is
// valid with the feature must be rejected as needing a feature
// (ERR_VF_UNSUPPORTED 1200 or ERR_VF_MUTABLE_GLOBAL 1122) under LIST.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const [sipverify, featArg, ...jsons] = process.argv.slice(2);
const off = featArg.startsWith('off:');
const features = off ? featArg.slice(4) : featArg;
const FEATURE_CODES = new Set([1200, 1122]);
const VALID = new Set(['module', 'assert_unlinkable', 'assert_uninstantiable',
  'assert_trap', 'assert_return', 'assert_exhaustion']);
const INVALID = new Set(['assert_invalid', 'assert_malformed']);

// Every case: { file, expect: true (accept) | false (reject), where }.
function collect(jsonPath, cases, skipped) {
  const dir = path.dirname(jsonPath);
  const doc = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  for (const c of doc.commands) {
    if (!c.filename) continue; // assert_return on an action has no module
    const where = `${path.basename(jsonPath)}:${c.line}`;
    if (INVALID.has(c.type)) {
      if (c.module_type !== 'binary') { skipped.push(where); continue; }
      cases.push({ file: path.join(dir, c.filename), expect: false, where, text: c.text });
    } else if (VALID.has(c.type) && c.filename.endsWith('.wasm')) {
      cases.push({ file: path.join(dir, c.filename), expect: true, where });
    }
  }
}

function run(cases) {
  const verdicts = new Map();
  for (let i = 0; i < cases.length; i += 500) {
    const files = cases.slice(i, i + 500).map(c => c.file);
    let out;
    try {
      out = execFileSync(sipverify, ['--wasm', '--format=json', `--features=${features}`, ...files],
        { maxBuffer: 1 << 28 });
    } catch (e) {
      if (e.status !== 1) throw e;
      out = e.stdout;
    }
    for (const f of JSON.parse(out).files) verdicts.set(f.file, f);
  }
  return verdicts;
}

const cases = [], skipped = [];
for (const j of jsons) collect(j, cases, skipped);
const verdicts = run(cases);
let bad = 0;
for (const c of cases) {
  const v = verdicts.get(c.file);
  if (off && c.expect) {
    if (!v || v.valid !== false || !FEATURE_CODES.has(v.error.code)) {
      bad++;
      console.log(`MISMATCH ${c.where} ${c.file}: expected a feature rejection, got ${v && v.error ? v.error.name : 'accepted'}`);
    }
    continue;
  }
  if (!v || v.valid !== c.expect) {
    bad++;
    const got = v && v.error ? `${v.error.name} @${v.error.offset}` : (v ? 'accepted' : 'missing');
    console.log(`MISMATCH ${c.where} ${c.file}: expected ${c.expect ? 'valid' : 'reject (' + c.text + ')'}, got ${got}`);
  }
}
const valid = cases.filter(c => c.expect).length;
console.log(`features=${featArg}: ${cases.length - bad}/${cases.length} verdicts right ` +
  `(${valid} valid, ${cases.length - valid} invalid/malformed binaries); ` +
  `${skipped.length} text-format malformed cases not applicable`);
process.exit(bad ? 1 : 0);
