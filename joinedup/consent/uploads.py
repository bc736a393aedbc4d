"""Signed consent forms: kept outside the web root under a random name, never given a public
address, and accepted only when the file's own first bytes say it is a PDF, JPEG or PNG."""

import os
import uuid
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

SIGNED_FORM_MAX_BYTES = 5 * 1024 * 1024
SIGNED_FORM_TYPES_IN_WORDS = "a PDF, JPEG or PNG"

# (first bytes, content type, extension). The extension a person's file had is ignored.
_MAGIC = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
EXTENSION_OF = {content_type: extension for _, content_type, extension in _MAGIC}


def detected_type(upload: IO[bytes]) -> str | None:
    """The content type the file's first bytes show, or None if it is none we accept."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    for magic, content_type, _ in _MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def signed_form_problem(upload: Any) -> str | None:
    """What is wrong with an uploaded signed form, in words for the person who chose it."""
    if upload.size > SIGNED_FORM_MAX_BYTES:
        return "The signed consent form must be smaller than 5 MB"
    if upload.size == 0:
        return "The signed consent form is empty: choose the scanned or photographed form"
    if detected_type(upload) is None:
        return f"The signed consent form must be {SIGNED_FORM_TYPES_IN_WORDS} file"
    return None


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under settings.JOINEDUP_PRIVATE_STORAGE (read each time, so tests can move it),
    which no web server serves: the only way out is the permission-checked download view."""

    @property
    def base_location(self) -> str:
        return str(settings.JOINEDUP_PRIVATE_STORAGE)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public address: use the download view")


def random_name(content_type: str) -> str:
    """A random name: the family's or worker's own file name could identify the child."""
    return f"consent/{uuid.uuid4().hex}{EXTENSION_OF.get(content_type, '')}"


def signed_form_name(instance: Any, filename: str) -> str:
    return random_name(getattr(instance, "signed_form_type", ""))
