"""The one shape of a broken rule in a service: a sentence a person can act on, the form field
at fault (so a view can put the message beside it) and a short code for programs."""


class FieldError(Exception):
    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
