#!/usr/bin/env python3
"""Draws bench/ratios.svg from bench/ratios.csv: oxsnmp against each peer,
one group of bars per benchmark row, one bar per peer.

Usage: python3 bench/chart.py [CSV [SVG]]

The CSV has a header line and then `row,peer,ratio[,note]` lines (lines
starting with `#` are comments: say where the figures come from), where
ratio is the peer's cost divided by oxsnmp's in the same run (CPU or wall
time per operation, as the row says): above 1, oxsnmp is ahead by that
factor; below 1, behind. Rows are drawn in the order they first appear.
The axis is logarithmic, since the ratios run from about 1 to several
hundred. No third-party package is needed: the SVG is written by hand.
"""

import csv
import math
import sys
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent

# One colour per peer, in the order of the legend.
COLOURS = {
    "Net-SNMP": "#4e79a7",
    "PySNMP": "#f28e2b",
    "snmp2": "#59a14f",
    "async-snmp": "#e15759",
    "csnmp": "#b07aa1",
    "snmp-parser": "#76b7b2",
    "rasn-snmp": "#edc948",
}
FALLBACK = "#9c755f"

LO, HI = 0.5, 1000.0  # the axis, in ratios
LABEL_W, PLOT_W, RIGHT_W = 360, 560, 70
BAR_H, BAR_GAP, GROUP_GAP, TOP, LEGEND_H = 13, 3, 14, 64, 40
FONT = "font-family='DejaVu Sans, Arial, sans-serif'"


def read(path):
    """Rows in first-seen order, each with its (peer, ratio, note) bars."""
    rows = {}
    with open(path, newline="") as f:
        lines = (line for line in f if not line.startswith("#"))
        for rec in csv.DictReader(lines):
            ratio = float(rec["ratio"])
            if not ratio > 0:
                raise ValueError(f"{path}: ratio must be positive: {rec}")
            rows.setdefault(rec["row"], []).append((rec["peer"], ratio, rec.get("note") or ""))
    return rows


def x_of(ratio):
    r = min(max(ratio, LO), HI)
    span = math.log10(HI) - math.log10(LO)
    return LABEL_W + (math.log10(r) - math.log10(LO)) / span * PLOT_W


def fmt(ratio):
    if ratio >= 100:
        return f"{ratio:.0f}×"
    if ratio >= 10:
        return f"{ratio:.1f}×"
    return f"{ratio:.2f}×"


def draw(rows):
    height = TOP + LEGEND_H + sum(
        len(bars) * (BAR_H + BAR_GAP) + GROUP_GAP for bars in rows.values()
    ) + 30
    width = LABEL_W + PLOT_W + RIGHT_W
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' {FONT} font-size='12'>",
        f"<rect width='{width}' height='{height}' fill='white'/>",
        f"<text x='{width / 2}' y='22' text-anchor='middle' font-size='16' font-weight='bold'>"
        "oxsnmp against its peers: peer's cost ÷ oxsnmp's (same run)</text>",
        f"<text x='{width / 2}' y='42' text-anchor='middle' fill='#555'>"
        "right of 1×: oxsnmp ahead by that factor; left: behind (logarithmic axis)</text>",
    ]
    # Legend.
    peers = []
    for bars in rows.values():
        for peer, _, _ in bars:
            if peer not in peers:
                peers.append(peer)
    lx = LABEL_W
    for peer in peers:
        colour = COLOURS.get(peer, FALLBACK)
        out.append(f"<rect x='{lx}' y='{TOP - 6}' width='12' height='12' fill='{colour}'/>")
        out.append(f"<text x='{lx + 16}' y='{TOP + 4}'>{escape(peer)}</text>")
        lx += 24 + 7.5 * len(peer)
    # Grid.
    plot_top = TOP + LEGEND_H - 10
    plot_bottom = height - 30
    for tick in (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        x = x_of(tick)
        stroke = "#333" if tick == 1 else "#ddd"
        out.append(
            f"<line x1='{x:.1f}' y1='{plot_top}' x2='{x:.1f}' y2='{plot_bottom}' stroke='{stroke}'/>"
        )
        label = f"{tick:g}×"
        out.append(
            f"<text x='{x:.1f}' y='{plot_bottom + 16}' text-anchor='middle' fill='#555'>{label}</text>"
        )
    # Bars.
    y = TOP + LEGEND_H
    for row, bars in rows.items():
        group_h = len(bars) * (BAR_H + BAR_GAP) - BAR_GAP
        out.append(
            f"<text x='{LABEL_W - 8}' y='{y + group_h / 2 + 4:.1f}' text-anchor='end'>"
            f"{escape(row)}</text>"
        )
        for peer, ratio, note in bars:
            colour = COLOURS.get(peer, FALLBACK)
            x0, x1 = x_of(1), x_of(ratio)
            left, w = min(x0, x1), max(abs(x1 - x0), 1.5)
            title = f"{peer}: {fmt(ratio)}" + (f" ({note})" if note else "")
            out.append(
                f"<rect x='{left:.1f}' y='{y}' width='{w:.1f}' height='{BAR_H}' fill='{colour}'>"
                f"<title>{escape(title)}</title></rect>"
            )
            # Behind (below 1×): the label goes right of the 1× line, in red,
            # clear of the row labels.
            tx = x1 + 4 if ratio >= 1 else x0 + 4
            weight = "" if ratio >= 1 else " font-weight='bold' fill='#b00'"
            out.append(
                f"<text x='{tx:.1f}' y='{y + BAR_H - 2}' font-size='10'"
                f"{weight}>{escape(peer)} {fmt(ratio)}</text>"
            )
            y += BAR_H + BAR_GAP
        y += GROUP_GAP - BAR_GAP
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "ratios.csv"
    dst = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE / "ratios.svg"
    rows = read(src)
    if not rows:
        sys.exit(f"{src}: no rows")
    dst.write_text(draw(rows), encoding="utf-8")
    print(f"wrote {dst} ({sum(len(b) for b in rows.values())} bars in {len(rows)} rows)")


if __name__ == "__main__":
    main()
