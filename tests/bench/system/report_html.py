# SPDX-License-Identifier: MIT
# The system benchmark's HTML report (report.py writes OUT/report.html):
# the notes and the table of report.py, then one bar chart per row as
# inline SVG, plain Python and no dependency. Each bar is a <rect
# class="bar"> carrying data-row, data-series and data-value, so a test
# (test_report.py) can check that every row has its chart and every bar
# its length. Bars of one row share a linear scale from zero, the longest
# bar being the row's largest figure.
import html

from report import SERIES, fmt, headers, notes, table_rows

COLORS = {"isola": "#2a6fb0", "guest": "#d9822b", "host": "#9a9a9a", "sing07": "#5a9e4b"}
BAR_W = 420      # the longest bar, in pixels
BAR_H = 16
LABEL_W = 220    # room for the series names left of the bars
VALUE_W = 120    # room for the figure right of the longest bar


def series_names(res):
    h = headers(res)
    return {"isola": h["isola"], "guest": h["guest"], "host": "Linux, host (native)",
            "sing07": "Singularity 2007 (published)"}


def bars(r):
    """The bars of one row: (series, value) for each figure it has."""
    return [(s, r[s]) for s in SERIES if r.get(s) is not None]


def bar_length(value, top):
    return 0.0 if top <= 0 else BAR_W * value / top


def chart(r, names):
    """One row's chart as an SVG element (empty when the row has no figure)."""
    bs = bars(r)
    if not bs:
        return ""
    top = max(v for _, v in bs)
    unit = " ms" if r["kind"] == "ms" else ""
    height = len(bs) * (BAR_H + 6) + 6
    out = ['<svg class="chart" data-row="%s" width="%d" height="%d" role="img" '
           'xmlns="http://www.w3.org/2000/svg">' % (r["id"], LABEL_W + BAR_W + VALUE_W, height)]
    for i, (s, v) in enumerate(bs):
        y = 6 + i * (BAR_H + 6)
        w = bar_length(v, top)
        out.append('<text x="%d" y="%d" text-anchor="end" font-size="12">%s</text>'
                   % (LABEL_W - 6, y + BAR_H - 3, html.escape(names[s])))
        out.append('<rect class="bar" data-row="%s" data-series="%s" data-value="%s" x="%d" '
                   'y="%d" width="%.2f" height="%d" fill="%s"><title>%s: %s</title></rect>'
                   % (r["id"], s, repr(float(v)), LABEL_W, y, w, BAR_H, COLORS[s],
                      html.escape(names[s]), fmt(v, unit)))
        out.append('<text x="%.2f" y="%d" font-size="12">%s</text>'
                   % (LABEL_W + w + 4, y + BAR_H - 3, fmt(v, unit)))
    out.append("</svg>")
    return "\n".join(out)


def html_table(res, rows, names):
    h = headers(res)
    cols = [h["op"], names["isola"], names["guest"], h["ratio"], h["host"],
            "Singularity 2007", "goal", "measured as"]
    out = ["<table>", "<tr>" + "".join("<th>%s</th>" % html.escape(c) for c in cols) + "</tr>"]
    for r in rows:
        u = " ms" if r["kind"] == "ms" else ""
        ratio = "-" if not r["isola"] or not r["guest"] else "%.2fx" % (r["isola"] / r["guest"])
        cells = [r["label"], fmt(r["isola"], u), fmt(r["guest"], u), ratio, fmt(r["host"], u),
                 fmt(r["sing07"]), r["goal"], r["how"].replace("`", "")]
        out.append("<tr>" + "".join("<td>%s</td>" % html.escape(c) for c in cells) + "</tr>")
    out.append("</table>")
    return out


STYLE = """body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
table { border-collapse: collapse; font-size: 13px; }
td, th { border: 1px solid #ccc; padding: 3px 6px; }
td:nth-child(n+2):nth-child(-n+6) { text-align: right; }
h3 { margin: 1.4em 0 0.2em; font-size: 15px; }
p.how { margin: 0; color: #666; font-size: 12px; }"""


def render(res, profile=""):
    """The whole page as a string; profile: the profile section's Markdown
    (run.sh --profile), shown as text under the charts."""
    rows = table_rows(res)
    names = series_names(res)
    title = "Isola system benchmark" + (" (instruction counts)" if res.get("icount") else "")
    out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">",
           "<title>%s</title>" % title, "<style>%s</style></head><body>" % STYLE,
           "<h1>%s</h1>" % title]
    for line in notes(res):
        if line:
            out.append("<p>%s</p>" % html.escape(line.replace("**", "").replace("`", "")))
    out += html_table(res, rows, names)
    out.append("<h2>Each row</h2>")
    out.append("<p>Bars of one row share a scale from zero. %s</p>" % html.escape(
        "Isola and Linux in the same QEMU are instruction counts; the host bar is native "
        "cycles and Singularity's is cycles on 2007 hardware: context, not a like-for-like "
        "comparison." if res.get("icount") else
        "Singularity's published figure and the host bar are cycles on real hardware: context, "
        "not a like-for-like comparison with emulated figures."))
    for r in rows:
        svg = chart(r, names)
        if svg:
            out += ["<h3>%s</h3>" % html.escape(r["label"]),
                    "<p class=\"how\">%s</p>" % html.escape(r["how"].replace("`", "")), svg]
    if profile:
        out += ["<h2>Profile</h2>", "<pre>%s</pre>" % html.escape(profile)]
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write(res, path, profile=""):
    with open(path, "w") as f:
        f.write(render(res, profile))
