from alembic import context
from sqlalchemy import engine_from_config, pool

from shop.db.base import Base


def run_migrations_online() -> None:
    connectable = engine_from_config(context.config.get_section("alembic"), poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
