"""``devcycle check`` and ``devcycle rules``: the objective checker on the command line."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click

from devcycle.cli._safe import echo, json_text, terminal_safe
from devcycle.cli._suggest import plural
from devcycle.errors import ConfigError, DevcycleError
from devcycle.fileio import MAX_INPUT_BYTES, decode_text, read_text
from devcycle.interop.objectives import (
    SUFFIXES,
    ObjectiveRecord,
    located,
    parse_objectives,
    read_objectives,
)
from devcycle.rules import (
    SMART,
    Assessment,
    CheckConfig,
    Criterion,
    Finding,
    RuleMeta,
    RuleSet,
    Severity,
    load_config,
    meta_of,
)
from devcycle.rules import (
    check as run_check,
)

__all__ = ["check", "rules"]

_SEVERITIES = [s.value for s in Severity]


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _underline(text: str, span: tuple[int, int]) -> list[str]:
    start, end = span
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    # Shown safe: escapes are longer than the characters they stand for, so the caret's
    # place and width are measured on the escaped text.
    before = terminal_safe(text[line_start:start])
    marked = terminal_safe(text[start : min(end, line_end)])
    line = before + marked + terminal_safe(text[min(end, line_end) : line_end])
    offset = len(before)
    width = max(1, len(marked))
    if len(line) > 100:
        left = max(0, offset - 40)
        line = (
            ("…" if left else "")
            + line[left : left + 100]
            + ("…" if left + 100 < len(line) else "")
        )
        offset = offset - left + (1 if left else 0)
        width = max(1, min(width, 100 - (offset - 1)))
    return [f"   | {line}", f"   | {' ' * offset}{'^' * width}"]


def _text_report(pairs: list[tuple[ObjectiveRecord, Assessment]]) -> str:
    lines: list[str] = []
    for record, result in pairs:
        if not result.findings:
            continue
        where = terminal_safe(record.where or record.id)
        lines.append(click.style(f"{where}  {terminal_safe(record.id)}", bold=True))
        for finding in result.findings:
            colour = {"error": "red", "warning": "yellow", "info": "cyan"}[finding.severity.value]
            code = click.style(finding.code, fg=colour, bold=True)
            message = terminal_safe(finding.message)
            lines.append(f" {code} [{finding.severity.value}] {message} ({finding.symbol})")
            if finding.span is not None and finding.path == "$.statement":
                lines.extend(_underline(record.text, finding.span))
            elif finding.path not in ("$.statement", "$"):
                lines.append(f"   at {terminal_safe(finding.path)}")
            lines.append(f"   = fix: {terminal_safe(finding.fix)}")
        lines.append("")
    return "\n".join(lines)


def _summary(results: list[Assessment]) -> dict[str, object]:
    findings = [f for r in results for f in r.findings]
    return {
        "objectives": len(results),
        "clean": sum(r.clean for r in results),
        "good": sum(r.good for r in results),
        "data_targets": sum(r.data_target for r in results),
        "findings": len(findings),
        "by_severity": {s.value: sum(f.severity is s for f in findings) for s in Severity},
        "by_code": dict(sorted(Counter(f.code for f in findings).items())),
        "by_criterion": {c.value: sum(not r.verdicts[c.value] for r in results) for c in SMART},
    }


def _failed(results: list[Assessment], fail_on: Severity) -> bool:
    return any(r.at_least(fail_on) for r in results)


def _finding_json(finding: Finding) -> dict[str, object]:
    return finding.to_dict()


_STDIN_FORMATS = sorted(set(SUFFIXES.values()))


def _read_stdin(fmt: str | None) -> list[ObjectiveRecord]:
    if fmt is None:
        msg = f"reading standard input ('-') needs --stdin-format ({', '.join(_STDIN_FORMATS)})"
        raise click.UsageError(msg)
    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        msg = f"<stdin>: more than {MAX_INPUT_BYTES:,} bytes; devcycle reads at most that"
        raise click.ClickException(msg)
    records = parse_objectives(decode_text(data, source="<stdin>"), fmt, source="<stdin>")
    return located(records, "<stdin>")


def _load_config(path: Path) -> CheckConfig:
    """Read the checker configuration at *path* with the reading limits every file gets.

    `read_text` refuses a folder, FIFO, device or huge file and names a non-UTF-8 byte's
    line; a TOML document nested too deeply or holding a number too long to convert is
    reported against the file too, instead of ending as an internal error.
    """
    read_text(path)
    try:
        return load_config(path)
    except RecursionError:
        msg = f"{path}: not valid TOML: nested too deeply"
        raise ConfigError(msg) from None
    except ValueError as exc:
        text = str(exc)
        if "integer string conversion" in text:
            text = "a whole number of more than 4,300 digits"
        msg = f"{path}: not valid TOML: {text}"
        raise ConfigError(msg) from None


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Findings grouped per objective, or one JSON document.",
)
@click.option(
    "--stdin-format",
    type=click.Choice(_STDIN_FORMATS),
    default=None,
    help="The format of standard input, read when a FILE is '-'.",
)
@click.option("--select", multiple=True, help="Rule codes, prefixes or symbols to run (S,M2,...).")
@click.option("--ignore", multiple=True, help="Rule codes, prefixes or symbols to leave out.")
@click.option(
    "--fail-on",
    type=click.Choice(_SEVERITIES),
    default=None,
    help="Exit 1 when a finding is at this severity or worse [default: error].",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A school's checker configuration (TOML with a [check] table).",
)
def check(  # noqa: PLR0917 - click passes each option as an argument
    files: tuple[Path, ...],
    output: str,
    stdin_format: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    config_path: Path | None,
) -> int:
    """Check the objectives in FILES (JSON, JSON Lines, YAML, TOML or CSV); '-' is stdin.

    Each record needs at least 'id' and 'text'; every structured field is optional; an
    unknown column, field or role is an error. Exit status: 0 clean, 1 findings at error
    severity (or per --fail-on), 2 usage or input error (never a traceback).
    """
    try:
        config = _load_config(config_path) if config_path is not None else CheckConfig()
        chosen_select = _split(select) or (list(config.select) if config.select else None)
        chosen_ignore = [*config.ignore, *_split(ignore)]
        ruleset = RuleSet.default().select(chosen_select, chosen_ignore)
        records: list[ObjectiveRecord] = []
        for file in files:
            if str(file) == "-":
                records.extend(_read_stdin(stdin_format))
            else:
                records.extend(read_objectives(file))
    except DevcycleError as exc:
        echo(f"error: {terminal_safe(str(exc), multiline=True)}", err=True)
        return 2
    pairs = [
        (r, run_check(r.subject, context=r.context, ruleset=ruleset, config=config))
        for r in records
    ]
    results = [a for _r, a in pairs]
    threshold = Severity(fail_on) if fail_on else config.fail_on
    if output == "json":
        document = {
            "results": [
                {
                    "id": record.id,
                    "file": record.file,
                    "line": record.line,
                    "where": record.where,
                    "verdicts": dict(result.verdicts),
                    "data_target": result.data_target,
                    "findings": [_finding_json(f) for f in result.findings],
                }
                for record, result in pairs
            ],
            "summary": _summary(results),
        }
        echo(json_text(document), raw=True)
    else:
        report = _text_report(pairs)
        if report:
            echo(report, raw=True)  # made safe, then styled
        summary = _summary(results)
        severities = summary["by_severity"]
        assert isinstance(severities, dict)
        detail = ", ".join(f"{n} {s}" for s, n in severities.items() if n)
        echo(_summary_line(summary, detail))
    return 1 if _failed(results, threshold) else 0


def _summary_line(summary: dict[str, object], detail: str) -> str:
    """The last line: how many are SMART and how many are not, and how many have no finding.

    Said as two counts that add up, not as overlapping ones ("1 clean, 1 SMART" read as if
    both passed when one failed).
    """
    total = int(str(summary["objectives"]))
    good = int(str(summary["good"]))
    return (
        f"Checked {plural(total, 'objective')}: {good} SMART and not a bare data target, "
        f"{total - good} not; {summary['clean']} with no findings; "
        f"{plural(int(str(summary['findings'])), 'finding')}" + (f" ({detail})." if detail else ".")
    )


def _explain(meta: RuleMeta) -> str:
    lines = [
        f"{meta.code} {meta.symbol} ({meta.criterion.value}, {meta.severity.value}"
        f"{', preview' if meta.status.value == 'preview' else ''})",
        "",
        f"Finds: {meta.message.replace('{detail}', '…')}",
        f"Why: {meta.why}",
        f"Fix: {meta.fix}",
    ]
    if meta.bad:
        lines += ["", "Flagged:", *(f"  - {b}" for b in meta.bad)]
    if meta.good:
        lines += ["", "Accepted:", *(f"  - {g}" for g in meta.good)]
    lines += [
        "",
        f'Turn it off: devcycle check --ignore {meta.code} FILE, or ignore = ["{meta.code}"]',
    ]
    return "\n".join(lines)


@click.command()
@click.argument("code", required=False)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A table, or JSON records of every rule's metadata.",
)
def rules(code: str | None, output: str) -> int:
    """List every rule, or explain the rule with CODE (a code such as S101, or a symbol)."""
    ruleset = RuleSet.default()
    if code is not None:
        try:
            meta = meta_of(ruleset.get(code))
        except ConfigError as exc:
            echo(f"error: {exc}", err=True)
            return 2
        echo(_explain(meta))
        return 0
    order = {criterion: index for index, criterion in enumerate(Criterion)}
    metas = sorted(ruleset.metas, key=lambda m: (order[m.criterion], m.code))
    if output == "json":
        echo(
            json.dumps(
                [
                    {
                        "code": m.code,
                        "symbol": m.symbol,
                        "criterion": m.criterion.value,
                        "severity": m.severity.value,
                        "message": m.message,
                        "why": m.why,
                        "fix": m.fix,
                        "status": m.status.value,
                        "since": m.since,
                    }
                    for m in metas
                ],
                indent=2,
            )
        )
        return 0
    for meta in metas:
        message = meta.message.replace("{detail}", "…")
        columns = f"{meta.code}  {meta.symbol:24} {meta.criterion.value:11} {meta.severity.value:8}"
        echo(f"{columns} {message}")
    return 0
