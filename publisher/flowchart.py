"""Flowchart: an item's steps (办理流程) drawn at build time as an inline SVG.

One box per step, top to bottom, joined by arrows: the step's number in a
badge, its name (bold, wrapped) and its office and time limit. The drawing is
narrow (320 user units) and scales with its ``viewBox``, so it fits a 360 px
phone without scrolling sideways. It is an ``<svg role="img">`` named by its own
``<title>``, which lists the steps and points to the ordered list that the page
keeps as the text equivalent. Every text is XML-escaped; the output is a pure
function of the steps (fixed number formatting, no clock, no randomness), so the
same snapshot gives the same bytes. Never reads files, never imports Flask.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from html import escape
from typing import Any

from markupsafe import Markup

from .charts import text_width
from .labels import workdays

# The theme's palette (see site.css): text 16:1, accent 10.6:1 on the box fill.
TEXT = "#1a1a1a"
MUTED = "#4a4a4a"
ACCENT = "#0b3d91"
ACCENT_DARK = "#072a66"
BOX_FILL = "#f2f5fa"

WIDTH = 320  # user units; the page scales the drawing to its column (see item.css)
BOX_X = 2.0  # half the stroke, so the box's border is not clipped
BOX_W = WIDTH - 2 * BOX_X
PAD = 12.0
BADGE_R = 14.0
TEXT_X = BOX_X + PAD + 2 * BADGE_R + 10  # text starts right of the badge
TEXT_W = BOX_X + BOX_W - PAD - TEXT_X
NAME_SIZE = 18
META_SIZE = 15
LEADING = 1.4  # line height as a multiple of the font size
GAP = 34.0  # vertical space between two boxes, where the arrow goes
HEAD = 9.0  # arrowhead length

#: Characters a line must not begin with (closing punctuation) or end with (opening), as in
#: Chinese typesetting (避头尾): a break before them moves them to the other line.
NO_LINE_START = frozenset("，。、；：？！）》」』”’〕】…—·,.;:?!)]}%")
NO_LINE_END = frozenset("（《「『“‘〔【([{")


def _fmt(value: float) -> str:
    """Coordinates with at most one decimal, no trailing ".0" (the same bytes on every platform)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _esc(text: str) -> str:
    """Text for an XML text node or attribute value."""
    return escape(text, quote=True)


def _tokens(text: str) -> list[str]:
    """Units a line may break between: each CJK character alone, Latin words and digit runs
    whole, each space alone."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch.isspace():
            if word:
                tokens.append(word)
                word = ""
            tokens.append(" ")
        elif ord(ch) >= 0x2E80 or (not ch.isascii() and (ch in NO_LINE_START or ch in NO_LINE_END)):
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def wrap_text(text: str, width: float, size: float) -> list[str]:
    """Lines of ``text`` no wider than ``width`` at font ``size`` (estimated widths).

    Chinese breaks between any two characters, Latin words and numbers stay whole unless a
    word alone is too wide, and punctuation follows the 避头尾 rule (a closing mark may hang
    past the width rather than begin a line). Whitespace runs collapse to one space; an
    empty text gives no lines.
    """
    return list(_wrapped(text, width, size))


@lru_cache(maxsize=1 << 16)
def _wrapped(text: str, width: float, size: float) -> tuple[str, ...]:
    """``wrap_text``, measured once per text: a city's ten thousand flowcharts repeat the same step
    names and offices (113,000 texts, 26,000 distinct), and measuring them was a tenth of a build."""
    lines: list[str] = []
    line = ""
    for token in _tokens(" ".join(text.split())):
        if text_width(line + token, size) <= width or (token in NO_LINE_START and line):
            line += token
            continue
        if token == " ":
            if line:
                lines.append(line)
            line = ""
            continue
        if line:
            carried = ""
            while line and line[-1] in NO_LINE_END:
                carried, line = line[-1] + carried, line[:-1]
            if line.strip():
                lines.append(line.rstrip())
            line = carried
        for ch in token if text_width(token, size) > width else [token]:
            if line and text_width(line + ch, size) > width and ch not in NO_LINE_START:
                lines.append(line)
                line = ""
            line += ch
    if line.strip():
        lines.append(line.rstrip())
    return tuple(lines)


def _text_lines(
    lines: Sequence[str], x: float, y: float, size: int, fill: str, bold: bool
) -> list[str]:
    weight = ' font-weight="700"' if bold else ""
    step = size * LEADING
    return [
        f'<text x="{_fmt(x)}" y="{_fmt(y + size + index * step)}" font-size="{size}"'
        f' fill="{fill}"{weight}>{_esc(line)}</text>'
        for index, line in enumerate(lines)
    ]


def _box(number: int, step: Mapping[str, Any], top: float) -> tuple[list[str], float]:
    """One step's box at ``top``: its SVG parts and its height."""
    name = wrap_text(step["name"], TEXT_W, NAME_SIZE) or [f"第 {number} 步"]
    meta = wrap_text(f"办理机构：{step['office']}", TEXT_W, META_SIZE) if step["office"] else []
    meta += wrap_text(f"时限：{workdays(step['days'])}", TEXT_W, META_SIZE)
    name_h = len(name) * NAME_SIZE * LEADING
    text_h = name_h + len(meta) * META_SIZE * LEADING
    height = PAD + max(2 * BADGE_R, text_h) + PAD
    cx, cy = BOX_X + PAD + BADGE_R, top + PAD + BADGE_R
    parts = [
        '<g class="flow-box">',
        f'<rect x="{_fmt(BOX_X)}" y="{_fmt(top)}" width="{_fmt(BOX_W)}" height="{_fmt(height)}"'
        f' rx="6" fill="{BOX_FILL}" stroke="{ACCENT}" stroke-width="2"/>',
        f'<circle cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="{_fmt(BADGE_R)}" fill="{ACCENT}"/>',
        f'<text x="{_fmt(cx)}" y="{_fmt(cy + 5)}" font-size="{META_SIZE}" font-weight="700"'
        f' text-anchor="middle" fill="#fff">{number}</text>',
        *_text_lines(name, TEXT_X, top + PAD - 2, NAME_SIZE, ACCENT_DARK, True),
        *_text_lines(meta, TEXT_X, top + PAD - 2 + name_h, META_SIZE, MUTED, False),
        "</g>",
    ]
    return parts, height


def _arrow(start: float, end: float) -> str:
    """A downward arrow from the bottom of one box (``start``) to the top of the next (``end``)."""
    x = WIDTH / 2
    return (
        f'<path class="flow-arrow" d="M{_fmt(x)} {_fmt(start + 3)}V{_fmt(end - HEAD)}"'
        f' stroke="{ACCENT}" stroke-width="2.5" fill="none"/>'
        f'<path d="M{_fmt(x - 7)} {_fmt(end - HEAD - 1)}H{_fmt(x + 7)}L{_fmt(x)} {_fmt(end - 1)}Z"'
        f' fill="{ACCENT}"/>'
    )


def flowchart_title(steps: Sequence[Mapping[str, Any]]) -> str:
    """The drawing's accessible name: how many steps, their names in order, and where the
    text equivalent is (the ordered list in the same section of the page)."""
    names = "、".join(" ".join(step["name"].split()) for step in steps)
    return f"办理流程图，共 {len(steps)} 步：{names}。各步的办理机构、时限和说明见本节的文字列表。"


def flowchart_svg(steps: Sequence[Mapping[str, Any]], chart_id: str = "flowchart") -> Markup:
    """The steps as an inline SVG flowchart (empty when there are no steps).

    ``chart_id`` names the ``<svg>`` and, with ``-title``, its ``<title>``: it must be unique
    on the page. The drawing is ``role="img"`` labelled by its title, so a screen reader
    announces one image with the step names and is sent to the list that follows; the boxes'
    own texts are not read twice.
    """
    if not steps:
        return Markup("")
    # What the drawing reads of each step; a value's type too (1 and 1.0 days print differently).
    drawn = tuple((step["name"], step["office"], type(step["days"]), step["days"]) for step in steps)
    return _drawn(drawn, chart_id)


@lru_cache(maxsize=4096)
def _drawn(drawn: tuple[tuple[str, Any, type, Any], ...], chart_id: str) -> Markup:
    """``flowchart_svg`` once per distinct list of steps (``drawn``: what it reads of each, and the
    type of the time limit): items of one kind share their steps' names, offices and time limits,
    and a city's full build drew ten thousand flowcharts."""
    steps = [{"name": name, "office": office, "days": days} for name, office, _kind, days in drawn]
    body: list[str] = []
    top = 2.0
    for number, step in enumerate(steps, start=1):
        if number > 1:
            body.append(_arrow(top - GAP, top))
        parts, height = _box(number, step, top)
        body += parts
        top += height + GAP
    height = top - GAP + 2
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" id="{_esc(chart_id)}"'
        f' role="img" aria-labelledby="{_esc(chart_id)}-title"'
        f' viewBox="0 0 {WIDTH} {_fmt(height)}">'
    )
    title = f'<title id="{_esc(chart_id)}-title">{_esc(flowchart_title(steps))}</title>'
    return Markup("\n".join([head, title, *body, "</svg>"]))
