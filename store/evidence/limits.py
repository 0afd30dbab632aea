"""The bounds every cleaning step works within (one place, with defaults)."""

import time
from dataclasses import dataclass

from . import errors


@dataclass(frozen=True)
class EvidenceLimits:
    """How much a submission may hold and how far a file may be opened.

    The defaults take what phones and office software really produce (a
    50-megapixel photo, a long PDF, a workbook with many sheets) and refuse
    what only a hostile file needs.
    """

    max_files: int = 5
    max_submission_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 50_000_000
    max_side: int = 20_000  # pixels, either side: a 1 × 50,000,000 strip is no photo
    max_pages: int = 1000
    max_pdf_objects: int = 500_000
    max_zip_entries: int = 5000
    max_unpacked_bytes: int = 300 * 1024 * 1024  # all parts of an Office file together, uncompressed
    max_zip_ratio: int = 200  # uncompressed / compressed size of one part
    max_seconds: float = 60.0  # wall time to clean one file
    max_name_length: int = 100  # characters of the display name, extension included


class Deadline:
    """Wall-clock bound on cleaning one file, checked between bounded steps."""

    def __init__(self, seconds: float, noun: str):
        self._until = time.monotonic() + seconds
        self._noun = noun

    def check(self) -> None:
        if time.monotonic() > self._until:
            raise errors.too_complex(self._noun)
