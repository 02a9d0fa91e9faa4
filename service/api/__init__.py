"""HTTP resources, one blueprint each."""

from service.api.health import bp as health_bp

BLUEPRINTS = [health_bp]
