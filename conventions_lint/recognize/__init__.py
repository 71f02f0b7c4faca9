"""Shared answers to "is this a route / a mapped class / a Pydantic model / a `sqlalchemy.String`?".

Rules ask these modules; none of them repeats the question in its own way.
"""
