#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Host test of the system benchmark's report logic (ctest unit.bench.report):
# the HTML report of a fixture results.json (testdata/, from an --icount
# --quick run) must have a chart for every row that has a figure and each
# bar at its value's length; the Markdown table a line per row; compare.py
# must find the largest per-row difference and fail on a missing row. The
# checker itself is tested on tampered pages, so it cannot pass vacuously.
import contextlib
import copy
import io
import json
import os
import sys
import unittest
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import compare  # noqa: E402
import profile_md  # noqa: E402
import report  # noqa: E402
import report_html  # noqa: E402

FIXTURE = json.load(open(os.path.join(HERE, "testdata", "results.json")))

# Figures read by hand from the fixture: (row, series) -> value; None:
# the row must have no bar for that series.
EXPECTED = {
    ("kernel_call", "isola"): 206, ("kernel_call", "guest"): 322,
    ("kernel_call", "host"): 1987, ("kernel_call", "sing07"): 91,
    ("roundtrip", "sing07"): 803, ("rt_65536", "isola"): 11939,
    ("rt_65536", "guest"): 431380, ("unix_8", "guest"): 21654,
    ("unix_8", "isola"): None, ("select_roundtrip", "guest"): None,
    ("boot", "isola"): 144.974, ("linux_boot", "guest"): 1690,
    ("linux_boot", "host"): None,
}


class Page(HTMLParser):
    """The charts and bars of a report page."""

    def __init__(self):
        super().__init__()
        self.charts, self.bars = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and a.get("class") == "chart":
            self.charts.append(a["data-row"])
        if tag == "rect" and a.get("class") == "bar":
            self.bars.append(a)


def problems(res, page_text):
    """What is wrong with a page against its results: missing charts and
    bars, bars of the wrong value or length, bars that should not be."""
    page = Page()
    page.feed(page_text)
    found = {(b["data-row"], b["data-series"]): b for b in page.bars}
    out = []
    for r in report.table_rows(res):
        want = {s: r[s] for s in report.SERIES if r[s] is not None}
        if want and r["id"] not in page.charts:
            out.append("no chart for %s" % r["id"])
        top = max(want.values()) if want else 0
        for s in report.SERIES:
            b = found.pop((r["id"], s), None)
            if s not in want:
                if b is not None:
                    out.append("bar %s/%s has no figure" % (r["id"], s))
                continue
            if b is None:
                out.append("no bar %s/%s" % (r["id"], s))
            elif abs(float(b["data-value"]) - want[s]) > 1e-9:
                out.append("bar %s/%s shows %s, not %s" % (r["id"], s, b["data-value"], want[s]))
            elif abs(float(b["width"]) - report_html.BAR_W * want[s] / top) > 0.01:
                out.append("bar %s/%s is %s long" % (r["id"], s, b["width"]))
    out += ["bar %s/%s is not a row's" % k for k in found]
    return out


class HtmlReport(unittest.TestCase):
    def setUp(self):
        self.page = report_html.render(FIXTURE)

    def test_every_row_and_bar(self):
        self.assertEqual(problems(FIXTURE, self.page), [])

    def test_figures_from_the_fixture(self):
        rows = {r["id"]: r for r in report.table_rows(FIXTURE)}
        for (rid, s), v in EXPECTED.items():
            self.assertEqual(rows[rid][s], v, (rid, s))
        # Every row of the table has a figure in this fixture, so a chart.
        page = Page()
        page.feed(self.page)
        self.assertEqual(sorted(page.charts), sorted(s["id"] for s in report.row_specs()))

    def test_checker_sees_a_missing_row(self):
        start = self.page.index('<svg class="chart" data-row="kernel_call"')
        end = self.page.index("</svg>", start) + len("</svg>")
        bad = problems(FIXTURE, self.page[:start] + self.page[end:])
        self.assertIn("no chart for kernel_call", bad)
        self.assertIn("no bar kernel_call/isola", bad)

    def test_checker_sees_a_wrong_bar(self):
        res = copy.deepcopy(FIXTURE)
        res["linux_guest"]["raw"]["kernel_call"]["median"] = 300.0
        self.assertIn("bar kernel_call/guest shows 322.0, not 300.0",
                      problems(res, self.page))
        tampered = self.page.replace('data-series="host" data-value="1987.0" x="220" y="50" '
                                     'width="420.00"', 'data-series="host" '
                                     'data-value="1987.0" x="220" y="50" width="400.00"')
        self.assertNotEqual(tampered, self.page)
        self.assertIn("bar kernel_call/host is 400.00 long", problems(FIXTURE, tampered))

    def test_without_guest(self):
        res = copy.deepcopy(FIXTURE)
        res["linux_guest"] = None
        res["linux_guest_note"] = "no network"
        page = report_html.render(res)
        self.assertEqual(problems(res, page), [])
        self.assertIn("left out (no network)", page)


class MarkdownTable(unittest.TestCase):
    def test_a_line_per_row(self):
        lines = report.table(FIXTURE)
        self.assertEqual(len(lines), 2 + len(report.row_specs()))
        kc = [l for l in lines if l.startswith("| kernel call |")][0].split(" | ")
        self.assertEqual(kc[1:6], ["206", "322", "0.64x", "1,987", "91"])
        self.assertIn("instructions per operation", lines[0])


class Compare(unittest.TestCase):
    def test_same(self):
        rows, missing = compare.compare(FIXTURE, FIXTURE)
        self.assertEqual(missing, [])
        self.assertEqual(rows[0][4], 0.0)
        self.assertNotIn(("isola", "boot_ms"), [(r[0], r[1]) for r in rows])

    def test_largest_difference(self):
        b = copy.deepcopy(FIXTURE)
        b["linux_guest"]["raw"]["pipe_8"]["median"] *= 1.02
        b["isola"]["raw"]["yield"]["median"] *= 1.005
        rows, missing = compare.compare(FIXTURE, b)
        self.assertEqual((rows[0][0], rows[0][1]), ("linux", "pipe_8"))
        self.assertAlmostEqual(rows[0][4], 100 * 0.02 / 1.02, places=6)
        self.assertEqual(missing, [])

    def test_missing_row_fails(self):
        b = copy.deepcopy(FIXTURE)
        del b["isola"]["raw"]["spawn"]
        rows, missing = compare.compare(FIXTURE, b)
        self.assertEqual(missing, [("isola", "spawn")])
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "bench-compare-%d.json" % os.getpid())
        json.dump(b, open(path, "w"))
        try:
            a = os.path.join(HERE, "testdata", "results.json")
            with contextlib.redirect_stdout(io.StringIO()) as log:
                self.assertEqual(compare.main([a, path]), 1)
                self.assertEqual(compare.main([a, a]), 0)
            self.assertIn("missing in one result: isola spawn", log.getvalue())
        finally:
            os.remove(path)


# A profiler report as the kernel prints it (prefix removed): 200 samples,
# two wasm rows (30 + 10), two kernel rows (100 + 40, one of them an
# interrupts-off end) and 20 elsewhere.
PROFILE = """200 samples at 1000 Hz, 3 dropped (buffer full)
 share samples  where
 15.0%      30  wasm   bench:bench_run
 50.0%     100  kernel chan_send [bench]
 20.0%      40  kernel abi_block (irq-off end) [benchpong]
  5.0%      10  wasm   benchpong:main
20 samples in 7 other places
"""


class ProfileSection(unittest.TestCase):
    def test_rows_and_shares(self):
        rep = profile_md.parse(PROFILE.splitlines())
        self.assertEqual((rep["total"], rep["hz"], rep["dropped"], rep["other"]),
                         (200, 1000, 3, 20))
        self.assertEqual(len(rep["rows"]), 4)
        self.assertEqual(profile_md.shares(rep), (20.0, 70.0, 20.0))
        md = profile_md.markdown(rep, "init=bench prof=1", True)
        self.assertIn("| 50.0 % | 100 | kernel `chan_send [bench]` |", md)
        self.assertIn("| | 20 | elsewhere |", md)
        self.assertIn("interpreted SIP code 20 %, kernel code 70 %", md)
        self.assertIn("with interrupts off, charged to the function that ended them, 20 %", md)

    def test_not_a_report(self):
        with self.assertRaises(ValueError):
            profile_md.parse(["bench: done", " 5.0%  10  wasm  x:y"])

    def test_html_shows_it(self):
        page = report_html.render(FIXTURE, "### profile\n| 1 | x |")
        self.assertIn("<h2>Profile</h2>", page)
        self.assertIn("### profile", page)
        self.assertNotIn("<h2>Profile</h2>", report_html.render(FIXTURE))


if __name__ == "__main__":
    unittest.main()
