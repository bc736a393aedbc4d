import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|&#|javascript:", re.IGNORECASE)


@deconstructible
class NoMarkupValidator:
    """Refuse HTML or script in plain-text fields.

    Output is escaped anyway; refusing markup keeps records readable when they are exported,
    printed in panel packs or sent to partner systems that may not escape.
    """

    message = "Remove the HTML or script from this answer (text in < > brackets)."
    code = "markup"

    def __call__(self, value: str) -> None:
        if value and _MARKUP.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoMarkupValidator)

    def __hash__(self) -> int:
        return hash(self.code)


no_markup = NoMarkupValidator()
