"""Keeping the garbage collector from rescanning what lives for the whole session."""

import gc

_settled = False


def settle_memory():
    """Once per process, after the inbox first paints: stop the collector rescanning what lives for good.

    A full collection walks every tracked object; with Textual, numpy and the holiday calendars loaded
    that took about 80 ms here, and it came round every second or two while keys were pressed, so a
    cursor move now and then waited for it. ``gc.freeze`` moves everything alive at this point (modules,
    styles, caches) out of its sight; objects made later are collected as usual.
    """
    global _settled
    if not _settled:
        _settled = True
        gc.collect()  # first, so no garbage is frozen with the rest
        gc.freeze()
