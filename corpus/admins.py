"""Admin accounts, login throttling and admin sessions, in the data directory's database (SQLite or PostgreSQL).

Only a salted scrypt hash of each password is stored. Failed logins are counted per client, per account name and
overall in a table, so several server instances on one database share the lockouts. Sessions are random tokens of
which only a SHA-256 digest is stored; the web app puts the token in an HttpOnly cookie (ui.web.auth).

No gradio here: the CLI (`hazkb admin`, `hazkb serve`) and the web app both use this module.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import math
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from .catalog import make_engine, prepare_home, utc_now
from .errors import HazkbError, StoreError
from .tables import create_tables

log = logging.getLogger(__name__)

FIRST_ADMIN = "admin"
MIN_PASSWORD = 8
MAX_NAME = 64
# scrypt cost: 16 MiB and about 50 ms per check on a small server; stored with each hash, so it can be raised later.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_NAME = re.compile(r"^[^\s\x00-\x1f\x7f]{1,64}$")
_LOGGABLE = re.compile(r"[\x00-\x1f\x7f]")
# A generated password: 4 groups of 4, no look-alike characters (0/O, 1/l/I).
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

metadata = MetaData()

admin_accounts = Table(
    "admin_accounts",
    metadata,
    Column("user", String(MAX_NAME), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# One row per failed login (kept for the throttle window); locked-out attempts are not recorded.
admin_login_failures = Table(
    "admin_login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user", String(200), nullable=False, index=True),
    Column("client", String(100), nullable=False, index=True),
    Column("at", DateTime, nullable=False, index=True),
)

admin_sessions = Table(
    "admin_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user", String(MAX_NAME), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False, index=True),
)


class AdminError(HazkbError):
    """An admin account operation was refused (name taken, unknown account, weak password...)."""


def already_exists(name: str) -> AdminError:
    return AdminError(f"管理员账号“{name}”已存在；要更改它的密码请运行 hazkb admin passwd {name}")


def unknown_account(name: str) -> AdminError:
    shown = _loggable(name)
    return AdminError(f"没有管理员账号“{shown}”；用 hazkb admin list 查看现有账号，或用 hazkb admin add {shown} 新建")


# -- passwords -------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """'scrypt$N$r$p$salt$digest' (base64), with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of a password against a stored hash; False for a malformed hash."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


_DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + _b64(bytes(32))


def generate_password() -> str:
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))


def check_name(user: str) -> str:
    name = (user or "").strip()
    if not _NAME.match(name):
        raise AdminError(f"管理员账号“{_loggable(name)}”无效：账号为 1–{MAX_NAME} 个字符，不能含空格或控制字符")
    return name


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AdminError(f"密码太短：至少 {MIN_PASSWORD} 个字符；建议用字母、数字和符号组合")
    if password != password.strip():
        raise AdminError("密码首尾不能有空格；请重新输入")


def _loggable(text: str | None, limit: int = 80) -> str:
    """A name as typed, safe for one log line (no control characters, bounded)."""
    return _LOGGABLE.sub("?", text or "")[:limit]


# -- throttling ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThrottlePolicy:
    """`limit` failures within `window` lock the scope until `lock` after its latest failure.

    Per client (any account name), per account name (any client) and overall (a distributed guess)."""

    client_limit: int = 5
    user_limit: int = 10
    overall_limit: int = 100
    window: timedelta = timedelta(minutes=15)
    lock: timedelta = timedelta(minutes=5)


@dataclass
class LoginOutcome:
    ok: bool
    user: str = ""
    locked_until: datetime | None = None  # naive UTC, when a lockout refused the attempt (or the failure caused one)
    locked_scope: str = ""  # "client", "user" or "overall"
    failures_left: int | None = None  # before this client is locked

    @property
    def locked(self) -> bool:
        return self.locked_until is not None

    def message(self, now: datetime | None = None) -> str:
        """What the login form says (Chinese), with when to try again."""
        if self.ok:
            return ""
        if self.locked_until is not None:
            now = now or utc_now()
            minutes = max(1, math.ceil((self.locked_until - now).total_seconds() / 60))
            local = self.locked_until.replace(tzinfo=timezone.utc).astimezone()
            who = {"client": "本机", "user": "该账号", "overall": "管理员登录"}.get(self.locked_scope, "登录")
            return (f"登录失败次数过多，{who}已暂时锁定；请在 {local:%H:%M} 之后（约 {minutes} 分钟后）再试。"
                    "急需登录时，可在服务器上运行 hazkb admin unlock 立即解除。")
        left = ""
        if self.failures_left is not None and self.failures_left <= 3:
            left = f"再错 {self.failures_left} 次将暂时锁定登录。"
        return f"账号或密码错误，请重新输入。{left}"


# -- the store -------------------------------------------------------------------------------------


@dataclass
class AdminAccount:
    user: str
    created_at: datetime
    updated_at: datetime


class AdminStore:
    """Admin accounts of one database. `env_account` (HAZKB_ADMIN_USER / HAZKB_ADMIN_PASSWORD) is accepted too,
    compared in constant time; it is never written to the database."""

    def __init__(self, url: str, env_account: tuple[str, str] | None = None,
                 policy: ThrottlePolicy | None = None, session_hours: float = 12.0):
        self.url = url
        self.engine = make_engine(url)
        self.env_account = env_account
        self.policy = policy or ThrottlePolicy()
        self.session_lifetime = timedelta(hours=session_hours)

    @classmethod
    def open(cls, settings) -> AdminStore:
        """The store of a home (the same database as the catalog), tables created if new."""
        prepare_home(settings)
        env = (settings.admin_user, settings.admin_password) if settings.admin_user and settings.admin_password \
            else None
        policy = ThrottlePolicy(client_limit=settings.login_max_failures,
                                user_limit=2 * settings.login_max_failures,
                                lock=timedelta(minutes=settings.login_lock_minutes))
        store = cls(settings.db_url, env, policy, settings.admin_session_hours)
        store.create()
        return store

    def create(self) -> None:
        try:
            create_tables(metadata, self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"无法创建管理员账号数据表（{exc}）；请检查数据目录的写权限或数据库地址") from exc

    def close(self) -> None:
        self.engine.dispose()

    def _write(self, what: str):
        return _writing(self.engine, what)

    # -- accounts ------------------------------------------------------------------------------

    def accounts(self) -> list[AdminAccount]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(admin_accounts).order_by(admin_accounts.c.user)).all()
        return [AdminAccount(r.user, r.created_at, r.updated_at) for r in rows]

    def exists(self, user: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(admin_accounts.c.user).where(admin_accounts.c.user == (user or "").strip())
                                ).first() is not None

    def configured(self) -> bool:
        """Any way to log in: a stored account or the environment's."""
        if self.env_account is not None:
            return True
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(admin_accounts)).scalar_one() > 0

    def add(self, user: str, password: str) -> str:
        name = check_name(user)
        check_password(password)
        if not self._insert(name, password):
            raise already_exists(name)
        log.info("admin account added: %s", name)
        return name

    def _insert(self, name: str, password: str) -> bool:
        """Store a new account with the password's hash; False when the name is taken (also by a concurrent add)."""
        now = utc_now()
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(admin_accounts).values(user=name, password_hash=hash_password(password),
                                                           created_at=now, updated_at=now))
        except IntegrityError:
            return False
        except SQLAlchemyError as exc:
            raise StoreError(f"无法保存管理员账号（{exc}）；请检查数据目录的写权限或数据库地址") from exc
        return True

    def set_password(self, user: str, password: str) -> None:
        """Change a stored account's password; its open sessions end (log in again with the new one)."""
        name = (user or "").strip()
        check_password(password)
        with self._write("无法更改密码") as conn:
            changed = conn.execute(update(admin_accounts).where(admin_accounts.c.user == name).values(
                password_hash=hash_password(password), updated_at=utc_now())).rowcount
            if changed:
                conn.execute(delete(admin_sessions).where(admin_sessions.c.user == name))
        if not changed:
            raise unknown_account(name)
        log.info("admin password changed: %s", name)

    def remove(self, user: str) -> None:
        """Remove an account and its sessions; the last stored account stays unless the environment has one."""
        name = (user or "").strip()
        with self._write("无法删除管理员账号") as conn:
            names = [r.user for r in conn.execute(select(admin_accounts.c.user))]
            if name not in names:
                raise unknown_account(name)
            if len(names) == 1 and self.env_account is None:
                raise AdminError(f"“{name}”是唯一的管理员账号，不能删除；请先用 hazkb admin add 新账号 "
                                 "建立另一个管理员，再删除它")
            conn.execute(delete(admin_accounts).where(admin_accounts.c.user == name))
            conn.execute(delete(admin_sessions).where(admin_sessions.c.user == name))
        log.info("admin account removed: %s", name)

    def ensure_first_admin(self) -> str | None:
        """First run: with no account at all (stored or from the environment), create "admin" with a random
        password and return that password (shown once by the caller); otherwise None."""
        if self.configured():
            return None
        password = generate_password()
        if not self._insert(FIRST_ADMIN, password):
            return None  # another instance created it at the same moment
        log.info("first admin account created: %s", FIRST_ADMIN)
        return password

    def verify(self, user: str | None, password: str | None) -> str | None:
        """The account name when the password is right, else None. Constant time whether or not the name
        exists; the environment's account is compared in constant time as well."""
        name = (user or "").strip()
        password = password or ""
        ok_name = None
        if self.env_account is not None:
            env_user, env_password = self.env_account
            user_ok = hmac.compare_digest(name.encode("utf-8"), env_user.encode("utf-8"))
            password_ok = hmac.compare_digest(password.encode("utf-8"), env_password.encode("utf-8"))
            if user_ok and password_ok:
                ok_name = env_user
        with self.engine.connect() as conn:
            stored = conn.execute(select(admin_accounts.c.password_hash).where(admin_accounts.c.user == name)
                                  ).scalar_one_or_none()
        right = verify_password(password, stored or _DUMMY_HASH)
        if stored is not None and right:
            ok_name = name
        return ok_name

    # -- logins --------------------------------------------------------------------------------

    def login(self, user: str | None, password: str | None, client: str) -> LoginOutcome:
        """Check a login attempt against the lockouts, then the password; record and log a failure."""
        name = _loggable((user or "").strip(), 200)
        client = _loggable(client or "unknown", 100)
        now = utc_now()
        locked = self._lockout(name, client, now)
        if locked is not None:
            scope, until = locked
            log.warning("admin login refused (locked: %s) for user %r from %s until %s UTC", scope, name, client,
                        f"{until:%Y-%m-%d %H:%M}")
            return LoginOutcome(False, name, locked_until=until, locked_scope=scope)
        account = self.verify(user, password)
        if account is not None:
            with self._write("无法记录登录") as conn:
                conn.execute(delete(admin_login_failures).where(admin_login_failures.c.client == client,
                                                                admin_login_failures.c.user == name))
            log.info("admin login: %s from %s", account, client)
            return LoginOutcome(True, account)
        with self._write("无法记录登录失败") as conn:
            conn.execute(delete(admin_login_failures).where(admin_login_failures.c.at < now - self.policy.window))
            conn.execute(insert(admin_login_failures).values(user=name, client=client, at=now))
        recent = self._recent_counts(name, client, now)
        locked = self._lockout(name, client, now)
        log.warning("admin login failed for user %r from %s (%d recent failures from this client, %d for this "
                    "name, %d overall)", name, client, recent["client"], recent["user"], recent["overall"])
        if locked is not None:
            scope, until = locked
            log.warning("admin login locked (%s) for user %r from %s until %s UTC", scope, name, client,
                        f"{until:%Y-%m-%d %H:%M}")
            return LoginOutcome(False, name, locked_until=until, locked_scope=scope)
        left = max(0, self.policy.client_limit - recent["client"])
        return LoginOutcome(False, name, failures_left=left)

    def _recent_counts(self, name: str, client: str, now: datetime) -> dict[str, int]:
        since = now - self.policy.window
        f = admin_login_failures.c
        with self.engine.connect() as conn:
            def count(*where) -> int:
                return conn.execute(select(func.count()).select_from(admin_login_failures)
                                    .where(f.at >= since, *where)).scalar_one()
            return {"client": count(f.client == client), "user": count(f.user == name), "overall": count()}

    def _lockout(self, name: str, client: str, now: datetime) -> tuple[str, datetime] | None:
        """(scope, until) of the lockout in force for this attempt, or None."""
        since = now - self.policy.window
        f = admin_login_failures.c
        scopes = (("client", f.client == client, self.policy.client_limit),
                  ("user", f.user == name, self.policy.user_limit),
                  ("overall", None, self.policy.overall_limit))
        with self.engine.connect() as conn:
            for scope, where, limit in scopes:
                query = select(func.count(), func.max(f.at)).where(f.at >= since)
                if where is not None:
                    query = query.where(where)
                count, latest = conn.execute(query).one()
                if count >= limit and latest is not None and latest + self.policy.lock > now:
                    return scope, latest + self.policy.lock
        return None

    def unlock(self, user: str | None = None) -> int:
        """Forget recorded failures (of one account name, or all); returns how many were cleared."""
        with self._write("无法解除锁定") as conn:
            query = delete(admin_login_failures)
            if user:
                query = query.where(admin_login_failures.c.user == user.strip())
            return conn.execute(query).rowcount or 0

    # -- sessions ------------------------------------------------------------------------------

    def open_session(self, user: str) -> str:
        """A new session token for a logged-in admin (only its digest is stored)."""
        token = secrets.token_urlsafe(32)
        now = utc_now()
        with self._write("无法保存登录状态") as conn:
            conn.execute(delete(admin_sessions).where(admin_sessions.c.expires_at < now))
            conn.execute(insert(admin_sessions).values(token_hash=_digest(token), user=user, created_at=now,
                                                       expires_at=now + self.session_lifetime))
        return token

    def session_user(self, token: str | None) -> str | None:
        """The admin a live session token belongs to, else None."""
        if not token or len(token) > 200:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(admin_sessions.c.user, admin_sessions.c.expires_at)
                               .where(admin_sessions.c.token_hash == _digest(token))).first()
        if row is None or row.expires_at < utc_now():
            return None
        return row.user

    def close_session(self, token: str | None) -> None:
        if token:
            with self._write("无法结束登录") as conn:
                conn.execute(delete(admin_sessions).where(admin_sessions.c.token_hash == _digest(token)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@contextmanager
def _writing(engine, what: str) -> Iterator[Connection]:
    """A write transaction whose database errors become a StoreError saying what could not be done."""
    try:
        with engine.begin() as conn:
            yield conn
    except SQLAlchemyError as exc:
        raise StoreError(f"{what}：数据库无法写入（{exc}）；请检查数据目录的写权限或数据库地址") from exc
