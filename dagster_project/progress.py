"""What a build shows on the console, and where the rest goes.

Two Dagster loggers for `python -m dagster_project run` (`make run`):
- `progress`: one line per asset materialised (with its row count), a line per check
  that warned or failed (with a few of its failing rows), a step that failed, the
  warnings the assets log, and the summary lines they log with `summarise` (each
  source's files, dbt's counts);
- `logfile`: every Dagster event and log line, to a file whose path the build prints.
Runs launched from the UI use Dagster's default console logger; the instance's
event log holds everything either way.
"""

import logging
import sys
from collections import Counter

import dagster as dg

SAMPLE_ROWS = 5  # of a failed check's failing rows, on the console


SUMMARY_MARK = "» "  # begins the log lines an asset writes for the console


def summarise(log, text: str) -> None:
    """Log a line that the progress display shows (other log lines below a warning go to
    the file only)."""
    log.info(SUMMARY_MARK + text)


def tally(counts: Counter) -> str:
    """'3 landed, 1 failed': a count per status, for a summary line."""
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing"


def _meta(record: logging.LogRecord) -> dict:
    return getattr(record, "dagster_meta", {}) or {}


class ProgressHandler(logging.Handler):
    def __init__(self, stream):
        super().__init__(logging.DEBUG)
        self.stream = stream
        self.shown: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        line = self.describe(record)
        if line:
            self.stream.write(line + "\n")
            self.stream.flush()

    def describe(self, record: logging.LogRecord) -> str | None:
        meta = _meta(record)
        event = meta.get("dagster_event")
        if event is None:
            message = meta.get("orig_message", "")
            if record.levelno >= logging.WARNING:  # its first line; the log file has it all
                return f"! {message.splitlines()[0] if message else ''}"
            return f"  {message[len(SUMMARY_MARK) :]}" if message.startswith(SUMMARY_MARK) else None
        if event.is_step_failure:
            error = event.step_failure_data.error
            return f"✗ step {event.step_key} failed: {error.message.strip() if error else ''}"
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.step_materialization_data.materialization
            key = materialization.asset_key.to_user_string()
            if key in self.shown:  # a partitioned asset: one materialisation per year
                return None
            self.shown.add(key)
            rows = materialization.metadata.get("dagster/row_count")
            count = f"{rows.value:>12,} rows" if rows is not None else ""
            return f"✓ {key:<48}{count}"
        if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if evaluation.passed:
                return None
            mark = "!" if evaluation.severity == dg.AssetCheckSeverity.WARN else "✗"
            word = "warned" if mark == "!" else "failed"
            asset = evaluation.asset_key.to_user_string()
            lines = [f"{mark} check {evaluation.check_name} on {asset} {word}"]
            if evaluation.description:
                lines.append(f"    {evaluation.description}")
            sample = evaluation.metadata.get("failing_rows_sample")
            if sample is not None:
                table = sample.value.splitlines()
                lines += [f"    {row}" for row in table[: SAMPLE_ROWS + 2]]
                if len(table) > SAMPLE_ROWS + 2:
                    lines.append(f"    ... (all rows: {evaluation.metadata['failing_rows_relation'].value})")
            return "\n".join(lines)
        return None


@dg.logger(description="One line per asset, and the checks that warned or failed.")
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("tradebloc.progress")
    logger.handlers = [ProgressHandler(sys.__stdout__)]
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    return logger


@dg.logger(config_schema={"path": str}, description="Every event and log line, to a file.")
def file_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("tradebloc.logfile")
    handler = logging.FileHandler(init_context.logger_config["path"], encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.handlers = [handler]
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    return logger


LOGGERS = {"console": dg.colored_console_logger, "progress": progress_logger, "logfile": file_logger}


def run_config(log_path, verbose: bool) -> dict:
    """The loggers of a command-line build: Dagster's console at DEBUG with `verbose`,
    else the progress lines; the log file either way."""
    console = {"console": {"config": {"log_level": "DEBUG"}}} if verbose else {"progress": {}}
    return {"loggers": {**console, "logfile": {"config": {"path": str(log_path)}}}}
