"""One small reader per article format; :func:`marsad.sources.iter_inputs` picks among them.

Each reader takes the bytes of one input and a label for messages, and
yields :class:`~marsad.readers.base.InputItem`, ``Skip`` or ``Notice`` in
stream order. Readers never raise on bad input: a bad file, row or entry is a
``Skip`` naming where it is and why, so a corpus is never abandoned half-way.
Third-party parsers (readability-lxml, lxml, feedparser) are imported only by
the reader that needs them, so ``import marsad`` stays fast.
"""
