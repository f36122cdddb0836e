"""Publication dates from metadata: ISO 8601 and RFC-822 (RSS, the news corpus) to ISO dates."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def parse_publication_date(value: object) -> str | None:
    """``"Sun, 18 Feb 2018 21:35:43 +0400"`` or ``"2018-02-18T21:35"`` → ``"2018-02-18"``; None when unreadable.

    The date is the one written (the publisher's local day), not converted to UTC.
    """
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if not isinstance(value, str) or not value.strip():
        return None
    m = _ISO.match(value)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(value.strip()).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None
