"""gunicorn settings for the container (`gunicorn -c python:service.gunicorn_conf`).

The worker settings of `cables serve` (service.server), so that one slow or oversized client
cannot hold the production service either; bind, workers and threads come from the command
line. It imports no part of the CLI.
"""

from service.server import SERVER_LIMITS

# gunicorn reads a config module's top-level names that match its settings.
globals().update(SERVER_LIMITS)
