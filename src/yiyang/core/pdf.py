"""HTML → PDF with WeasyPrint for every printable page (handover card, assessment report).

Nothing is fetched except inline `data:` URIs, so a page renders the same on a closed intranet.
A character no installed font has (a rare name character, 生僻字) prints as a box with only a
WeasyPrint warning; it is logged again here as an error (without the page's personal data).
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


class _MissingGlyphs(logging.Handler):
    """Collects WeasyPrint's ".notdef glyph rendered" warnings (a box instead of a character)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if ".notdef" in message:
            self.messages.append(message)


def html_to_pdf(html: str, *, what: str) -> bytes:
    """Render `html`; `what` names the document in the missing-glyph log line."""
    from weasyprint import HTML  # imported lazily: only printing needs Pango
    from weasyprint.urls import URLFetcher

    document = HTML(string=html, base_url="about:blank",
                    url_fetcher=URLFetcher(allowed_protocols={"data"}))
    watcher = _MissingGlyphs()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(watcher)
    try:
        pdf = document.write_pdf()
    finally:
        weasy_logger.removeHandler(watcher)
    if watcher.messages:
        logger.error("%s printed characters no font has: %s", what,
                     "; ".join(sorted(set(watcher.messages))))
    return pdf
