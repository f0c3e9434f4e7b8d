#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The report of the system benchmark (run.sh): reads OUT/isola.txt,
# OUT/linux-guest.txt (Linux in the same QEMU), OUT/linux.txt (Linux on the
# host), OUT/boot.txt and OUT/kernel.txt, writes OUT/results.json,
# OUT/table.md (printed too; with --doc also put between the result markers
# of docs/performance.md), OUT/report.html (report_html.py) and the plot's
# data and script OUT/roundtrip.gp. The rows of the table are table_rows(),
# which the HTML report and the tests (test_report.py) share.
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import sys

# Nothing generated in the source tree: no __pycache__ next to the scripts.
sys.dont_write_bytecode = True

# The markers in docs/performance.md: a normal run's table, an icount run's.
MARKERS = {False: ("<!-- bench:results -->", "<!-- /bench:results -->"),
           True: ("<!-- bench:icount -->", "<!-- /bench:icount -->")}

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
         "rt_65536": "= 4-byte round trip", "spawn": "<= 50,000",
         "boot": "<= 20 ms"}
SIZES = [4, 64, 1024, 4096, 65536]
LINUX_SIZES = [1, 8, 64, 1024, 4096, 65536]
# The series of a row, in the order of the table's columns and the bars.
SERIES = ("isola", "guest", "host", "sing07")


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
    r = (rows or {}).get(key)
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


def row(rid, label, iso_key, lin_key, how, goal="", kind="count"):
    """One table row: which raw figure each side shows. kind "count" rows
    are cycles or, under icount, instructions; "ms" rows are times."""
    return {"id": rid, "label": label, "iso_key": iso_key, "lin_key": lin_key,
            "sing07": SING07.get(rid), "paper06": PAPER06.get(rid),
            "goal": goal, "how": how, "kind": kind}


def row_specs():
    """Every row of the table, in order."""
    specs = [
        row("cycles_read", "read the cycle counter", "cycles_read", "cycles_read",
            "`isola_cycles()` / `rdtsc`"),
        row("loop", "empty measured loop iteration", "loop", "loop",
            "the measuring loop alone"),
        row("kernel_call", "kernel call", "kernel_call", "kernel_call",
            "`isola_args(buf, 0)` / `syscall(SYS_getpid)`", GOALS["kernel_call"]),
        row("yield", "thread yield", "yield", "yield",
            "per yield, two SIPs / two threads yielding", GOALS["yield"]),
        row("roundtrip", "message round trip, 8 B", "roundtrip", "pipe_8",
            "channel ping+pong / pipe ping-pong", GOALS["roundtrip"]),
    ]
    for n, ln in zip(SIZES, [1, 64, 1024, 4096, 65536]):
        specs.append(row("rt_%d" % n, "round trip, %s block / pipe" % size_name(n, ln),
                         "roundtrip_block_%d" % n, "pipe_%d" % ln,
                         "exchange-heap block moved / bytes copied through a pipe",
                         GOALS.get("rt_%d" % n, "")))
    for mech, what in (("unix", "UNIX socket"), ("futex", "futex + copy")):
        for n in LINUX_SIZES:
            specs.append(row("%s_%d" % (mech, n), "%s round trip, %s" % (what, size_name(n, n)),
                             None, "%s_%d" % (mech, n),
                             "Linux only: " + ("socketpair ping-pong" if mech == "unix" else
                                               "shared memory, copy in and out, futex wake/wait")))
    specs += [
        row("select_roundtrip", "round trip through select (8 endpoints)", "select_roundtrip",
            None, "Singularity: 2-thread wait-set ping-pong"),
        row("spawn", "create, start and end a process", "spawn", "spawn",
            "verified image: spawn+wait / fork+exec+wait of a static hello", GOALS["spawn"]),
        row("image_per_kib", "load a new image, per KiB", "image_open_per_kib_benchbig", None,
            "first `image_open` of benchbig (verify + prepare)"),
        row("boot", "boot: kernel entry to shell prompt (ms)", "boot_ms", None,
            "kernel's entry-to-ready + host clock to the prompt", GOALS["boot"], "ms"),
        row("linux_boot", "boot: Linux kernel start to /init (ms)", None, "boot_ms",
            "the guest's /proc/uptime when /init starts", "", "ms"),
    ]
    return specs


def size_name(n, ln):
    def one(v):
        return "%d KiB" % (v // 1024) if v >= 1024 else "%d B" % v
    return one(n) if n == ln else "%s / %s" % (one(n), one(ln))


def table_rows(res):
    """The rows with their figures: one value per series (None: not
    measured), from a results.json dictionary."""
    iso = res["isola"]["raw"]
    guest = (res.get("linux_guest") or {}).get("raw")
    host = res["linux"]["raw"]
    out = []
    for s in row_specs():
        r = dict(s)
        r["isola"] = med(iso, s["iso_key"]) if s["iso_key"] else None
        if s["iso_key"] == "boot_ms":
            r["isola"] = res["isola"].get("boot_ms")
        r["guest"] = med(guest, s["lin_key"]) if s["lin_key"] and guest else None
        r["host"] = med(host, s["lin_key"]) if s["lin_key"] and s["id"] != "linux_boot" else None
        out.append(r)
    return out


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


def headers(res):
    """Column titles: what each number is depends on the mode."""
    if res.get("icount"):
        unit = "instructions"
        emu = "QEMU TCG, -icount"
    elif res["accel"] == "tcg":
        unit, emu = "cycles", "QEMU TCG"
    else:
        unit, emu = "cycles", "QEMU KVM"
    return {"op": "operation (%s per operation)" % unit,
            "isola": "Isola, %s" % emu,
            "guest": "Linux, same QEMU",
            "ratio": "Isola / Linux, same QEMU",
            "host": "Linux, host (native cycles; context)"}


def table(res):
    h = headers(res)
    hw = res["accel"] == "kvm" and not res.get("icount")
    cols = [h["op"], h["isola"], h["guest"], h["ratio"], h["host"], "Singularity 2007"]
    if hw:
        cols.append("Isola / Sing. 2007")
    cols += ["Sing. / Linux / Windows 2006", "goal", "measured as"]
    out = ["| " + " | ".join(cols) + " |",
           "|---|" + "---:|" * (len(cols) - 3) + "---|---|"]
    for r in table_rows(res):
        u = " ms" if r["kind"] == "ms" else ""
        p6 = "-" if r["paper06"] is None else " / ".join("{:,}".format(x) for x in r["paper06"])
        cells = [r["label"], fmt(r["isola"], u), fmt(r["guest"], u),
                 ratio(r["isola"], r["guest"]), fmt(r["host"], u), fmt(r["sing07"])]
        if hw:
            cells.append(ratio(r["isola"], r["sing07"]))
        cells += [p6, r["goal"], r["how"]]
        out.append("| " + " | ".join(cells) + " |")
    return out


def notes(res):
    """The lines above the table: how to read this run's columns."""
    m = res["machine"]
    lines = ["Measured %s with `%s`; accelerator: %s (`%s`%s)." % (
        res["date"], res["command"], res["accel"].upper(), res["accel_args"],
        " -icount shift=0" if res.get("icount") else ""),
        "Machine: %s, %d CPUs (`nproc`), %d MiB memory, Linux %s." % (
            m["cpu"], m["cpus"], m["memory_mib"], m["kernel"]), ""]
    g = res.get("linux_guest")
    if g:
        lines += ["Linux in the same QEMU: Debian's kernel %s (%s), busybox initramfs, one CPU, "
                  "256 MiB, as Isola; mitigations as Debian ships them (meltdown: %s)." % (
                      g.get("kernel", "?"), g.get("packages", "?"), g.get("meltdown", "?")), ""]
    else:
        lines += ["**Linux in the same QEMU: left out (%s).**" % res.get("linux_guest_note", "?"), ""]
    if res.get("icount"):
        lines += ["**Instruction counts (`-icount shift=0`): the guest's TSC advances one tick per "
                  "instruction executed, so the Isola and same-QEMU Linux columns are path lengths, "
                  "repeatable run after run, not times. The host column is native cycles and the "
                  "boot rows are milliseconds (Isola's partly on the host's clock): neither is an "
                  "instruction count.**", ""]
    elif res["accel"] == "tcg":
        lines += ["**Isola and the same-QEMU Linux ran under TCG (QEMU's software emulation): "
                  "their cycle counts are host cycles spent emulating, comparable with each other "
                  "but not with hardware; the host column is native Linux, for context.**", ""]
    if not res["linux"].get("static_hello", True):
        lines += ["The host's exec benchmark ran a dynamically linked hello (no static C library).", ""]
    return lines


def profile_text(out):
    """The profile (run.sh --profile, profile_md.py) it left in
    OUT/profile.md, or "" when there is none."""
    p = os.path.join(out, "profile.md")
    return open(p).read().rstrip() if os.path.exists(p) else ""


def plot(res, out):
    iso, lin = res["isola"], res.get("linux_guest") or res["linux"]
    with open(os.path.join(out, "roundtrip.dat"), "w") as f:
        f.write("# isola: size cycles (8 B inline, then blocks)\n8 %s\n" % med(iso["raw"], "roundtrip"))
        for n in SIZES:
            f.write("%d %s\n" % (n, med(iso["raw"], "roundtrip_block_%d" % n)))
        for mech in ("pipe", "unix", "futex"):
            f.write("\n\n# %s\n" % mech)
            for n in LINUX_SIZES:
                f.write("%d %s\n" % (n, med(lin["raw"], "%s_%d" % (mech, n))))
    where = "same QEMU" if res.get("linux_guest") else "host"
    with open(os.path.join(out, "roundtrip.gp"), "w") as f:
        f.write("""set terminal svg size 800,500 dynamic
set output '%(o)s/roundtrip.svg'
set title 'Round trip against message size (median %(u)s)'
set logscale xy
set xlabel 'message size (bytes)'
set ylabel '%(u)s'
set key left top
set grid
plot '%(o)s/roundtrip.dat' index 0 with linespoints title 'Isola channel', \\
     '' index 1 with linespoints title 'Linux pipe (%(w)s)', \\
     '' index 2 with linespoints title 'Linux UNIX socket (%(w)s)', \\
     '' index 3 with linespoints title 'Linux futex + copy (%(w)s)'
""" % {"o": out, "w": where, "u": "instructions" if res.get("icount") else "cycles"})


def side(rows, kind, boot=None):
    s = {"raw": rows}
    if kind == "isola":
        s["boot_ms"] = boot
    return s


def collect(args):
    o = args.out
    boot_path = os.path.join(o, "boot.txt")
    boot_lines = open(boot_path).read().splitlines() if os.path.exists(boot_path) else []
    boot_list = [float(l.split()[1]) for l in boot_lines if l.startswith("boot_ms")]
    iso = side(read_rows(os.path.join(o, "isola.txt")), "isola",
               statistics.median(boot_list) if boot_list else None)
    iso["boot_runs_ms"] = [l.split()[1:4] for l in boot_lines]
    kpath = os.path.join(o, "kernel.txt")
    iso["kernel_side"] = [l.rstrip() for l in open(kpath)] if os.path.exists(kpath) else []
    ipath = os.path.join(o, "irqoff.txt")
    iso["irqoff"] = open(ipath).read().strip() if os.path.exists(ipath) else ""
    lin = side(read_rows(os.path.join(o, "linux.txt")), "linux")
    lin["static_hello"] = args.static_hello == "yes"
    res = {"accel": args.accel, "accel_args": args.accel_args, "icount": args.icount,
           "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "command": args.command,
           "machine": machine(), "isola": iso, "linux": lin, "linux_guest": None,
           "published": {"singularity_2007": SING07, "eurosys_2006_sing_linux_windows": PAPER06}}
    gpath = os.path.join(o, "linux-guest.txt")
    if os.path.exists(gpath) and read_rows(gpath):
        g = side(read_rows(gpath), "linux")
        for l in open(gpath):
            f = l.split(None, 1)
            if len(f) == 2 and f[0] in ("guest_kernel", "guest_meltdown"):
                g[f[0][6:]] = f[1].strip()
        g["packages"] = args.guest_packages
        g["wall_s"] = args.guest_seconds
        res["linux_guest"] = g
    else:
        res["linux_guest_note"] = args.guest_note or "not run"
    return res


def write_doc(path, text, icount):
    begin, end = MARKERS[icount]
    doc = open(path).read()
    if begin not in doc or end not in doc:
        print("no %s markers in %s: left alone" % (begin, path))
        return
    head, rest = doc.split(begin, 1)
    tail = rest.split(end, 1)[1]
    open(path, "w").write(head + begin + "\n" + text + end + tail)
    print("table written into %s" % path)


def main(args):
    res = collect(args)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    lines = notes(res) + table(res)
    if res["isola"]["irqoff"]:
        lines += ["", "Bounded latency (goal: under 50 us), the kernel's latency workload "
                  "under instruction counting (`-icount shift=0`): %s." % res["isola"]["irqoff"]]
    prof = profile_text(args.out)
    if prof:
        lines += ["", prof]  # under the table
    text = "\n".join(lines) + "\n"
    with open(os.path.join(args.out, "table.md"), "w") as f:
        f.write(text)
    print(text)
    plot(res, args.out)
    import report_html
    report_html.write(res, os.path.join(args.out, "report.html"), prof)
    print("results: %s\nreport: %s" % (os.path.join(args.out, "results.json"),
                                       os.path.join(args.out, "report.html")))
    if args.doc and os.path.exists(args.doc):
        write_doc(args.doc, text, res["icount"])


def parse(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--accel", required=True)
    p.add_argument("--accel-args", default="")
    p.add_argument("--icount", action="store_true")
    p.add_argument("--out", required=True)
    p.add_argument("--static-hello", default="yes")
    p.add_argument("--guest-note", default="")
    p.add_argument("--guest-packages", default="")
    p.add_argument("--guest-seconds", type=float, default=None)
    p.add_argument("--doc", default="")
    p.add_argument("--command", default="./isola bench system")
    return p.parse_args(argv)


if __name__ == "__main__":
    main(parse())
