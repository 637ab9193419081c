"""Comparison → terminal, Markdown, HTML or JSON."""
