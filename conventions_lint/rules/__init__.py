"""The rules, one module per family of conventions. Every `Rule` subclass defined in a module
of this package is registered (conventions_lint/registry.py): nothing here lists them."""
