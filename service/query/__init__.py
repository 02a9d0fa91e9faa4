"""Query parameters into safe MongoDB queries: filters, cursors, full text, facets, export."""
