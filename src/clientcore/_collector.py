"""Large builds with Python's garbage collector paused, for the packages that make them.

A build that makes many objects and no reference cycles (the search index, the import
diff) runs inside :func:`collector_paused`: its temporaries are freed by reference
counting, and what it keeps is walked once, in one young collection right after it.

>>> import gc
>>> with collector_paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Build with the collector paused, then move what the build kept to its old
    generation in one young collection.

    Only for work that makes large lists and no reference cycles (its temporaries are
    freed by reference counting). Left on, the collector would walk every item of those
    lists in the young collections the build's own allocations trigger (most of a second
    at a million records, and full collections of the whole heap as the build's objects
    pile up), and walk the kept ones again in the first young collections after it:
    pauses of tens of milliseconds (hundreds at a million records) in whatever comes
    next. Paused, the one collection right after the build, when its temporaries are
    gone, walks the kept objects once and moves them to the old generation, which only
    the host's rare full collections look at; a cycle made inside the block after all
    (by code the block calls) is young, so that collection frees it too. Nothing changes
    when the host has switched the collector off: no collection runs, and the collector
    stays off. On an error the collector is switched back on all the same.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
    gc.collect(1)
