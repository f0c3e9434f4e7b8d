#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Smoke test of the system benchmark: run.sh BUILD --quick (TCG), then
# checks that every figure is in BUILD/bench/quick/results.json, the Linux
# guest's rows too when this machine could make the guest (guest.sh
# prepare; else the results must say why it was left out), and that the
# HTML report has a chart per row, and that --profile attached a profile
# of the round-trip row naming the channel path. Exit 0 or 1.
set -euo pipefail
build=${1:?usage: smoke.sh BUILD_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ISOLA_ACCEL=tcg "$here/run.sh" "$build" --quick --profile
python3 - "$build/bench/quick" <<'PY'
import json, os, sys
out = sys.argv[1]
r = json.load(open(os.path.join(out, "results.json")))
need_iso = ["cycles_read", "kernel_call", "yield", "roundtrip", "select_roundtrip", "spawn",
            "image_open_per_kib_benchbig"] + ["roundtrip_block_%d" % n for n in (4, 64, 1024, 4096, 65536)]
need_lin = ["cycles_read", "kernel_call", "yield", "spawn"] + [
    "%s_%d" % (m, n) for m in ("pipe", "unix", "futex") for n in (1, 8, 64, 1024, 4096, 65536)]
missing = [("isola", k) for k in need_iso if k not in r["isola"]["raw"]]
missing += [("linux", k) for k in need_lin if k not in r["linux"]["raw"]]
if r["linux_guest"] is not None:
    missing += [("linux guest", k) for k in need_lin + ["boot_ms"] if k not in r["linux_guest"]["raw"]]
    print("smoke: Linux guest measured (%s)" % r["linux_guest"].get("kernel"))
elif not r.get("linux_guest_note"):
    missing.append(("linux guest", "the reason it was left out"))
else:
    print("smoke: Linux guest left out: %s" % r["linux_guest_note"])
if r["isola"].get("boot_ms") is None:
    missing.append(("isola", "boot_ms"))
if r.get("accel") not in ("tcg", "kvm"):
    missing.append(("", "accel"))
page = open(os.path.join(out, "report.html")).read()
for k in ("kernel_call", "yield", "roundtrip", "rt_65536", "spawn"):
    if 'class="chart" data-row="%s"' % k not in page:
        missing.append(("report.html", "chart " + k))
prof = open(os.path.join(out, "profile.md")).read()
# (A short run: the names of the channel path, not their ranks; the
# ranking is qemu.prof.bench_roundtrip's.)
for k in ("samples at 1000 Hz", "kernel `chan_", "[benchpong]`"):
    if k not in prof:
        missing.append(("profile.md", k))
if "<h2>Profile</h2>" not in page:
    missing.append(("report.html", "the profile"))
for side, k in missing:
    print("smoke: missing %s %s" % (side, k))
sys.exit(1 if missing else 0)
PY
echo "smoke: every row present"
