"""Report renderers for people and review tools, built from the JSON report document.

Both take the report dict (the JSON document ``normalize.report`` writes) rather than
engine objects, so a report saved to disk yesterday renders the same as a fresh one.
"""

from __future__ import annotations

from normalize.reports.html import write_html
from normalize.reports.sarif import to_sarif

__all__ = ["to_sarif", "write_html"]
