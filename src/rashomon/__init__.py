"""rashomon: one event, many accounts.

import rashomon
comparison = rashomon.compare(["a.txt", "b.html", "c.txt"])
"""

from __future__ import annotations

from rashomon.errors import InputError, NoArticlesError, RashomonError, UsageError
from rashomon.model import Article, Comparison
from rashomon.settings import CompareOptions
from rashomon.workspace import Workspace, compare

__version__ = "0.1.0"
__all__ = [
    "Article",
    "CompareOptions",
    "Comparison",
    "InputError",
    "NoArticlesError",
    "RashomonError",
    "UsageError",
    "Workspace",
    "__version__",
    "compare",
]
