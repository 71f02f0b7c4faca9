from sqlalchemy import TypeDecorator, Unicode


class StrEnumType(TypeDecorator):
    """Stores an enum by its value."""

    impl = Unicode
    cache_ok = True
