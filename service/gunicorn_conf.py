"""gunicorn settings for the container (`gunicorn -c python:service.gunicorn_conf`).

The same limits as `cables serve`, so that one slow or oversized client cannot hold the
production service either; bind, workers and threads come from the command line.
"""

from service.cli import SERVER_LIMITS

# gunicorn reads a config module's top-level names that match its settings.
globals().update(SERVER_LIMITS)
