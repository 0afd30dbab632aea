"""Evidence files: decide what a file is by its content, and remove from it
whatever could identify the reporter (see each module for what exactly).

A pure library over bytes: nothing here touches the disk, the database or the
network. Sealing and storing the cleaned bytes is the caller's job.
"""

from .cleaner import Cleaned, check_submission, clean, clean_submission
from .errors import EvidenceRefused
from .kinds import Kind, inspect
from .limits import EvidenceLimits
from .names import safe_name

__all__ = [
    "Cleaned",
    "EvidenceLimits",
    "EvidenceRefused",
    "Kind",
    "check_submission",
    "clean",
    "clean_submission",
    "inspect",
    "safe_name",
]
