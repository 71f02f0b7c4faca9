"""The language server: `conventions-lint server` (needs pygls: the `server` extra); see main.py."""
