"""Parsers for the files of a LinkedIn data export, one module per file type."""
