"""Helpers shared by the command modules: JSON on stdout and the YYYY-MM-DD option callback."""
from __future__ import annotations

import calendar
import re
from datetime import date

import click

from corpus import legal_text

from . import render


def echo_json(data) -> None:
    click.echo(render.json_text(data))


_ISO_SHAPE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def iso_date(_ctx, _param, value: str | None) -> date | None:
    """click callback: a YYYY-MM-DD option as a date, with a Chinese message when it is not one: a wrong format,
    or a day that does not exist (2026-02-30)."""
    if value is None:
        return None
    try:
        return legal_text.iso_date(value)
    except ValueError as exc:
        shape = _ISO_SHAPE.match(value.strip())
        if shape is None:
            raise click.BadParameter(str(exc)) from None
        year, month, day = (int(g) for g in shape.groups())
        if not 1 <= month <= 12:
            raise click.BadParameter(f"日期 {value.strip()} 不存在：月份应在 01 到 12 之间；请检查后重新输入") from None
        last = calendar.monthrange(year, month)[1]
        raise click.BadParameter(f"日期 {value.strip()} 不存在：{year} 年 {month} 月只有 {last} 天"
                                 f"（日应在 01 到 {last} 之间）；请检查年月日后重新输入") from None


def result_count(_ctx, _param, value: int) -> int:
    """click callback for --k: how many citations to return, 1 to 50."""
    if not 1 <= value <= 50:
        raise click.BadParameter(f"返回条数应为 1 到 50 之间的整数（给的是 {value}）")
    return value
