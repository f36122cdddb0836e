"""Arabic in terminal tables: cells in visual order, right-aligned, cut at their logical end.

Most terminals draw characters left to right in the order they arrive (logical order): an Arabic cell then
reads backwards, the «…» of a cut sentence lands at its start (the right), and a quote beside a name swaps
places with it. python-bidi applies the Unicode Bidirectional Algorithm (UAX #9) and gives the visual order.
A cell is wrapped (or cut) in logical order first and each of its lines reordered on its own, so a wrapped
cell still reads from its first line down and every line keeps its width (the table's borders stay put).

Terminals that apply the algorithm themselves (mlterm, Konsole, GNOME Terminal with bidi on) would reorder
the text a second time: ``MARSAD_BIDI=off`` leaves it in logical order (still right-aligned). Output that is
not a terminal (a pipe, a file) stays in logical order unless ``MARSAD_BIDI=on``: a file holds text as it is
written, and whatever shows it applies the algorithm itself.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Iterable

from bidi import get_base_level, get_display
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

ENV = "MARSAD_BIDI"
ELLIPSIS = "…"
_OFF = {"off", "0", "no", "false"}


def bidi_enabled() -> bool:
    """Whether text is put in visual order: ``MARSAD_BIDI=on`` or ``off``; unset (or ``auto``), when standard
    output is a terminal."""
    value = os.environ.get(ENV, "auto").strip().lower()
    if value in _OFF:
        return False
    if value in ("", "auto"):
        return sys.stdout.isatty()
    return True


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (Arabic, Hebrew, Syriac, Thaana…)."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def visual(line: str, enabled: bool | None = None, base_dir: str | None = None) -> str:
    """One line in the order a left-to-right terminal must draw it; unchanged without right-to-left letters
    or with ``MARSAD_BIDI=off``. Its direction is ``base_dir`` ("R" or "L"), by default its first strong
    letter's (UAX #9, P2–P3)."""
    if not (bidi_enabled() if enabled is None else enabled) or not has_rtl(line):
        return line
    return get_display(line, base_dir=base_dir)


def reads_right_to_left(text: str) -> bool:
    """Whether ``text`` is a right-to-left paragraph: its first strong letter is Arabic (or Hebrew…)."""
    return has_rtl(text) and get_base_level(text) == 1


def clip_logical(text: str, n: int) -> str:
    """``text`` on one line, cut to ``n`` cells with «…» at its logical end (the left, once in visual order)."""
    text = " ".join(text.split())
    if cell_len(text) <= n:
        return text
    out = ""
    for char in text:
        if cell_len(out + char) > n - 1:
            break
        out += char
    return out.rstrip() + ELLIPSIS


class BidiCell:
    """A table cell (or any line) holding Arabic: wrapped or cut in logical order, each line reordered for the
    terminal and pushed right when it reads right to left. ``overflow="ellipsis"`` keeps it to one line."""

    def __init__(self, text: str, overflow: str = "fold", style: str | Style = "") -> None:
        self.text = text.replace("\n", " ")
        self.overflow = overflow
        self.style = style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        if self.overflow == "ellipsis":
            return Measurement(1, cell_len(self.text)).with_maximum(options.max_width)
        return Measurement.get(console, options, Text(self.text))

    def logical_lines(self, console: Console, width: int) -> list[str]:
        if self.overflow == "ellipsis":
            return [clip_logical(self.text, width)]
        return [line.plain.rstrip() for line in Text(self.text).wrap(console, width, overflow="fold")] or [""]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        style = console.get_style(self.style) if isinstance(self.style, str) else self.style
        right = reads_right_to_left(self.text)
        enabled = bidi_enabled()
        for line in self.logical_lines(console, width):  # each line in the direction of the whole cell
            shown = visual(line, enabled, "R" if right else "L")
            pad = " " * max(width - cell_len(shown), 0) if right else ""  # a table pads the others itself
            yield Segment(pad + shown, style)
            yield Segment.line()


def bidi_cell(text: str, overflow: str = "fold") -> str | BidiCell:
    """What to put in a rich table cell for ``text``: itself without right-to-left letters, else a
    :class:`BidiCell` (visual order, right-aligned, «…» at the logical end with ``overflow="ellipsis"``)."""
    return BidiCell(text, overflow) if has_rtl(text) else text


def bidi_cells(texts: Iterable[str], overflow: str = "fold") -> list[str | BidiCell]:
    """:func:`bidi_cell` for each of a row's cells (``table.add_row(*bidi_cells(row))``)."""
    return [bidi_cell(t, overflow) for t in texts]
