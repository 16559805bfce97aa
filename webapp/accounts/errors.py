"""What can go wrong with an account, as exceptions a form or command can show.

Each message is written for the person at the screen and says what to do.
"""


class AccountError(Exception):
    """A change to an account or service that cannot be made; the message says why."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field  # the form field the message belongs to, if any
