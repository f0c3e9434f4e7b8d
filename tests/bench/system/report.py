#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The report of the system benchmark (run.sh): reads OUT/isola.txt,
# OUT/linux.txt, OUT/boot.txt and OUT/kernel.txt, writes OUT/results.json,
# OUT/table.md (printed too; with --doc also put between the result markers
# of docs/performance.md) and the plot's data and script OUT/roundtrip.gp.
import argparse
import datetime
import json
import os
import platform
import re
import statistics

BEGIN = "<!-- bench:results -->"
END = "<!-- /bench:results -->"

# Published figures, in cycles. EuroSys 2007 ("Sealing OS Processes to
# Improve Dependability and Safety", Table 8) for Singularity; EuroSys 2006
# ("Language Support for Fast and Reliable Message-based Communication in
# Singularity OS", Table 1) for Singularity, Linux and Windows of 2006.
SING07 = {"kernel_call": 91, "yield": 346, "roundtrip": 803, "spawn": 352873}
PAPER06 = {  # Singularity, Linux, Windows
    "kernel_call": (78, 324, 445),
    "yield": (401, 900, 763),
    "select_roundtrip": (2156, 2390, 3554),
    "roundtrip": (2462, 10758, 12806),
}
GOALS = {"kernel_call": "<= 20", "yield": "<= 150", "roundtrip": "<= 400",
         "roundtrip_block_65536": "= 4-byte round trip", "spawn": "<= 50,000",
         "boot_ms": "<= 20 ms", "image_per_kib": ">= 200 MB/s"}
SIZES = [4, 64, 1024, 4096, 65536]
LINUX_SIZES = [1, 8, 64, 1024, 4096, 65536]


def read_rows(path):
    rows = {}
    if not os.path.exists(path):
        return rows
    for line in open(path):
        f = line.split()
        if len(f) == 5 and re.fullmatch(r"[0-9.]+", f[1]):
            rows[f[0]] = {"median": float(f[1]), "p10": float(f[2]),
                          "p90": float(f[3]), "unit": f[4]}
    return rows


def med(rows, key):
    r = rows.get(key)
    return None if r is None else r["median"]


def machine():
    model = "unknown"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem = 0
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            mem = int(line.split()[1]) // 1024
    return {"cpu": model, "cpus": os.cpu_count(), "memory_mib": mem,
            "kernel": platform.release()}


def summary(rows, boot, kind):
    s = {"kernel_call": med(rows, "kernel_call"), "yield": med(rows, "yield"),
         "spawn": med(rows, "spawn")}
    if kind == "isola":
        s["roundtrip"] = med(rows, "roundtrip")
        s["roundtrip_block"] = {str(n): med(rows, "roundtrip_block_%d" % n) for n in SIZES}
        s["select_roundtrip"] = med(rows, "select_roundtrip")
        s["boot_ms"] = boot
    else:
        s["roundtrip"] = med(rows, "pipe_8")
        s["roundtrip_block"] = {str(n): med(rows, "pipe_%d" % n) for n in LINUX_SIZES}
        s["select_roundtrip"] = None
    s["raw"] = rows
    return s


def fmt(v, unit=""):
    if v is None:
        return "-"
    if isinstance(v, float) and v < 100 and v != int(v):
        return "%.2f%s" % (v, unit)
    return "{:,}{}".format(int(round(v)), unit)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    r = a / b
    if r < 0.01:
        return "1/%.0f" % (1 / r)
    return "%.2fx" % r if r < 10 else "%.0fx" % r


def table(iso, lin, accel):
    ir, lr = iso["raw"], lin["raw"]
    per_kib = med(ir, "image_open_per_kib_benchbig")
    rows = [
        ("read the cycle counter", med(ir, "cycles_read"), med(lr, "cycles_read"),
         None, None, "", "`isola_cycles()` / `rdtsc`"),
        ("kernel call", iso["kernel_call"], lin["kernel_call"], SING07["kernel_call"],
         PAPER06["kernel_call"], GOALS["kernel_call"], "`isola_args(buf, 0)` / `syscall(SYS_getpid)`"),
        ("thread yield", iso["yield"], lin["yield"], SING07["yield"], PAPER06["yield"],
         GOALS["yield"], "per yield, two SIPs / two threads yielding"),
        ("message round trip, 8 B", iso["roundtrip"], lin["roundtrip"], SING07["roundtrip"],
         PAPER06["roundtrip"], GOALS["roundtrip"], "channel ping+pong / pipe ping-pong"),
        ("round trip, 4 B block", iso["roundtrip_block"]["4"], med(lr, "pipe_1"), None, None,
         "", "exchange-heap block / pipe, 1 B"),
        ("round trip, 64 KiB block", iso["roundtrip_block"]["65536"], med(lr, "pipe_65536"),
         None, None, GOALS["roundtrip_block_65536"], "block moved / 64 KiB copied through a pipe"),
        ("round trip through select (8 endpoints)", iso["select_roundtrip"], None, None,
         PAPER06["select_roundtrip"], "", "Singularity: 2-thread wait-set ping-pong"),
        ("create, start and end a process", iso["spawn"], lin["spawn"], SING07["spawn"], None,
         GOALS["spawn"], "verified image: spawn+wait / fork+exec+wait of a static hello"),
        ("load a new image, per KiB", per_kib, None, None, None, "",
         "first `image_open` of benchbig (verify + prepare)"),
    ]
    tag = " (TCG: emulated, meaningless)" if accel == "tcg" else ""
    out = ["| operation (cycles) | Isola%s | Linux, this machine | Isola / Linux "
           "| Singularity 2007 | Isola / Sing. 2007 | Sing. / Linux / Windows 2006 "
           "| Isola / Sing. 2006 | goal | measured as |" % tag,
           "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for name, i, l, s7, p6, goal, how in rows:
        p6s = "-" if p6 is None else " / ".join("{:,}".format(x) for x in p6)
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            name, fmt(i), fmt(l), ratio(i, l), fmt(s7), ratio(i, s7), p6s,
            ratio(i, None if p6 is None else p6[0]), goal, how))
    out.append("| boot: kernel entry to shell prompt | %s | - | - | - | - | - | - | %s | "
               "kernel's entry-to-ready + host clock to the prompt |"
               % (fmt(iso["boot_ms"], " ms"), GOALS["boot_ms"]))
    return out


def plot(iso, lin, out):
    with open(os.path.join(out, "roundtrip.dat"), "w") as f:
        f.write("# isola: size cycles (8 B inline, then blocks)\n8 %s\n" % iso["roundtrip"])
        for n in SIZES:
            f.write("%d %s\n" % (n, iso["roundtrip_block"][str(n)]))
        for mech in ("pipe", "unix", "futex"):
            f.write("\n\n# %s\n" % mech)
            for n in LINUX_SIZES:
                f.write("%d %s\n" % (n, med(lin["raw"], "%s_%d" % (mech, n))))
    with open(os.path.join(out, "roundtrip.gp"), "w") as f:
        f.write("""set terminal svg size 800,500 dynamic
set output '%(o)s/roundtrip.svg'
set title 'Round trip against message size (median cycles)'
set logscale xy
set xlabel 'message size (bytes)'
set ylabel 'cycles'
set key left top
set grid
plot '%(o)s/roundtrip.dat' index 0 with linespoints title 'Isola channel (%(a)s)', \\
     '' index 1 with linespoints title 'Linux pipe', \\
     '' index 2 with linespoints title 'Linux UNIX socket', \\
     '' index 3 with linespoints title 'Linux futex + copy'
""" % {"o": out, "a": "TCG" if ARGS.accel == "tcg" else "KVM"})


def main():
    iso_rows = read_rows(os.path.join(ARGS.out, "isola.txt"))
    lin_rows = read_rows(os.path.join(ARGS.out, "linux.txt"))
    boots = read_rows(os.path.join(ARGS.out, "boot.txt"))
    boot_list = [float(l.split()[1]) for l in open(os.path.join(ARGS.out, "boot.txt"))
                 if l.startswith("boot_ms")]
    boot = statistics.median(boot_list) if boot_list else None
    iso = summary(iso_rows, boot, "isola")
    iso["boot_runs_ms"] = [l.split()[1:4] for l in open(os.path.join(ARGS.out, "boot.txt"))]
    kpath = os.path.join(ARGS.out, "kernel.txt")
    iso["kernel_side"] = [l.rstrip() for l in open(kpath)] if os.path.exists(kpath) else []
    ipath = os.path.join(ARGS.out, "irqoff.txt")
    iso["irqoff"] = open(ipath).read().strip() if os.path.exists(ipath) else ""
    lin = summary(lin_rows, None, "linux")
    lin["static_hello"] = ARGS.static_hello == "yes"
    date = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    res = {"accel": ARGS.accel, "accel_args": ARGS.accel_args, "date": date,
           "machine": machine(), "isola": iso, "linux": lin,
           "published": {"singularity_2007": SING07, "eurosys_2006_sing_linux_windows": PAPER06}}
    with open(os.path.join(ARGS.out, "results.json"), "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    m = res["machine"]
    lines = ["Measured %s with `%s`; accelerator: %s (`%s`)." % (
        date, ARGS.command, ARGS.accel.upper(), ARGS.accel_args),
        "Machine: %s, %d CPUs (`nproc`), %d MiB memory, Linux %s." % (
            m["cpu"], m["cpus"], m["memory_mib"], m["kernel"]), ""]
    if ARGS.accel == "tcg":
        lines += ["**Isola ran under TCG (QEMU's software emulation): its cycle counts are "
                  "emulated and meaningless as hardware costs; only the Linux column is "
                  "native.**", ""]
    if not lin["static_hello"]:
        lines += ["The exec benchmark ran a dynamically linked hello (no static C library).", ""]
    lines += table(iso, lin, ARGS.accel)
    if iso["irqoff"]:
        lines += ["", "Bounded latency (goal: under 50 us), the kernel's latency workload "
                  "under instruction counting (`-icount shift=0`): %s." % iso["irqoff"]]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(ARGS.out, "table.md"), "w") as f:
        f.write(text)
    print(text)
    plot(iso, lin, ARGS.out)
    print("results: %s" % os.path.join(ARGS.out, "results.json"))
    if ARGS.doc and os.path.exists(ARGS.doc):
        doc = open(ARGS.doc).read()
        if BEGIN in doc and END in doc:
            head, rest = doc.split(BEGIN, 1)
            tail = rest.split(END, 1)[1]
            open(ARGS.doc, "w").write(head + BEGIN + "\n" + text + END + tail)
            print("table written into %s" % ARGS.doc)


p = argparse.ArgumentParser()
p.add_argument("--accel", required=True)
p.add_argument("--accel-args", default="")
p.add_argument("--out", required=True)
p.add_argument("--static-hello", default="yes")
p.add_argument("--doc", default="")
p.add_argument("--command", default="./isola bench system")
ARGS = p.parse_args()
main()
