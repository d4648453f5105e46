"""Sub-commands of the ``actviz`` command line, one module each (see :mod:`actviz.cli`)."""
