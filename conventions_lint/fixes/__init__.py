"""Fixes: how rules describe them (builder), what they are (model), and applying them (apply)."""
