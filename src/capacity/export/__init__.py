"""Exports people take away: scorecards (Excel, PDF), batches of them, and the whole dataset.

Every figure in an export comes from the scoring engine through the same page-data
functions the dashboards use (`capacity.dashboard`), so a scorecard never disagrees with
the screen. Text that came from uploads is neutralised (`safe`) before it reaches a cell,
so no export can carry a spreadsheet formula. The submodules load their heavy libraries
(openpyxl, matplotlib, fpdf2) only when imported.
"""

from __future__ import annotations

from capacity.i18n import Message


class ExportError(ValueError):
    """An export cannot be made (e.g. no assessment that year); the message is translatable."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.render("en"))


__all__ = ["ExportError"]
