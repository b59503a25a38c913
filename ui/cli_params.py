"""Helpers shared by the command modules: JSON on stdout and the YYYY-MM-DD option callback."""
from __future__ import annotations

from datetime import date

import click

from corpus import legal_text

from . import render


def echo_json(data) -> None:
    click.echo(render.json_text(data))


def iso_date(_ctx, _param, value: str | None) -> date | None:
    """click callback: a YYYY-MM-DD option as a date, with a Chinese message when it is not one."""
    if value is None:
        return None
    try:
        return legal_text.iso_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
