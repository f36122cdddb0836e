"""Publication dates from metadata (RSS, HTML heads, CSV columns, front matter) to ISO dates.

Reads ISO 8601, RFC-822, numeric dates with ``/`` ``.`` ``-`` (year first, or
day first as Arabic sites write «07/04/2019»), and Arabic dates such as
«الأحد 7 نيسان 2019» or «٧ أبريل ٢٠١٩». The Arabic month names are those of
``data/dates.yaml`` (Egyptian, Levantine, Maghrebi), loaded by
``recognize/dates.py``, so an outlet's spelling added there is read here too.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from marsad.text.normalize import ascii_digits, match_key

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_YMD = re.compile(r"(?<!\d)(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_ENGLISH = ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y")
_WORD = re.compile(r"\d+|[^\W\d_]+")


def parse_publication_date(value: object) -> str | None:
    """``"Sun, 18 Feb 2018 21:35:43 +0400"``, ``"2018-02-18T21:35"`` or ``"الأحد 18 شباط 2018"`` → ``"2018-02-18"``.

    The date is the one written (the publisher's local day), not converted to UTC.
    A numeric date with the year last is read day first («07/04/2019» is 7 April),
    unless only month first makes sense («04/25/2019»). None when unreadable.
    """
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if not isinstance(value, str) or not value.strip():
        return None
    text = ascii_digits(value.strip())
    m = _ISO.match(text)
    if m:
        return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    m = _YMD.search(text)
    if m:
        return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DMY.search(text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return _date(year, month, day) or _date(year, day, month)
    for fmt in _ENGLISH:  # «7 April 2019», «April 7, 2019» (English-language editions)
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return _arabic_date(text)


def _date(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _arabic_date(text: str) -> str | None:
    """«7 أبريل 2019», «الأحد، 7 نيسان/أبريل 2019 - 10:30», «7 من كانون الثاني 2019»."""
    from marsad.recognize.dates import date_words  # local import: recognize/ sits above text/

    months = date_words().months
    longest = max(len(p) for p in months)
    keys = [match_key(w) for w in _WORD.findall(text)]
    for i, k in enumerate(keys):
        if not (k.isdigit() and 1 <= int(k) <= 31):
            continue
        j = i + 1 + (i + 1 < len(keys) and keys[i + 1] == "من")
        month = None
        for n in range(longest, 0, -1):
            if tuple(keys[j:j + n]) in months:
                month, j = months[tuple(keys[j:j + n])], j + n
                break
        if month is None:
            continue
        while j < len(keys) and not keys[j].isdigit() and tuple(keys[j:j + 1]) in months:
            j += 1  # «نيسان/أبريل»: the same month in two calendars' names
        if j + 1 < len(keys) and tuple(keys[j:j + 2]) in months:
            j += 2
        if j < len(keys) and keys[j].isdigit() and len(keys[j]) == 4:
            return _date(int(keys[j]), month, int(k))
    return None
