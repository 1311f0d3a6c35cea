"""Former home of the trade-file importer, now the package briefkit.importing; kept so that
`from briefkit.importers import import_file, summary` (the CLI) goes on working."""
from .importing import *  # noqa: F401,F403
from .importing import __all__  # noqa: F401
