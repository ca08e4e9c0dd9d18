"""Charts: accessible SVG drawn at build time (no JavaScript) for the figures —
grouped monthly bars (cases received and completed), monthly rate lines
(满意率 / 不满意率 against the veto line) and horizontal department bars
(按时办结率, 不满意率 with the 一票否决线 drawn and labelled).

Every chart is an inline ``<svg role="img">`` named by its own ``<title>`` and
``<desc>`` in Chinese, shows every value as text, and never tells anything by
colour alone: the second series and the bars over the line are hatched, and
over-the-line bars say so in words. The page puts a table with the same numbers
after each chart. Output is a pure function of the arguments (fixed number
formatting, no randomness, no clock), so the same snapshot gives the same
bytes. Never reads or writes files, never imports Flask or the site.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from markupsafe import Markup

# Palette of the theme (WCAG AA on white; bars at least 3:1 against the background).
TEXT = "#1a1a1a"
MUTED = "#4a4a4a"
ACCENT = "#0b3d91"
RED = "#a4161a"
GRID = "#c8c8c8"
FONT = 17  # user units = CSS px: the SVG is drawn at its own size and scrolls on a phone
SMALL = 15

Number = int | Decimal | None


@dataclass(frozen=True)
class Series:
    """One series of a monthly chart: its name and one value per month (None: 无数据)."""

    name: str
    values: Sequence[Number]


@dataclass(frozen=True)
class Bar:
    """One department's bar: its label, its rate in percent (None: 无数据), its flag."""

    label: str
    value: Decimal | None
    flagged: bool = False


def _fmt(value: float) -> str:
    """Coordinates with at most one decimal, no trailing ".0" (stable across platforms)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _esc(text: str) -> str:
    return escape(text, quote=True)


def _value_text(value: Number, unit: str) -> str:
    return "无数据" if value is None else f"{value}{unit}"


def text_width(text: str, size: float = FONT) -> float:
    """Rough width of a label: a full em for CJK and full-width signs, 0.6 em otherwise."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.6 for ch in text)


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = FONT,
    anchor: str = "start",
    fill: str = TEXT,
    bold: bool = False,
) -> str:
    weight = ' font-weight="700"' if bold else ""
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="{size}" text-anchor="{anchor}"'
        f' fill="{fill}"{weight}>{_esc(text)}</text>'
    )


def _hatch(pattern_id: str, colour: str, *, cross: bool = False) -> str:
    """A fill of ``colour`` with white diagonal stripes (crossed for the flagged bars)."""
    lines = '<path d="M0 0L0 8" stroke="#fff" stroke-width="3"/>'
    if cross:
        lines += '<path d="M0 4L8 4" stroke="#fff" stroke-width="2"/>'
    return (
        f'<pattern id="{pattern_id}" width="8" height="8" patternUnits="userSpaceOnUse"'
        f' patternTransform="rotate(45)"><rect width="8" height="8" fill="{colour}"/>'
        f"{lines}</pattern>"
    )


def _open(
    chart_id: str, width: float, height: float, title: str, desc: str, defs: str
) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' viewBox="0 0 {_fmt(width)} {_fmt(height)}" width="{_fmt(width)}" height="{_fmt(height)}">',
        f'<title id="{chart_id}-title">{_esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{_esc(desc)}</desc>',
        f"<defs>{defs}</defs>" if defs else "",
    ]


def _close(parts: list[str]) -> Markup:
    return Markup("\n".join(part for part in parts if part) + "\n</svg>")


def nice_scale(largest: float) -> tuple[int, int]:
    """(axis maximum, tick step) with 2–5 round ticks covering ``largest`` (at least 0–5)."""
    if largest <= 5:
        return 5, 1
    exponent = 10 ** int(math.floor(math.log10(largest)))
    for multiple in (1, 2, 5, 10):
        step = multiple * exponent // 5 or 1
        if step * 5 >= largest:
            return step * math.ceil(largest / step), step
    return 10 * exponent, 2 * exponent  # not reached


def monthly_bars(
    chart_id: str,
    title: str,
    desc: str,
    months: Sequence[str],
    series: Sequence[Series],
    unit: str = "件",
) -> Markup:
    """Grouped vertical bars, one group per month, each bar labelled with its value.

    The first series is solid, the second hatched; a legend names both.
    """
    left, right, top, bottom = 60.0, 16.0, 56.0, 44.0
    plot_h = 240.0
    bar_w, gap = 42.0, 6.0
    group_w = len(series) * bar_w + (len(series) - 1) * gap
    slot = max(group_w + 44.0, 120.0)
    width = left + right + slot * max(len(months), 1)
    width = max(width, left + right + 260.0, _legend_width(series) + left + right + 90)
    height = top + plot_h + bottom
    largest = max([float(v) for s in series for v in s.values if v is not None] or [0.0])
    axis_max, step = nice_scale(largest)
    fills = [ACCENT, f"url(#{chart_id}-hatch)"]
    parts = _open(chart_id, width, height, title, desc, _hatch(f"{chart_id}-hatch", MUTED))
    parts += _legend(series, fills, left, 20.0)
    base = top + plot_h
    for tick in range(0, axis_max + 1, step):
        y = base - plot_h * tick / axis_max
        parts.append(f'<path d="M{_fmt(left)} {_fmt(y)}H{_fmt(width - right)}" stroke="{GRID}"/>')
        parts.append(_text(left - 8, y + 5, f"{tick}", size=SMALL, anchor="end", fill=MUTED))
    for index, month in enumerate(months):
        x0 = left + slot * index + (slot - group_w) / 2
        for position, one in enumerate(series):
            value = one.values[index]
            x = x0 + position * (bar_w + gap)
            if value is None:
                parts.append(_text(x + bar_w / 2, base - 6, "无数据", size=SMALL, anchor="middle"))
                continue
            h = plot_h * float(value) / axis_max
            parts.append(
                f'<rect x="{_fmt(x)}" y="{_fmt(base - h)}" width="{_fmt(bar_w)}" height="{_fmt(h)}"'
                f' fill="{fills[position % 2]}" stroke="{TEXT}" stroke-width="1"/>'
            )
            parts.append(
                _text(x + bar_w / 2, base - h - 6, f"{value}", size=SMALL, anchor="middle")
            )
        parts.append(_text(left + slot * index + slot / 2, base + 28, month, anchor="middle"))
    parts.append(
        f'<path d="M{_fmt(left)} {_fmt(base)}H{_fmt(width - right)}" stroke="{TEXT}" stroke-width="2"/>'
    )
    parts.append(_text(width - right, 22.0, f"单位：{unit}", size=SMALL, anchor="end", fill=MUTED))
    return _close(parts)


def _legend_width(series: Sequence[Series]) -> float:
    return sum(22 + text_width(s.name) + 24 for s in series)


def _legend(series: Sequence[Series], fills: Sequence[str], x: float, y: float) -> list[str]:
    parts = []
    for index, one in enumerate(series):
        parts.append(
            f'<rect x="{_fmt(x)}" y="{_fmt(y - 12)}" width="16" height="16"'
            f' fill="{fills[index % len(fills)]}" stroke="{TEXT}" stroke-width="1"/>'
        )
        parts.append(_text(x + 22, y + 1, one.name))
        x += 22 + text_width(one.name) + 24
    return parts


def rate_lines(
    chart_id: str,
    title: str,
    desc: str,
    months: Sequence[str],
    series: Sequence[Series],
    reference: int | None = None,
    reference_label: str = "",
) -> Markup:
    """Monthly rates (0–100 %) as lines with labelled points; a month without data is a gap.

    The first series is a solid line with round points, the second a dashed line
    with square points. ``reference`` draws a labelled horizontal line (the veto line).
    """
    left, top, bottom = 60.0, 56.0, 44.0
    right = 24.0 if reference is None else text_width(reference_label, SMALL) + 20
    plot_h = 240.0
    slot = 130.0
    width = max(
        left + right + slot * max(len(months), 1),
        left + right + 300.0,
        _legend_width(series) + 12 * len(series) + left + right,
    )
    plot_right = width - right
    height = top + plot_h + bottom
    base = top + plot_h
    parts = _open(chart_id, width, height, title, desc, "")
    parts += _line_legend(series, left, 22.0)

    def y_of(value: float) -> float:
        return base - plot_h * value / 100

    for tick in range(0, 101, 20):
        y = y_of(tick)
        parts.append(f'<path d="M{_fmt(left)} {_fmt(y)}H{_fmt(width - right)}" stroke="{GRID}"/>')
        parts.append(_text(left - 8, y + 5, f"{tick}%", size=SMALL, anchor="end", fill=MUTED))
    if reference is not None:
        y = y_of(reference)
        parts.append(
            f'<path d="M{_fmt(left)} {_fmt(y)}H{_fmt(plot_right)}" stroke="{RED}"'
            f' stroke-width="2" stroke-dasharray="8 4"/>'
        )
        parts.append(_text(plot_right + 6, y + 5, reference_label, size=SMALL, fill=RED, bold=True))
    styles = [("", "circle"), (' stroke-dasharray="6 4"', "square")]
    colours = [ACCENT, MUTED]
    for position, one in enumerate(series):
        colour = colours[position % 2]
        dash, marker = styles[position % 2]
        points = [
            (left + slot * i + slot / 2, None if v is None else float(v), v)
            for i, v in enumerate(one.values)
        ]
        run: list[str] = []
        for x, value, _raw in [*points, (0.0, None, None)]:
            if value is None:
                if len(run) > 1:
                    parts.append(
                        f'<path d="M{" L".join(run)}" fill="none" stroke="{colour}"'
                        f' stroke-width="3"{dash}/>'
                    )
                run = []
            else:
                run.append(f"{_fmt(x)} {_fmt(y_of(value))}")
        for index, (x, value, raw) in enumerate(points):
            if value is None:
                parts.append(
                    _text(
                        x,
                        base - 8 - 20 * position,
                        f"{one.name}无数据",
                        size=SMALL,
                        anchor="middle",
                    )
                )
                continue
            y = y_of(value)
            if marker == "circle":
                parts.append(f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="5" fill="{colour}"/>')
            else:
                parts.append(
                    f'<rect x="{_fmt(x - 5)}" y="{_fmt(y - 5)}" width="10" height="10"'
                    f' fill="{colour}"/>'
                )
            label_y = y - 10 if _label_above(series, position, index) else y + 24
            parts.append(
                _text(x, label_y, _value_text(raw, "%"), size=SMALL, anchor="middle", bold=True)
            )
    for index, month in enumerate(months):
        parts.append(_text(left + slot * index + slot / 2, base + 28, month, anchor="middle"))
    parts.append(
        f'<path d="M{_fmt(left)} {_fmt(base)}H{_fmt(width - right)}" stroke="{TEXT}" stroke-width="2"/>'
    )
    return _close(parts)


def _label_above(series: Sequence[Series], position: int, index: int) -> bool:
    """A point's label goes above it, except the lower of two close points (and never into the axis)."""
    value = series[position].values[index]
    if value is None:
        return True
    for other, one in enumerate(series):
        theirs = one.values[index]
        if other != position and theirs is not None and abs(float(theirs) - float(value)) < 12:
            lower = float(value) < float(theirs) or (value == theirs and position > other)
            return not lower or float(value) < 10
    return True


def _line_legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    parts = []
    for index, one in enumerate(series):
        colour = ACCENT if index % 2 == 0 else MUTED
        dash = "" if index % 2 == 0 else ' stroke-dasharray="6 4"'
        parts.append(
            f'<path d="M{_fmt(x)} {_fmt(y - 5)}H{_fmt(x + 28)}" stroke="{colour}"'
            f' stroke-width="3"{dash}/>'
        )
        if index % 2 == 0:
            parts.append(f'<circle cx="{_fmt(x + 14)}" cy="{_fmt(y - 5)}" r="5" fill="{colour}"/>')
        else:
            parts.append(
                f'<rect x="{_fmt(x + 9)}" y="{_fmt(y - 10)}" width="10" height="10" fill="{colour}"/>'
            )
        parts.append(_text(x + 34, y + 1, one.name))
        x += 34 + text_width(one.name) + 24
    return parts


def department_bars(
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    *,
    reference: int | None = None,
    reference_label: str = "",
    flag_text: str = "",
) -> Markup:
    """Horizontal bars of a rate per department (0–100 %), one row each, value at the bar's end.

    Flagged bars are red and cross-hatched and carry ``flag_text`` in words;
    ``reference`` draws a labelled vertical line (the veto line).
    """
    label_w = max([text_width(b.label) for b in bars] or [0.0]) + 16
    left, right, top = label_w + 8, 180.0, 44.0
    plot_w, row_h, bar_h = 420.0, 46.0, 30.0
    width = left + plot_w + right
    height = top + row_h * max(len(bars), 1) + 36
    base = top + row_h * max(len(bars), 1)
    defs = _hatch(f"{chart_id}-flag", RED, cross=True)
    parts = _open(chart_id, width, height, title, desc, defs)

    def x_of(value: float) -> float:
        return left + plot_w * value / 100

    for tick in range(0, 101, 20):
        x = x_of(tick)
        parts.append(f'<path d="M{_fmt(x)} {_fmt(top - 6)}V{_fmt(base)}" stroke="{GRID}"/>')
        parts.append(_text(x, base + 22, f"{tick}%", size=SMALL, anchor="middle", fill=MUTED))
    for index, bar in enumerate(bars):
        y = top + row_h * index + (row_h - bar_h) / 2
        parts.append(_text(left - 10, y + bar_h / 2 + 5, bar.label, anchor="end"))
        if bar.value is None:
            parts.append(_text(left + 6, y + bar_h / 2 + 5, "无数据", fill=MUTED))
            continue
        w = plot_w * float(bar.value) / 100
        fill = f"url(#{chart_id}-flag)" if bar.flagged else ACCENT
        parts.append(
            f'<rect x="{_fmt(left)}" y="{_fmt(y)}" width="{_fmt(w)}" height="{_fmt(bar_h)}"'
            f' fill="{fill}" stroke="{TEXT}" stroke-width="1"/>'
        )
        label = f"{bar.value}%"
        if bar.flagged and flag_text:
            label += f" ▲{flag_text}"
        parts.append(
            _text(
                left + w + 6,
                y + bar_h / 2 + 5,
                label,
                bold=bar.flagged,
                fill=RED if bar.flagged else TEXT,
            )
        )
    parts.append(
        f'<path d="M{_fmt(left)} {_fmt(top - 6)}V{_fmt(base)}" stroke="{TEXT}" stroke-width="2"/>'
    )
    if reference is not None:
        x = x_of(reference)
        parts.append(
            f'<path d="M{_fmt(x)} {_fmt(top - 14)}V{_fmt(base)}" stroke="{RED}"'
            f' stroke-width="2" stroke-dasharray="8 4"/>'
        )
        parts.append(
            _text(x, top - 20, reference_label, size=SMALL, anchor="middle", fill=RED, bold=True)
        )
    return _close(parts)
