"""Plausible wrong answers to solutions/05_oop.ipynb; each must fail its check."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from interview_lab.oop_demo import Model

# --- Money ----------------------------------------------------------------------------


class MoneyCheckedInInit:
    """Validates in __init__ only: later assignments to the plain attributes go unchecked."""

    def __init__(self, cents: int, currency: str) -> None:
        if type(cents) is not int:
            raise TypeError("cents must be an int")
        if cents < 0:
            raise ValueError("cents must not be negative")
        if not isinstance(currency, str):
            raise TypeError("currency must be a str")
        if len(currency) != 3 or not (currency.isascii() and currency.isalpha()):
            raise ValueError("bad currency")
        self.cents, self.currency = cents, currency.upper()

    def __repr__(self) -> str:
        return f"Money({self.cents!r}, {self.currency!r})"

    def __str__(self) -> str:
        return f"{self.cents // 100}.{self.cents % 100:02d} {self.currency}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MoneyCheckedInInit):
            return NotImplemented
        return (self.cents, self.currency) == (other.cents, other.currency)


class MoneyIsinstanceInt(MoneyCheckedInInit):
    """Properties done right, but isinstance(value, int) lets True and False in."""

    def __init__(self, cents: int, currency: str) -> None:
        self.cents, self.currency = cents, currency

    @property
    def cents(self) -> int:
        return self._cents

    @cents.setter
    def cents(self, value: int) -> None:
        if not isinstance(value, int):
            raise TypeError("cents must be an int")
        if value < 0:
            raise ValueError("cents must not be negative")
        self._cents = value

    @property
    def currency(self) -> str:
        return self._currency

    @currency.setter
    def currency(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("currency must be a str")
        if len(value) != 3 or not (value.isascii() and value.isalpha()):
            raise ValueError("bad currency")
        self._currency = value.upper()


class MoneyFloatFormat(MoneyIsinstanceInt):
    """Validation right (bool excluded), but str divides by 100 as a float: '10.5 EUR'."""

    @MoneyIsinstanceInt.cents.setter
    def cents(self, value: int) -> None:
        if type(value) is not int:
            raise TypeError("cents must be an int")
        if value < 0:
            raise ValueError("cents must not be negative")
        self._cents = value

    def __str__(self) -> str:
        return f"{self.cents / 100} {self.currency}"


class MoneySwapped(MoneyFloatFormat):
    """__str__ and __repr__ the wrong way round."""

    def __str__(self) -> str:
        return f"Money({self.cents!r}, {self.currency!r})"

    def __repr__(self) -> str:
        return f"{self.cents // 100}.{self.cents % 100:02d} {self.currency}"


class MoneyOnlyStr(MoneyFloatFormat):
    """Writes __str__ only: a list of prices shows <Money object at 0x...>."""

    __repr__ = object.__repr__

    def __str__(self) -> str:
        return f"{self.cents // 100}.{self.cents % 100:02d} {self.currency}"


class MoneyNoEq(MoneyOnlyStr):
    """Everything else right, but == is still identity."""

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"Money({self.cents!r}, {self.currency!r})"


class MoneyEqRaises(MoneyNoEq):
    """__eq__ that reads other.cents: comparing with an int raises AttributeError."""

    def __eq__(self, other: Any) -> bool:
        return (self.cents, self.currency) == (other.cents, other.currency)

    __hash__ = None  # type: ignore[assignment]


# --- DatabaseConfig ----------------------------------------------------------------------


class ConfigStaticFactory:
    """Static factories: they must name a class, so a subclass gets a ConfigStaticFactory."""

    default_port = 5432

    def __init__(self, host: str, port: int, name: str) -> None:
        self.host, self.port, self.name = host, port, name

    @staticmethod
    def from_dict(data: dict) -> ConfigStaticFactory:
        port = int(data.get("port", ConfigStaticFactory.default_port))
        if not 1 <= port <= 65535:
            raise ValueError("port out of range")
        return ConfigStaticFactory(data["host"], port, data.get("name", "app"))

    @staticmethod
    def from_env(environ: dict) -> ConfigStaticFactory:
        names = {"DB_HOST": "host", "DB_PORT": "port", "DB_NAME": "name"}
        return ConfigStaticFactory.from_dict(
            {key: environ[var] for var, key in names.items() if var in environ})


class ConfigHardCodedClass(ConfigStaticFactory):
    """Classmethods, but the body still says ConfigHardCodedClass(...) instead of cls(...)."""

    @classmethod
    def from_dict(cls, data: dict) -> ConfigHardCodedClass:
        port = int(data.get("port", cls.default_port))
        if not 1 <= port <= 65535:
            raise ValueError("port out of range")
        return ConfigHardCodedClass(data["host"], port, data.get("name", "app"))

    @classmethod
    def from_env(cls, environ: dict) -> ConfigHardCodedClass:
        names = {"DB_HOST": "host", "DB_PORT": "port", "DB_NAME": "name"}
        return cls.from_dict({key: environ[var] for var, key in names.items() if var in environ})


class ConfigBaseDefault(ConfigStaticFactory):
    """Builds cls(...), but reads the base's default port: a replica gets 5432."""

    @classmethod
    def from_dict(cls, data: dict) -> ConfigBaseDefault:
        port = int(data.get("port", ConfigBaseDefault.default_port))
        if not 1 <= port <= 65535:
            raise ValueError("port out of range")
        return cls(data["host"], port, data.get("name", "app"))

    @classmethod
    def from_env(cls, environ: dict) -> ConfigBaseDefault:
        names = {"DB_HOST": "host", "DB_PORT": "port", "DB_NAME": "name"}
        return cls.from_dict({key: environ[var] for var, key in names.items() if var in environ})


class ConfigPortString(ConfigBaseDefault):
    """Keeps the port exactly as given: '6432' stays a str."""

    @classmethod
    def from_dict(cls, data: dict) -> ConfigPortString:
        return cls(data["host"], data.get("port", cls.default_port), data.get("name", "app"))


class ConfigPops(ConfigBaseDefault):
    """pop() reads and removes: the caller's settings dict loses its keys."""

    @classmethod
    def from_dict(cls, data: dict) -> ConfigPops:
        port = int(data.pop("port", cls.default_port))
        if not 1 <= port <= 65535:
            raise ValueError("port out of range")
        return cls(data.pop("host"), port, data.pop("name", "app"))


class ConfigNoRange(ConfigBaseDefault):
    """Converts the port but accepts 0 and 70000."""

    @classmethod
    def from_dict(cls, data: dict) -> ConfigNoRange:
        return cls(data["host"], int(data.get("port", cls.default_port)),
                   data.get("name", "app"))


class _ConfigRightFromDict(ConfigBaseDefault):
    """Not a wrong answer itself: a correct from_dict for the from_env mistakes below."""

    @classmethod
    def from_dict(cls, data: dict) -> _ConfigRightFromDict:
        port = int(data.get("port", cls.default_port))
        if not 1 <= port <= 65535:
            raise ValueError("port out of range")
        return cls(data["host"], port, data.get("name", "app"))


class ConfigEnvSkipsFromDict(_ConfigRightFromDict):
    """from_env duplicates the parsing instead of going through cls.from_dict."""

    @classmethod
    def from_env(cls, environ: dict) -> ConfigEnvSkipsFromDict:
        return cls(environ["DB_HOST"], int(environ.get("DB_PORT", cls.default_port)),
                   environ.get("DB_NAME", "app"))


class ConfigEnvPassesNone(_ConfigRightFromDict):
    """from_env passes every key, None for the unset ones: int(None) fails."""

    @classmethod
    def from_env(cls, environ: dict) -> ConfigEnvPassesNone:
        return cls.from_dict({"host": environ["DB_HOST"], "port": environ.get("DB_PORT"),
                              "name": environ.get("DB_NAME")})


# --- Notifier ---------------------------------------------------------------------------


class NotifierNotImplemented:
    """The pre-ABC style: send raises NotImplementedError, so Notifier() is allowed."""

    def notify_all(self, recipients, message: str) -> int:
        seen: set[str] = set()
        delivered = 0
        for to in recipients:
            if to not in seen:
                seen.add(to)
                delivered += bool(self.send(to, message))
        return delivered

    def send(self, to: str, message: str) -> bool:
        raise NotImplementedError


class NotifierDecoratorOnly(NotifierNotImplemented):
    """@abstractmethod without ABC: the decorator alone prevents nothing."""

    @abstractmethod
    def send(self, to: str, message: str) -> bool: ...


class NotifierNoDedupe(ABC):
    """Sends to every entry, duplicates included."""

    def notify_all(self, recipients, message: str) -> int:
        return sum(1 for to in recipients if self.send(to, message))

    @abstractmethod
    def send(self, to: str, message: str) -> bool: ...


class NotifierCountsCalls(ABC):
    """Deduplicates, but counts attempts, not deliveries."""

    def notify_all(self, recipients, message: str) -> int:
        unique = list(dict.fromkeys(recipients))
        for to in unique:
            self.send(to, message)
        return len(unique)

    @abstractmethod
    def send(self, to: str, message: str) -> bool: ...


class NotifierSetOrder(ABC):
    """set(recipients) drops duplicates and the order with them."""

    def notify_all(self, recipients, message: str) -> int:
        return sum(1 for to in sorted(set(recipients), reverse=True) if self.send(to, message))

    @abstractmethod
    def send(self, to: str, message: str) -> bool: ...


class NotifierReadsTwice(ABC):
    """Checks for an empty input first, which uses up a generator's first item."""

    def notify_all(self, recipients, message: str) -> int:
        if not any(True for _ in recipients):
            return 0
        return sum(1 for to in dict.fromkeys(recipients) if self.send(to, message))

    @abstractmethod
    def send(self, to: str, message: str) -> bool: ...


class NotifierBothAbstract(ABC):
    """Marks notify_all abstract too: no channel that implements only send can exist."""

    @abstractmethod
    def notify_all(self, recipients, message: str) -> int:
        return sum(1 for to in dict.fromkeys(recipients) if self.send(to, message))

    @abstractmethod
    def send(self, to: str, message: str) -> bool: ...


# --- AuditMixin --------------------------------------------------------------------------


class AuditSavesByName(Model):
    """Calls Model.save(self) by name: any mixin between it and Model is skipped."""

    def __init__(self, *, user: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user, self.audit_log = user, []

    def save(self) -> dict:
        self.updated_by = self.user
        self.audit_log.append(self.user)
        return Model.save(self)


class AuditInitByName(Model):
    """Calls Model.__init__ by name: the next mixin's __init__ never runs."""

    def __init__(self, *, user: str, **kwargs: Any) -> None:
        Model.__init__(self, **kwargs)
        self.user, self.audit_log = user, []

    def save(self) -> dict:
        self.updated_by = self.user
        self.audit_log.append(self.user)
        return super().save()


class AuditDropsKwargs:
    """super().__init__() without **kwargs: Model never gets its id."""

    def __init__(self, *, user: str, **kwargs: Any) -> None:
        super().__init__()
        self.user, self.audit_log = user, []

    def save(self) -> dict:
        self.updated_by = self.user
        self.audit_log.append(self.user)
        return super().save()


class AuditNoReturn:
    """Calls super().save() but forgets to return its result."""

    def __init__(self, *, user: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user, self.audit_log = user, []

    def save(self) -> None:
        self.updated_by = self.user
        self.audit_log.append(self.user)
        super().save()


class AuditTooLate:
    """Records updated_by after the save: the stored snapshot never has it."""

    def __init__(self, *, user: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user, self.audit_log = user, []

    def save(self) -> dict:
        result = super().save()
        self.updated_by = self.user
        self.audit_log.append(self.user)
        return result


class AuditSharedLog:
    """audit_log as a class attribute: every record appends to one list."""

    audit_log: list[str] = []

    def __init__(self, *, user: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    def save(self) -> dict:
        self.updated_by = self.user
        self.audit_log.append(self.user)
        return super().save()


class AuditOptionalUser:
    """user=None default and swallowed extras: missing and misspelt keywords pass silently."""

    def __init__(self, *, user: str | None = None, id: int, **kwargs: Any) -> None:
        super().__init__(id=id, **{k: v for k, v in kwargs.items() if k == "clock"})
        self.user, self.audit_log = user, []

    def save(self) -> dict:
        self.updated_by = self.user
        self.audit_log.append(self.user)
        return super().save()


WRONG = {
    "Money": [MoneyCheckedInInit, MoneyIsinstanceInt, MoneyFloatFormat, MoneySwapped,
              MoneyOnlyStr, MoneyNoEq, MoneyEqRaises],
    "DatabaseConfig": [ConfigStaticFactory, ConfigHardCodedClass, ConfigBaseDefault,
                       ConfigPortString, ConfigPops, ConfigNoRange, ConfigEnvSkipsFromDict,
                       ConfigEnvPassesNone],
    "Notifier": [NotifierNotImplemented, NotifierDecoratorOnly, NotifierNoDedupe,
                 NotifierCountsCalls, NotifierSetOrder, NotifierReadsTwice, NotifierBothAbstract],
    "AuditMixin": [AuditSavesByName, AuditInitByName, AuditDropsKwargs, AuditNoReturn,
                   AuditTooLate, AuditSharedLog, AuditOptionalUser],
}
