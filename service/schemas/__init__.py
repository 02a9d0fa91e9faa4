"""Marshmallow schemas for request arguments and bodies."""
