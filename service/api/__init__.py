"""HTTP resources, one blueprint each."""

from service.api.cables import bp as cables_bp
from service.api.docs import bp as docs_bp
from service.api.health import bp as health_bp
from service.api.index import bp as index_bp
from service.api.search import bp as search_bp

BLUEPRINTS = [index_bp, docs_bp, health_bp, search_bp, cables_bp]
