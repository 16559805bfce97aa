"""The risk package's exceptions, in one place so callers catch exactly what they mean."""


class RiskInputError(ValueError):
    """An answer the QFracture-2012 equations cannot use, with the field it belongs to.

    The message is written for a person (it names the field and the allowed values),
    so a form can show it next to the question and a practice list can put it in its
    `error` column unchanged. The equations are never run on a value outside the range
    they were published for: we refuse rather than clip.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class PracticeListError(Exception):
    """A practice list that cannot be scored at all (missing, not CSV, not UTF-8, no columns).

    One bad row never raises this: bad rows are reported in the output and the rest of
    the list is still scored.
    """
