"""Every module of this package holds checks (functions decorated with ``findings.check``)."""

import importlib
import pkgutil


def load():
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
