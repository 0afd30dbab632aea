"""One entry point per question: what is this file, and the file made safe."""

from dataclasses import dataclass, field

from . import errors, images, office, pdf, text
from .kinds import Kind, inspect
from .limits import EvidenceLimits
from .names import safe_name


@dataclass(frozen=True)
class Cleaned:
    """A file ready to be sealed: only its content, and what was taken out.

    ``removed`` is shown to the reporter as it is, so it is plain words.
    """

    data: bytes
    kind: Kind
    name: str
    removed: list[str] = field(default_factory=list)
    width: int | None = None
    height: int | None = None
    pages: int | None = None

    @property
    def media_type(self) -> str:
        return self.kind.media_type

    @property
    def size(self) -> int:
        return len(self.data)


def clean(data: bytes, filename: str, limits: EvidenceLimits | None = None) -> Cleaned:
    """``data`` without what could identify its sender, or ``EvidenceRefused``.

    Nothing is returned half: either the whole file was cleaned, or one
    sentence says why it cannot be taken.
    """
    limits = limits or EvidenceLimits()
    kind = inspect(data, filename, limits)
    if kind.is_image:
        cleaned, out_kind, removed, width, height = images.clean_image(data, kind, limits)
        return Cleaned(cleaned, out_kind, safe_name(filename, out_kind, limits.max_name_length), removed, width, height)
    name = safe_name(filename, kind, limits.max_name_length)
    if kind is Kind.PDF:
        cleaned, removed, pages = pdf.clean_pdf(data, limits)
        return Cleaned(cleaned, kind, name, removed, pages=pages)
    if kind.is_office:
        cleaned, removed = office.clean_office(data, kind, limits)
        return Cleaned(cleaned, kind, name, removed)
    cleaned, removed = text.clean(data)
    if not cleaned:
        raise errors.empty()
    return Cleaned(cleaned, kind, name, removed)


def check_submission(files: list[tuple[bytes, str]], limits: EvidenceLimits | None = None) -> None:
    """Refuse a submission by its count and total size before opening any file."""
    limits = limits or EvidenceLimits()
    if len(files) > limits.max_files:
        raise errors.too_many(limits.max_files)
    if sum(len(data) for data, _ in files) > limits.max_submission_bytes:
        raise errors.submission_too_big(limits.max_submission_bytes)


def clean_submission(files: list[tuple[bytes, str]], limits: EvidenceLimits | None = None) -> list[Cleaned]:
    """Every file of one submission cleaned, or the first refusal (none half)."""
    limits = limits or EvidenceLimits()
    check_submission(files, limits)
    return [clean(data, filename, limits) for data, filename in files]
