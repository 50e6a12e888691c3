"""``rozmova nlu evaluate|import|train|prune``: measure the intent classifier on a data set, bring
Rasa NLU data into the scenario document's `nlu` section (a file, or straight into a scenario's
draft), train a published version's models, remove stored models nothing uses.

Mounted by gateway/cli.py, which imports this module on every ``rozmova`` command: only typer
at the top; numpy, the classifier and YAML are imported by the command that needs them."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
import uuid
from typing import Annotated, Any, NoReturn

import typer

app = typer.Typer(no_args_is_help=True)


def _fail(message: str) -> NoReturn:
    typer.echo(f"rozmova: {message}", err=True)
    raise typer.Exit(2)


# -- evaluate ----------------------------------------------------------------------------------

def _read_rows(path: Path, *, what: str, bare_strings: bool = False) -> list[dict[str, Any]]:
    """JSON lines `{"text", "intent", "lang", ...}`; a problem names the file and line. With
    `bare_strings` (out-of-scope messages) a line may also be a plain JSON string."""
    if not path.is_file():
        _fail(f"no such {what} file: {path}" if not path.exists()
              else f"the {what} file {path} is not a file")
    rows = []
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as error:
                    _fail(f"{path}:{number}: not valid JSON ({error.msg})")
                if bare_strings and isinstance(row, str):
                    row = {"text": row}
                problem = _row_problem(row)
                if problem:
                    _fail(f"{path}:{number}: {problem}")
                rows.append(row)
    except UnicodeDecodeError as error:
        _fail(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})")
    except OSError as error:
        _fail(f"{path}: cannot be read ({error.strerror or error})")
    return rows


def _row_problem(row: Any) -> str | None:
    if not isinstance(row, dict):
        return 'expected a JSON object like {"text": ..., "intent": ...}'
    if not isinstance(row.get("text"), str):
        return 'no "text" string'
    if row.get("intent") is not None and not isinstance(row["intent"], str):
        return '"intent" must be a string or null'
    if row.get("lang") is not None and not isinstance(row["lang"], str):
        return '"lang" must be a string or null'
    return None


class _Progress:
    """A spinner on stderr in a terminal; plain lines otherwise (CI logs, pipes, tests)."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True, highlight=False)

    @contextmanager
    def step(self, message: str) -> Iterator[None]:
        if self.console.is_terminal:
            with self.console.status(message):
                yield
        else:
            typer.echo(f"{message}…", err=True)
            yield

    def done(self, message: str) -> None:
        if self.console.is_terminal:
            self.console.print(f"[green]✓[/green] {message}")
        else:
            typer.echo(message, err=True)


def _language(row: dict[str, Any]) -> str:
    value = row.get("lang")
    return value.strip().lower() if isinstance(value, str) else ""


@app.command()
def evaluate(
    dataset: Annotated[Path | None, typer.Argument(
        help="Folder with train.jsonl and test.jsonl (lines {text, intent, lang}).",
        show_default=False)] = None,
    train_file: Annotated[Path | None, typer.Option(
        "--train", help="Training file (default: DATASET/train.jsonl).")] = None,
    test_file: Annotated[Path | None, typer.Option(
        "--test", help="Test file (default: DATASET/test.jsonl).")] = None,
    lang: Annotated[str | None, typer.Option(
        help="Test on this language's rows only (training always uses every row).")] = None,
    threshold: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Confidence below which a message falls back.")] = 0.5,
    out_of_scope: Annotated[Path | None, typer.Option(
        "--out-of-scope", help="JSON lines of messages no intent should take "
        "({text, lang}); with --lang, only that language's.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON only.")]
    = False,
    top_confusions: Annotated[int, typer.Option(
        min=0, help="How many gold → predicted pairs to show.")] = 10,
) -> None:
    """Train the intent classifier on a data set's train split and measure it on its test split."""
    if dataset is None and (train_file is None or test_file is None):
        _fail("give a DATASET folder, or both --train and --test")
    if dataset is not None and not dataset.is_dir():
        _fail(f"no such data set folder: {dataset}" if not dataset.exists()
              else f"{dataset} is not a folder")
    train_path = train_file or dataset / "train.jsonl"  # type: ignore[operator]
    test_path = test_file or dataset / "test.jsonl"  # type: ignore[operator]
    wanted = lang.strip().lower() if lang else None

    train_rows = _read_rows(train_path, what="training")
    test_rows = _read_rows(test_path, what="test")
    oos_rows = (_read_rows(out_of_scope, what="out-of-scope", bare_strings=True)
                if out_of_scope is not None else [])
    notes: list[str] = []

    from nlu.evaluation import is_out_of_scope_label

    usable = [row for row in train_rows if not is_out_of_scope_label(row.get("intent"))]
    if len(usable) < len(train_rows):
        notes.append(f"{len(train_rows) - len(usable)} training row(s) without an intent or "
                     "labelled out of scope were left out of training (falling back is the "
                     "right answer for them)")
    if not usable:
        _fail(f"{train_path}: no training row with an intent")
    if wanted:
        kept = [row for row in test_rows if _language(row) == wanted]
        if not kept:
            present = Counter(_language(row) or "(none)" for row in test_rows)
            _fail(f"{test_path}: no test row in language {wanted!r}; languages there: "
                  + ", ".join(f"{name} ({n})" for name, n in sorted(present.items())))
        notes.append(f"test rows in {wanted}: {len(kept)} of {len(test_rows)}")
        test_rows = kept
        before = len(oos_rows)
        oos_rows = [row for row in oos_rows if _language(row) in ("", wanted)]
        if out_of_scope is not None:
            notes.append(f"out-of-scope messages in {wanted} (or without a language): "
                         f"{len(oos_rows)} of {before}")
    if all(is_out_of_scope_label(row.get("intent")) for row in test_rows):
        _fail(f"{test_path}: no test row with an intent" + (f" in {wanted}" if wanted else ""))

    progress = _Progress()
    from nlu.classifier import train
    from nlu.evaluation import TrainingSummary
    from nlu.evaluation import evaluate as run_evaluation

    with progress.step(f"training on {len(usable):,} examples"):
        result = train(usable)
    progress.done(f"trained in {result.seconds:.2f} s: {len(result.classifier.intents)} "
                  f"intents, {len(result.warnings)} warning(s)")
    with progress.step(f"predicting {len(test_rows) + len(oos_rows):,} test messages"):
        report = run_evaluation(
            result.classifier, test_rows, threshold=threshold,
            out_of_scope_texts=[row["text"] for row in oos_rows] or None,
            training=TrainingSummary.of(result, len(usable)),
            label=_label(dataset, test_path, wanted), notes=notes)
    progress.done("evaluated")
    if as_json:
        typer.echo(report.to_json(top_confusions=top_confusions))
    else:
        typer.echo(report.to_markdown(top_confusions=top_confusions), nl=False)


def _label(dataset: Path | None, test_path: Path, lang: str | None) -> str:
    name = dataset.resolve().name if dataset is not None else test_path.name
    return f"{name} ({lang})" if lang else name


# -- import ------------------------------------------------------------------------------------

@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(
        help="Rasa NLU YAML files, or Rasa project folders (data/**/*.yml with an 'nlu:' "
        "key).", show_default=False)],
    language: Annotated[str | None, typer.Option(
        help="Language of the examples (default: config.yml's 'language', else en).")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Write the JSON here (default: stdout).")] = None,
    into: Annotated[uuid.UUID | None, typer.Option(
        help="Merge into this scenario's draft in the server's database instead (intents of "
        "the same name get the phrases they lack, entities of the same name are replaced), "
        "as the builder's import does; publish it to train.", show_default=False)] = None,
) -> None:
    """Convert Rasa NLU YAML to a scenario's `nlu` section (JSON), or merge it into a
    scenario's draft (--into); the summary goes to stderr."""
    from core.commands import write_json
    from nlu.rasa import RasaImportError, read_rasa

    try:
        result = read_rasa(paths, language)
    except RasaImportError as error:
        _fail(str(error))
    summary = result.summary
    echo = _stderr
    echo(f"read {len(result.files)} file(s): " + ", ".join(result.files))
    echo(f"{summary['intents']} intents, {summary['examples']} examples, "
         f"{summary['entities']} entities, {summary['warnings']} warning(s)")
    for kind, mapping in (("intents", result.renamed), ("entities", result.renamed_entities)):
        if mapping:
            echo(f"renamed {kind} (Rasa → Rozmova):")
            for old, new in sorted(mapping.items()):
                echo(f"  {old} → {new}")
    for warning in result.warnings:
        echo(f"warning: {warning}")
    if into is not None:
        if out is not None:
            _fail("--out and --into do not go together: write a file or merge into a draft")
        _merge_into_draft(into, result.data)
        return
    try:
        write_json(result.data, out)
    except OSError as error:
        _fail(f"cannot write {out}: {error.strerror or error}")


class _OverLimits(Exception):
    pass


def _merge_into_draft(scenario: uuid.UUID, data: dict[str, Any]) -> None:
    import asyncio

    from core.config import settings_or_exit
    from core.runtime import Runtime
    from nlu.rasa import MergeReport, merge_nlu
    from scenarios.contract import edit_draft

    reports: list[MergeReport] = []

    def edit(document: dict[str, Any]) -> dict[str, Any]:
        section, report = merge_nlu(document.get("nlu"), data)
        reports.append(report)
        if report.limits:
            raise _OverLimits(", ".join(report.limits))
        return {**document, "nlu": section}

    async def run() -> Any:
        runtime = Runtime.from_settings(settings_or_exit())
        try:
            return await edit_draft(runtime.sessionmaker, scenario, edit)
        finally:
            await runtime.close()

    try:
        saved = asyncio.run(run())
    except _OverLimits as error:
        _fail(f"nothing saved: the merged section would break the limits ({error})")
    if saved is None:
        _fail(f"no scenario {scenario}")
    report = reports[-1]
    _stderr(f"merged into the draft of '{saved.scenario_name}' (revision {saved.revision}): "
            f"{len(report.added_intents)} intent(s) added, {len(report.extended_intents)} "
            f"extended, {report.added_examples} example(s) added; "
            f"{len(report.added_entities)} entit(ies) added, {len(report.replaced_entities)} "
            f"replaced" + (f" ({', '.join(report.replaced_entities)})"
                           if report.replaced_entities else ""))
    for line in saved.errors:
        _stderr(f"draft error: {line}")
    for line in saved.warnings:
        _stderr(f"draft warning: {line}")
    if saved.errors:
        _stderr("the draft is saved with errors; publishing refuses it until they are fixed")


def _stderr(message: str) -> None:
    typer.echo(message, err=True)


@app.command("train")
def train_version(
    scenario: Annotated[uuid.UUID, typer.Argument(help="The scenario's id.")],
    version: Annotated[int | None, typer.Option(
        help="The published version (default: the live one).")] = None,
    force: Annotated[bool, typer.Option(help="Train again even where a model is stored.")]
    = False,
) -> None:
    """Train a published version's intent models now, with a progress bar, and store them in
    the database the server loads them from (what publishing does in the background)."""
    import asyncio

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from core.config import settings_or_exit
    from core.runtime import Runtime
    from nlu.blocks import intent_models
    from nlu.models import IntentModel
    from nlu.service import NluService
    from scenarios.contract import InProcessScenariosClient

    async def run() -> list[dict[str, Any]]:
        runtime = Runtime.from_settings(settings_or_exit())
        service = NluService(sessionmaker=runtime.sessionmaker,
                             second_look=runtime.settings.nlu_second_look)
        results = []
        try:
            scenarios = InProcessScenariosClient(runtime.sessionmaker)
            found = (await scenarios.get_version(scenario, version) if version is not None
                     else await scenarios.get_live_version(scenario))
            if found is None:
                _fail(f"scenario {scenario} has no published version"
                      + (f" {version}" if version is not None else " live"))
            plans = intent_models(found.document)
            if not plans:
                typer.echo(f"version {found.number} has no intent block: nothing to train")
            with Progress(TextColumn("{task.description}"), BarColumn(),
                          TextColumn("{task.percentage:>3.0f}% {task.fields[phase]}"),
                          TimeElapsedColumn(), console=_Progress().console,
                          disable=not _Progress().console.is_terminal) as bar:
                for block_id, plan in plans:
                    digest = plan["model"]
                    if force:
                        async with runtime.sessionmaker() as session, session.begin():
                            row = await session.get(IntentModel, digest)
                            if row is not None:
                                await session.delete(row)
                    task = bar.add_task(f"{block_id} ({len(plan['examples'])} examples)",
                                        total=1.0, phase="")
                    watching = asyncio.create_task(_follow(service, digest, bar, task))
                    try:
                        await service.model(digest, plan["examples"])
                    except Exception:  # its status says why (stored by the service)
                        pass
                    finally:
                        watching.cancel()
                    bar.update(task, completed=1.0, phase="second look")
                    await service.settle()  # the encoder's second look, added behind the first
                    status = await service.status(digest)
                    bar.update(task, completed=1.0, phase=status.status)
                    results.append({"block_id": block_id, **status.to_json()})
        finally:
            await service.close()
            await runtime.close()
        return results

    for result in asyncio.run(run()):
        typer.echo(f"{result['block_id']}: {result['status']}, {result['examples']} examples, "
                   f"{result['seconds'] if result['seconds'] is not None else '-'} s, "
                   f"{result['size']:,} bytes" + "".join(
                       f"\n  warning {w['code']}: {w['message']}" for w in result["warnings"]))


async def _follow(service: Any, digest: str, bar: Any, task: Any) -> None:
    import asyncio

    while True:
        status = await service.status(digest)
        bar.update(task, completed=status.progress, phase=status.phase)
        await asyncio.sleep(0.1)


@app.command("prune")
def prune(
    older_than_days: Annotated[float, typer.Option(
        "--older-than-days", min=0.0,
        help="Remove only models unchanged for this many days.")] = 14.0,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Count what would be removed; remove nothing.")] = False,
) -> None:
    """Remove stored intent models that no published version uses (drafts' models from the
    builder's tries and previews, superseded sets of intents). A model needed again is
    trained again on first use."""
    import asyncio
    from datetime import timedelta

    from core.config import settings_or_exit
    from core.runtime import Runtime
    from nlu.pruning import prune_models

    async def run() -> Any:
        runtime = Runtime.from_settings(settings_or_exit())
        try:
            return await prune_models(runtime.sessionmaker,
                                      older_than=timedelta(days=older_than_days),
                                      dry_run=dry_run)
        finally:
            await runtime.close()

    report = asyncio.run(run())
    verb = "would remove" if dry_run else "removed"
    typer.echo(f"{verb} {report.removed} model(s), {report.bytes_removed / 1e6:.1f} MB; kept "
               f"{report.kept} ({report.in_use} used by published versions)")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
