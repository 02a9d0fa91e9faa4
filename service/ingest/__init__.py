"""Ingestion: streaming readers turn uploads and paths into items; the pipeline stores them."""

from service.ingest.items import Item
from service.ingest.pipeline import BulkReport, ingest
from service.ingest.readers import (
    BULK_READERS,
    MULTIPART_MEDIA_TYPE,
    Limits,
    read_file,
    read_multipart,
    read_paths,
)

__all__ = [
    "BULK_READERS",
    "MULTIPART_MEDIA_TYPE",
    "BulkReport",
    "Item",
    "Limits",
    "ingest",
    "read_file",
    "read_multipart",
    "read_paths",
]
