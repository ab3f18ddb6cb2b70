"""Keep PySide6 from holding the source lines of every module the app imports.

Once PySide6 is imported, it looks at each module imported after it for the text "PySide6"
(`shibokensupport.feature._mod_uses_pyside`, for its opt-in `from __feature__ import ...`,
which this app never uses) with `inspect.getsource`, and that leaves every line of every
module's source in `linecache`: half a million lines (some 60 MB) once numpy, SQLAlchemy,
pyarrow and the store are in. The check is kept as it is; the lines it read are dropped
right after it (linecache reads them again from the file if a traceback ever needs them).
"""

from __future__ import annotations

import linecache
import sys


def forget_module_sources() -> None:
    """Wrap PySide6's check so that it keeps no source lines, and drop those it kept so far.

    Does nothing where PySide6 is not imported or its internals differ (the app then only uses more memory)."""
    feature = sys.modules.get("shibokensupport.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    if check is None or getattr(check, "forgets_sources", False):
        return

    def uses_pyside(module) -> bool:
        cached = set(linecache.cache)
        try:
            return check(module)
        finally:
            for name in linecache.cache.keys() - cached:
                linecache.cache.pop(name, None)

    uses_pyside.forgets_sources = True
    feature._mod_uses_pyside = uses_pyside
    linecache.clearcache()
