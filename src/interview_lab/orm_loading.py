"""The N+1 query in an ORM: SQLAlchemy 2 relationship loading, with every statement counted.

``Order.customer`` is a many-to-one relationship with SQLAlchemy's default
``lazy="select"``: reading ``order.customer`` for an order whose customer is not
yet in the session runs one SELECT. A loop over a page of orders therefore runs
one query for the page plus one per distinct customer (the session's identity
map spares the repeats). Loader options change that per query:
``joinedload`` adds a JOIN (1 statement), ``selectinload`` runs one extra
``SELECT ... WHERE id IN (...)`` (2 statements), ``raiseload`` turns any lazy
load into an error, which is how a test suite keeps N+1 from coming back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Engine, ForeignKey, create_engine, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship
from sqlalchemy.pool import StaticPool

from interview_lab import sim_db


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    tier: Mapped[str]
    orders: Mapped[list[Order]] = relationship(back_populates="customer")


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    total_cents: Mapped[int]
    customer: Mapped[Customer | None] = relationship(back_populates="orders")  # lazy="select"


def make_engine(*, customers: int = 50, orders: int = 500) -> Engine:
    """An in-memory SQLite engine with the lesson's rows (the same data as ``sim_db``)."""
    engine = create_engine("sqlite://", poolclass=StaticPool)
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        sim_db.fill(conn.connection.driver_connection, customers=customers, orders=orders)
    return engine


@contextlib.contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine sends inside the block."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def page(engine: Engine, limit: int, options: Sequence[Any] = ()) -> list[dict]:
    """The newest ``limit`` orders with their customer's name, in a fresh session."""
    with Session(engine) as session:
        orders = session.scalars(select(Order).options(*options)
                                 .order_by(Order.id.desc()).limit(limit)).all()
        return [{"id": o.id, "total_cents": o.total_cents,
                 "customer": o.customer.name if o.customer else None} for o in orders]


def distinct_customers(engine: Engine, limit: int) -> int:
    """How many different customers the newest ``limit`` orders belong to."""
    with Session(engine) as session:
        newest = select(Order.customer_id).order_by(Order.id.desc()).limit(limit).subquery()
        return len(session.scalars(select(newest.c.customer_id).distinct()).all())
