"""The query layer's one error: a parameter whose value cannot be used (service/errors.py
answers it with a 400 naming the parameter)."""

from __future__ import annotations


class ParameterError(ValueError):
    """A request parameter that cannot be used, with why."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason
