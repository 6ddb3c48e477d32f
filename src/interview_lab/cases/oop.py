"""Hidden checks for solutions/05_oop.ipynb.

Every exercise hands in a *class*, so each is checked by a ``check`` function
that instantiates it, subclasses it, combines it with classes of its own and
looks at behaviour: validation on every assignment, the class a factory
returns when called on a subclass, when an ABC refuses to instantiate, and the
order and count of calls along a cooperative ``super()`` chain.

A stub's ``raise NotImplementedError`` sits inside ``__init__`` or the first
method the check calls, so each check starts by calling it and lets the
NotImplementedError through.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

from interview_lab.checks import CheckFailed, Exercise, call_learner, expect_raise
from interview_lab.oop_demo import Model


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def _subclass(base: type, name: str, namespace: dict[str, Any] | None = None,
              bases: tuple[type, ...] = ()) -> type:
    """type(name, (base, *bases), namespace), with a clear message when it cannot be built."""
    try:
        return type(name, (base, *bases), dict(namespace or {}))
    except TypeError as exc:
        names = ", ".join(b.__name__ for b in (base, *bases))
        raise CheckFailed(f"could not define `class {name}({names})`: {exc}") from exc


# --- exercise 1: Money -------------------------------------------------------------

BAD_MONEY: tuple[tuple[Any, Any, type[Exception], str], ...] = (
    (-1, "EUR", ValueError, "a negative amount"),
    (10.5, "EUR", TypeError, "a float amount (money in floats loses cents)"),
    ("100", "EUR", TypeError, "a str amount"),
    (True, "EUR", TypeError, "a bool amount (True is an int subclass; still not money)"),
    (None, "EUR", TypeError, "None as the amount"),
    (100, "EURO", ValueError, "a 4-letter currency"),
    (100, "EU", ValueError, "a 2-letter currency"),
    (100, "E1R", ValueError, "a currency with a digit"),
    (100, "", ValueError, "an empty currency"),
    (100, "ÉUR", ValueError, "a currency with a non-ASCII letter"),
    (100, None, TypeError, "None as the currency"),
    (100, 978, TypeError, "a numeric currency code"),
)

SHOWN_MONEY: tuple[tuple[int, str, str, str], ...] = (
    (1050, "EUR", "10.50 EUR", "Money(1050, 'EUR')"),
    (5, "usd", "0.05 USD", "Money(5, 'USD')"),
    (0, "JPY", "0.00 JPY", "Money(0, 'JPY')"),
    (123456789, "GBP", "1234567.89 GBP", "Money(123456789, 'GBP')"),
    (100, "chf", "1.00 CHF", "Money(100, 'CHF')"),
)


def check_money(cls: Callable) -> None:
    first = call_learner(lambda: cls(1050, "EUR"), "Money(1050, 'EUR')")
    _expect((first.cents, first.currency) == (1050, "EUR"),
            f"Money(1050, 'EUR') has cents={first.cents!r}, currency={first.currency!r}")
    for cents, currency, text, rep in SHOWN_MONEY:
        call = f"Money({cents!r}, {currency!r})"
        money = call_learner(lambda c=cents, cur=currency: cls(c, cur), call)
        _expect(money.currency == currency.upper(),
                f"{call}.currency is {money.currency!r}; expected {currency.upper()!r} "
                "(codes are stored in upper case)")
        _expect(str(money) == text and f"{money}" == text,
                f"str({call}) is {str(money)!r}; expected {text!r} (for people: two decimals "
                "and the code)")
        _expect(repr(money) == rep, f"repr({call}) is {repr(money)!r}; expected {rep!r} "
                "(for developers: an expression that rebuilds the object)")
        _expect(str([money]) == f"[{rep}]", f"str([{call}]) is {str([money])!r}; a list shows "
                f"the repr of its items, so expected {'[' + rep + ']'!r}")
    for cents, currency, exc_type, what in BAD_MONEY:
        expect_raise(exc_type, lambda c=cents, cur=currency: cls(c, cur),
                f"Money({cents!r}, {currency!r}), {what}")
    _check_money_assignment(cls)
    _check_money_equality(cls)


def _check_money_assignment(cls: Callable) -> None:
    money = call_learner(lambda: cls(1050, "EUR"), "Money(1050, 'EUR')")
    for attr, value, exc_type in (("cents", -5, ValueError), ("cents", 1.5, TypeError),
                                  ("currency", "dollars", ValueError),
                                  ("currency", None, TypeError)):
        what = f"money.{attr} = {value!r} after construction"
        expect_raise(exc_type, lambda a=attr, v=value: setattr(money, a, v),
                f"{what} (validate every assignment, not only in __init__: use a property)")
        _expect((money.cents, money.currency) == (1050, "EUR"),
                f"{what} was refused but left cents={money.cents!r}, "
                f"currency={money.currency!r}; a rejected value must not be stored")
    call_learner(lambda: setattr(money, "cents", 2000), "money.cents = 2000")
    _expect(money.cents == 2000 and str(money) == "20.00 EUR",
            f"after money.cents = 2000, str(money) is {str(money)!r}; expected '20.00 EUR'")
    call_learner(lambda: setattr(money, "currency", "usd"), "money.currency = 'usd'")
    _expect(money.currency == "USD", f"after money.currency = 'usd', money.currency is "
            f"{money.currency!r}; expected 'USD' (assignments are normalised too)")


def _check_money_equality(cls: Callable) -> None:
    one = call_learner(lambda: cls(100, "EUR"), "Money(100, 'EUR')")
    for other, equal, what in ((cls(100, "eur"), True, "Money(100, 'eur')"),
                               (cls(100, "USD"), False, "Money(100, 'USD')"),
                               (cls(101, "EUR"), False, "Money(101, 'EUR')")):
        got = call_learner(lambda o=other: one == o, f"Money(100, 'EUR') == {what}")
        _expect(got is equal, f"Money(100, 'EUR') == {what} is {got!r}; expected {equal} "
                "(equal when amount and currency are equal)")
    for other in (100, "1.00 EUR", None):
        got = call_learner(lambda o=other: one == o, f"Money(100, 'EUR') == {other!r}")
        _expect(got is False, f"Money(100, 'EUR') == {other!r} is {got!r}; expected False "
                "(return NotImplemented for other types, and Python answers False)")


# --- exercise 2: DatabaseConfig ------------------------------------------------------


def _config_fields(config: Any) -> tuple[Any, Any, Any]:
    return (getattr(config, "host", "<missing>"), getattr(config, "port", "<missing>"),
            getattr(config, "name", "<missing>"))


def _expect_config(config: Any, cls: type, fields: tuple[str, int, str], call: str) -> None:
    _expect(type(config) is cls, f"{call} returned a {type(config).__name__}; expected a "
            f"{cls.__name__} (build it with cls(...), so subclasses get their own type)")
    got = _config_fields(config)
    _expect(got == fields and type(got[1]) is int,
            f"{call} gave (host, port, name) = {got!r}; expected {fields!r}")


def check_database_config(cls: Callable) -> None:
    direct = call_learner(lambda: cls("db", 5432, "app"), "DatabaseConfig('db', 5432, 'app')")
    _expect(_config_fields(direct) == ("db", 5432, "app"),
            f"DatabaseConfig('db', 5432, 'app') stored {_config_fields(direct)!r}")
    _expect(isinstance(cls, type), "DatabaseConfig must be a class")
    for data, fields in (
        ({"host": "db"}, ("db", 5432, "app")),
        ({"host": "db", "port": "6432", "name": "billing"}, ("db", 6432, "billing")),
        ({"host": "db", "port": 5433, "sslmode": "require"}, ("db", 5433, "app")),
    ):
        before = dict(data)
        call = f"DatabaseConfig.from_dict({data!r})"
        config = call_learner(lambda d=data: cls.from_dict(d), call)
        _expect_config(config, cls, fields, call)
        _expect(data == before, f"{call} changed its argument to {data!r}; read it, don't pop")
    for data, exc_type in (({"port": 5432}, KeyError), ({}, KeyError),
                           ({"host": "db", "port": "abc"}, ValueError),
                           ({"host": "db", "port": 0}, ValueError),
                           ({"host": "db", "port": "70000"}, ValueError)):
        expect_raise(exc_type, lambda d=data: cls.from_dict(d),
                     f"DatabaseConfig.from_dict({data!r})")
    env = {"DB_HOST": "pg.internal", "DB_PORT": "5433", "DB_NAME": "orders", "HOME": "/root"}
    call = f"DatabaseConfig.from_env({env!r})"
    _expect_config(call_learner(lambda: cls.from_env(env), call), cls,
                   ("pg.internal", 5433, "orders"), call)
    expect_raise(KeyError, lambda: cls.from_env({"HOME": "/root"}),
            "DatabaseConfig.from_env({'HOME': '/root'}) without DB_HOST", mentions="host")
    _check_config_subclasses(cls)


def _check_config_subclasses(cls: type) -> None:
    replica = _subclass(cls, "ReplicaConfig", {"default_port": 6432})
    call = "ReplicaConfig.from_dict({'host': 'replica'}) with ReplicaConfig.default_port = 6432"
    _expect_config(call_learner(lambda: replica.from_dict({"host": "replica"}), call), replica,
                   ("replica", 6432, "app"), call)
    call = "ReplicaConfig.from_env({'DB_HOST': 'replica'})"
    _expect_config(call_learner(lambda: replica.from_env({"DB_HOST": "replica"}), call), replica,
                   ("replica", 6432, "app"), call)
    seen: list[dict] = []

    def from_dict(sub: type, data: dict) -> Any:  # a subclass that adds to from_dict
        seen.append(dict(data))
        return super(audited, sub).from_dict(data)

    audited = _subclass(cls, "AuditedConfig", {"from_dict": classmethod(from_dict)})
    call = "AuditedConfig.from_env({'DB_HOST': 'h'}), AuditedConfig overriding from_dict"
    _expect_config(call_learner(lambda: audited.from_env({"DB_HOST": "h"}), call), audited,
                   ("h", 5432, "app"), call)
    _expect(seen == [{"host": "h"}],
            f"{call}: the subclass's from_dict saw {seen!r}; expected [{{'host': 'h'}}]. "
            "from_env must build through cls.from_dict, passing only the keys that are set")


# --- exercise 3: Notifier -----------------------------------------------------------


def _recorder(base: type) -> type:
    def __init__(self: Any, bounce: str = "@bounce.test") -> None:
        super(recorder, self).__init__()
        self.sent: list[tuple[str, str]] = []
        self.bounce = bounce

    def send(self: Any, to: str, message: str) -> bool:
        self.sent.append((to, message))
        return not to.endswith(self.bounce)

    recorder = _subclass(base, "RecordingNotifier", {"__init__": __init__, "send": send})
    return recorder


def check_notifier(cls: Callable) -> None:
    _expect(isinstance(cls, type), "Notifier must be a class")
    recorder = _recorder(cls)
    channel = call_learner(recorder, "RecordingNotifier() (a subclass that implements only send)")
    people = ["ann@x.test", "bob@bounce.test", "ann@x.test", "cy@x.test"]
    call = f"notify_all({people!r}, 'deploy done')"
    got = call_learner(lambda: channel.notify_all(people, "deploy done"), call)
    _expect(channel.sent == [("ann@x.test", "deploy done"), ("bob@bounce.test", "deploy done"),
                             ("cy@x.test", "deploy done")],
            f"{call} called send with {channel.sent!r}; expected each distinct recipient once, "
            "in first-seen order")
    _expect(got == 2 and type(got) is int,
            f"{call} returned {got!r}; expected 2 (bob's send returned False: count deliveries)")
    channel = recorder()
    got = call_learner(lambda: channel.notify_all([], "x"), "notify_all([], 'x')")
    _expect(got == 0 and channel.sent == [], f"notify_all([], 'x') returned {got!r} and sent "
            f"{channel.sent!r}; expected 0 and nothing sent")
    channel = recorder()
    stream: Iterator[str] = (f"user{i}@x.test" for i in (1, 2, 1))
    got = call_learner(lambda: channel.notify_all(stream, "hi"), "notify_all(<a generator>, 'hi')")
    _expect(got == 2 and [to for to, _ in channel.sent] == ["user1@x.test", "user2@x.test"],
            f"notify_all(<generator of user1, user2, user1>) returned {got!r} after sending to "
            f"{[to for to, _ in channel.sent]!r}; recipients may be any iterable, read once")
    expect_raise(TypeError, cls, "Notifier() (the abstract base itself)", mentions="send")
    incomplete = _subclass(cls, "SmsNotifier", {})
    expect_raise(TypeError, incomplete, "SmsNotifier(), a subclass that does not implement send",
            mentions="send")
    abstract = set(getattr(cls, "__abstractmethods__", ()))
    _expect(abstract == {"send"}, f"Notifier.__abstractmethods__ is {abstract!r}; expected "
            "{'send'} (notify_all is concrete, shared by every channel)")


# --- exercise 4: AuditMixin -----------------------------------------------------------


class TimestampMixin(Model):
    """The check's other cooperative mixin: stamps ``updated_at`` from a clock on every save."""

    inits = 0

    def __init__(self, *, clock: Iterator[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        type(self).inits += 1
        self.clock = clock
        self.stamps = 0

    def save(self) -> dict[str, Any]:
        self.stamps += 1
        self.updated_at = next(self.clock)
        return super().save()


def _check_audited_save(model: type, label: str, timestamps: bool) -> None:
    kwargs: dict[str, Any] = {"id": 7, "user": "ann"}
    if timestamps:
        kwargs["clock"] = itertools.count(1)
    call = f"{label}({', '.join(f'{k}=...' for k in kwargs)})"
    record = call_learner(lambda: model(**kwargs), call)
    _expect(getattr(record, "user", None) == "ann" and getattr(record, "id", None) == 7,
            f"{call}: expected record.user == 'ann' and record.id == 7 (every __init__ in the "
            "chain must run: pass the other keywords on with super().__init__(**kwargs))")
    if timestamps:
        _expect(model.inits == 1, f"{call} ran TimestampMixin.__init__ {model.inits} times; "
                "expected once")
    for n in (1, 2):
        got = call_learner(record.save, f"{label}.save() #{n}")
        saved = getattr(record, "saved", [])
        _expect(len(saved) == n, f"after {n} save(s) of {label}, Model.save ran {len(saved)} "
                f"times; expected {n} (once per save: call super().save() exactly once)")
        _expect(got is saved[-1], f"{label}.save() returned {got!r}; expected what the next "
                "class's save() returned (return super().save())")
        _expect(saved[-1].get("updated_by") == "ann",
                f"{label}.save() #{n} stored {saved[-1]!r}: no updated_by='ann'. Set it before "
                "handing on to super().save(), so the saved snapshot includes it")
        if timestamps:
            _expect(record.stamps == n and saved[-1].get("updated_at") == n,
                    f"{label}.save() #{n}: TimestampMixin.save ran {record.stamps} times in "
                    f"total; expected {n}. The chain skipped or repeated a class: call "
                    "super().save(), not a base class by name")
        log = getattr(record, "audit_log", None)
        _expect(log == ["ann"] * n, f"after {n} save(s), record.audit_log is {log!r}; expected "
                f"{['ann'] * n!r}")


def check_audit_mixin(cls: Callable) -> None:
    _expect(isinstance(cls, type), "AuditMixin must be a class")
    for label, bases, timestamps in (
        ("Invoice(AuditMixin, TimestampMixin, Model)", (TimestampMixin, Model), True),
        ("Invoice(AuditMixin, Model)", (Model,), False),
    ):
        _check_audited_save(_subclass(cls, "Invoice", {"inits": 0}, bases), label, timestamps)
    after = _subclass(TimestampMixin, "Order", {"inits": 0}, (cls, Model))
    _check_audited_save(after, "Order(TimestampMixin, AuditMixin, Model)", True)
    plain = _subclass(cls, "Note", {}, (Model,))
    first = call_learner(lambda: plain(id=1, user="ann"), "Note(id=1, user='ann')")
    second = call_learner(lambda: plain(id=2, user="bob"), "Note(id=2, user='bob')")
    call_learner(first.save, "first.save()")
    _expect(getattr(second, "audit_log", None) == [],
            f"after saving one record, another record's audit_log is "
            f"{getattr(second, 'audit_log', None)!r}; expected [] (create the list per "
            "instance in __init__, not as a class attribute)")
    expect_raise(TypeError, lambda: plain(id=3), "Note(id=3) without user", mentions="user")
    expect_raise(TypeError, lambda: plain(id=4, user="ann", colour="red"),
            "Note(id=4, user='ann', colour='red'): an unknown keyword must still fail "
            "(pass **kwargs on; object.__init__ at the end refuses it)")


EXERCISES = {
    "Money": Exercise(check=check_money),
    "DatabaseConfig": Exercise(check=check_database_config),
    "Notifier": Exercise(check=check_notifier),
    "AuditMixin": Exercise(check=check_audit_mixin),
}
