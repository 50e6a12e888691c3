"""nlu/rasa.py and `rozmova nlu import`: Rasa YAML written here (annotations in every form,
synonyms, lookup tables, regexes, names ours refuse) and the two Rasa projects in
../shared/data/rasa (skipped where absent); every result must validate as NluData."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlu.cli import app
from nlu.rasa import (RasaImportError, assign_names, merge_nlu, parse_example, read_rasa,
                      valid_name)
from scenarios.format.nlu import NluData

RASA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "rasa"

NLU = """\
version: "3.1"
nlu:
- intent: Greet
  examples: |
    - hi
    - hello there
    - Hello there
- intent: chitchat/ask_name
  examples: |
    - what is your name
    - who are you
- intent: ask-weather
  examples: |
    - weather in [Kyiv](city)
    - is it raining in [Lviv]{"entity": "city", "value": "Lviv"}
    - what's it like in [Kiev]{"entity": "city", "value": "Kyiv", "role": "destination"}
    - weather in [kyiv city](city:Kyiv) tomorrow
- intent: ask_weather
  examples: |
    - forecast please
- intent: check_balance
  examples: |
    - what's my [credit card]{"entity": "account_type", "value": "credit"} balance
    - show my [savings](account_type) account
    - show my [cards](account_type)
    - balance on [1234567890](account_number)
- intent: thank
  examples: |
    - thanks
    - forecast please
- synonym: credit
  examples: |
    - cards
    - credit cards
- synonym: NYC
  examples: |
    - New York
    - new york city
- lookup: city
  examples: |
    - Odesa
    - Kharkiv
    - Kyiv
- regex: account_number
  examples: |
    - \\d{10,12}
- regex: zip_code
  examples: |
    - \\d{5}
    - \\d{5}-\\d{4}
- regex: order_id
  examples: |
    - (?<=order )[A-Z]{2}\\d{6}
- regex: email
  examples: |
    - [^@\\s]+@[^@\\s]+
- responses: {}
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "bot"
    (root / "data" / "nlu").mkdir(parents=True)
    (root / "config.yml").write_text('language: uk\npipeline: []\n', encoding="utf-8")
    (root / "domain.yml").write_text('version: "3.1"\nintents:\n- greet\n', encoding="utf-8")
    (root / "data" / "nlu" / "nlu.yml").write_text(NLU, encoding="utf-8")
    (root / "data" / "stories.yml").write_text(
        'version: "3.1"\nstories:\n- story: hi\n  steps:\n  - intent: greet\n',
        encoding="utf-8")
    return root


@pytest.fixture()
def imported(project: Path):
    return read_rasa([project])


def _intent(data: dict, name: str) -> dict:
    return next(i for i in data["intents"] if i["name"] == name)


def _entity(data: dict, name: str) -> dict:
    return next(e for e in data["entities"] if e["name"] == name)


def _values(entity: dict) -> dict[str, dict]:
    return {v["value"]: v["synonyms"] for v in entity["values"]}


def test_annotations_are_stripped_to_the_plain_text() -> None:
    assert parse_example("show my [checking](account_type) account")[0] \
        == "show my checking account"
    text, annotations = parse_example(
        'pay [credit card]{"entity": "account_type", "value": "credit"} and [kyiv](city:Kyiv)')
    assert text == "pay credit card and kyiv"
    assert [(a.entity, a.text, a.value) for a in annotations] == [
        ("account_type", "credit card", "credit"), ("city", "kyiv", "Kyiv")]
    text, annotations = parse_example(
        'fly to [Paris][{"entity": "city", "role": "to"}, {"entity": "place"}]')
    assert text == "fly to Paris"
    assert [(a.entity, a.value, a.role) for a in annotations] == [
        ("city", "Paris", "to"), ("place", "Paris", None)]
    assert parse_example("no [markup here") == ("no [markup here", [])


def test_intents_and_examples_in_the_project_language(imported) -> None:
    data = imported.data
    NluData.model_validate(data)
    assert [i["name"] for i in data["intents"]] == [
        "greet", "chitchat_ask_name", "ask_weather_2", "ask_weather", "check_balance", "thank"]
    assert _intent(data, "greet")["examples"] == {"uk": ["hi", "hello there"]}
    assert _intent(data, "ask_weather_2")["examples"]["uk"] == [
        "weather in Kyiv", "is it raining in Lviv", "what's it like in Kiev",
        "weather in kyiv city tomorrow"]
    assert _intent(data, "check_balance")["examples"]["uk"][0] == "what's my credit card balance"
    assert len(imported.files) == 1  # stories.yml has no nlu: and is not read
    assert imported.files[0].endswith("nlu.yml")


def test_names_our_format_refuses_are_mapped_and_reported(imported) -> None:
    assert imported.renamed == {"Greet": "greet", "chitchat/ask_name": "chitchat_ask_name",
                                "ask-weather": "ask_weather_2"}
    assert imported.renamed_entities == {"NYC": "nyc", "email": "email_entity"}
    warnings = "\n".join(imported.warnings)
    assert "retrieval intents (chitchat/ask_name → chitchat_ask_name)" in warnings


def test_annotated_values_synonyms_and_lookup_become_list_entities(imported) -> None:
    data = imported.data
    city = _values(_entity(data, "city"))
    # annotations, then the lookup table merged into the same entity
    assert list(city) == ["Kyiv", "Lviv", "Odesa", "Kharkiv"]
    assert city["Kyiv"] == {"uk": ["Kiev", "kyiv city"]}
    account_type = _values(_entity(data, "account_type"))
    # "cards" was annotated as a value of its own; the synonym folds it into "credit"
    assert account_type == {"credit": {"uk": ["credit card", "cards", "credit cards"]},
                            "savings": {}}
    # a synonym no entity has: an entity of its own, with a warning
    assert _values(_entity(data, "nyc")) == {"NYC": {"uk": ["New York", "new york city"]}}
    assert any("synonym 'NYC' belongs to no annotated entity" in w for w in imported.warnings)


def test_regexes_become_regex_entities_when_re2_accepts_them(imported) -> None:
    data = imported.data
    assert _entity(data, "zip_code") == {"name": "zip_code", "kind": "regex",
                                         "pattern": r"(?:\d{5})|(?:\d{5}-\d{4})"}
    assert _entity(data, "email_entity")["pattern"] == r"[^@\s]+@[^@\s]+"
    # an annotated entity and a regex of one name: the regex gets a name of its own
    assert _entity(data, "account_number")["kind"] == "list"
    assert _entity(data, "account_number_pattern") == {
        "name": "account_number_pattern", "kind": "regex", "pattern": r"\d{10,12}"}
    assert not any(e["name"] == "order_id" for e in data["entities"])
    assert any("regex 'order_id'" in w and "RE2" in w for w in imported.warnings)


def test_weak_data_is_warned_about(imported) -> None:
    warnings = "\n".join(imported.warnings)
    assert "one example only (add a few more ways to say it): ask_weather" in warnings
    assert '"forecast please" (ask_weather, thank)' in warnings
    assert "1 repeated example(s) within an intent dropped" in warnings
    assert "entity roles and groups are not imported (entities city)" in warnings
    assert "unknown item (responses); skipped" in warnings


def test_language_option_overrides_config(project: Path) -> None:
    result = read_rasa([project], language="en")
    assert set(_intent(result.data, "greet")["examples"]) == {"en"}


def test_two_projects_in_two_languages_merge_by_intent(tmp_path: Path) -> None:
    for lang, phrases in (("en", ["hi", "hello"]), ("uk", ["привіт", "добрий день"])):
        folder = tmp_path / lang
        (folder / "data").mkdir(parents=True)
        (folder / "config.yml").write_text(f"language: {lang}\n", encoding="utf-8")
        block = "".join(f"    - {p}\n" for p in phrases)
        (folder / "data" / "nlu.yml").write_text(
            f"nlu:\n- intent: greet\n  examples: |\n{block}", encoding="utf-8")
    result = read_rasa([tmp_path / "en", tmp_path / "uk"])
    assert result.data["intents"] == [{"name": "greet", "examples": {
        "en": ["hi", "hello"], "uk": ["привіт", "добрий день"]}}]


def test_a_file_without_a_config_is_english_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "nlu.yml"
    path.write_text("nlu:\n- intent: greet\n  examples: |\n    - hi\n    - hey\n",
                    encoding="utf-8")
    result = read_rasa([path])
    assert result.data["intents"][0]["examples"] == {"en": ["hi", "hey"]}
    assert any("taken as 'en'" in w for w in result.warnings)


def test_names_are_mapped_deterministically() -> None:
    assert valid_name("chitchat/ask_name") == "chitchat_ask_name"
    assert valid_name("Ask-Weather") == "ask_weather"
    assert valid_name("привітання") == "pryvitannia"
    assert valid_name("2fa_reset") == "intent_2fa_reset"
    assert valid_name("---") == "intent"
    forward = assign_names(["b-x", "a", "b_x", "B X"], prefix="intent")
    backward = assign_names(["B X", "b_x", "a", "b-x"], prefix="intent")
    assert forward == backward == {"a": "a", "b_x": "b_x", "B X": "b_x_2", "b-x": "b_x_3"}
    assert assign_names(["time", "Number"], prefix="entity",
                        reserved=("time", "number")) == {"Number": "number_entity",
                                                         "time": "time_entity"}


@pytest.mark.parametrize(("content", "message"), [
    ("nlu: [unclosed", "not valid YAML"),
    ("stories: []\n", "no Rasa NLU data"),
])
def test_unreadable_input_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "nlu.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RasaImportError, match=message):
        read_rasa([path])


def test_command_writes_json_and_summarises_on_stderr(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "nlu.json"
    result = CliRunner().invoke(app, ["import", str(project), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    NluData.model_validate(data)
    assert "6 intents, 15 examples, 7 entities" in result.stderr
    assert "  chitchat/ask_name → chitchat_ask_name" in result.stderr
    assert "warning: " in result.stderr

    to_stdout = CliRunner().invoke(app, ["import", str(project), "--language", "en"])
    assert to_stdout.exit_code == 0
    assert json.loads(to_stdout.stdout)["intents"][0]["examples"] == {"en": ["hi",
                                                                             "hello there"]}


@pytest.mark.parametrize("arguments", [["nowhere.yml"], ["{project}", "--language", "Ukrainian"],
                                       ["{project}/domain.yml"]])
def test_command_exits_2_with_a_message(project: Path, arguments: list[str]) -> None:
    arguments = [a.format(project=project) for a in arguments]
    result = CliRunner().invoke(app, ["import", *arguments])
    assert result.exit_code == 2
    assert result.stderr.startswith("rozmova: ")
    assert "Traceback" not in result.output


# -- the shared Rasa projects ------------------------------------------------------------------

def _shared(name: str) -> Path:
    path = RASA / name
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/data is not beside this checkout)")
    return path


@pytest.mark.shared_data
def test_financial_demo() -> None:
    result = read_rasa([_shared("financial-demo")])
    data = NluData.model_validate(result.data)
    assert [i.name for i in data.intents] == [
        "check_human", "affirm", "ask_transfer_charge", "check_balance", "check_earnings",
        "deny", "goodbye", "greet", "inform", "pay_cc", "search_transactions", "thankyou",
        "transfer_money", "check_recipients", "help", "human_handoff", "out_of_scope"]
    examples = {i.name: i.examples["en"] for i in data.intents}
    # lines in data/nlu/nlu.yml, less the repeats within an intent ("Yes" / "yes")
    assert len(examples["check_human"]) == 19
    assert len(examples["ask_transfer_charge"]) == 22
    assert len(examples["transfer_money"]) == 51
    assert len(examples["affirm"]) == 28   # 34 lines
    assert len(examples["inform"]) == 107  # 111 lines
    assert sum(len(e) for e in examples.values()) == 549
    assert "How much money is on my bank account?" in examples["check_balance"]
    assert result.renamed == {}
    assert result.renamed_entities == {"PERSON": "person", "amount-of-money": "amount_of_money"}
    entities = {e.name: e for e in data.entities}
    assert sorted(entities) == ["account_type", "amount_of_money", "credit_card", "person",
                                "vendor_name"]
    credit_card = {v.value: v.synonyms for v in entities["credit_card"].values}
    assert credit_card["emblem"] == {"en": ["emblm", "embelm"]}
    amount = {v.value: v.synonyms for v in entities["amount_of_money"].values}
    assert amount == {"current balance": {"en": ["balance", "full", "full balance"]},
                      "minimum balance": {}}
    account = {v.value: v.synonyms for v in entities["account_type"].values}
    assert "credit card" in account["credit"]["en"]
    warnings = "\n".join(result.warnings)
    assert '"what places have i spent money" (check_balance, search_transactions)' in warnings


@pytest.mark.shared_data
def test_helpdesk_assistant() -> None:
    result = read_rasa([_shared("helpdesk-assistant")])
    data = NluData.model_validate(result.data)
    assert [i.name for i in data.intents] == [
        "greet", "goodbye", "thank", "bot_challenge", "password_reset", "open_incident", "help",
        "problem_email", "inform", "out_of_scope", "incident_status", "affirm", "deny",
        "human_handoff"]
    examples = {i.name: i.examples["en"] for i in data.intents}
    assert len(examples["password_reset"]) == 22
    assert len(examples["human_handoff"]) == 77  # 83 lines
    assert sum(len(e) for e in examples.values()) == 424
    assert "open an urgent issue" in examples["open_incident"]
    assert [e.name for e in data.entities] == ["priority"]
    priority = {v.value: v.synonyms for v in data.entities[0].values}
    assert priority == {"high": {"en": ["urgent", "really important", "escalated", "escalate",
                                        "critical"]},
                        "low": {}, "medium": {}, "super high": {}}
    assert any('"yes thanks" (affirm, thank)' in w for w in result.warnings)


# -- merging into a scenario's draft -------------------------------------------------------------

def test_merging_extends_adds_replaces_and_keeps_the_rest() -> None:
    section = {"threshold": 0.6,
               "intents": [{"name": "greet", "description": "hello", "examples": {
                   "en": ["hi", "hello"], "uk": ["привіт"]}}],
               "entities": [{"name": "city", "kind": "list", "values": []},
                            {"name": "size", "kind": "list", "values": []}]}
    before = json.dumps(section, sort_keys=True)
    imported = {"intents": [
        {"name": "greet", "description": "other", "examples": {"en": ["hello", "hey there"],
                                                                "de": ["hallo"]}},
        {"name": "bye", "examples": {"en": ["bye", "see you"]}}],
        "entities": [{"name": "city", "kind": "list", "values": [{"value": "Kyiv"}]},
                     {"name": "colour", "kind": "list", "values": []}]}
    merged, report = merge_nlu(section, imported)
    assert json.dumps(section, sort_keys=True) == before  # the input is not changed
    assert merged["threshold"] == 0.6
    greet = merged["intents"][0]
    assert greet == {"name": "greet", "description": "hello", "examples": {
        "en": ["hi", "hello", "hey there"], "uk": ["привіт"], "de": ["hallo"]}}
    assert merged["intents"][1] == imported["intents"][1]
    assert [e["name"] for e in merged["entities"]] == ["city", "size", "colour"]
    assert merged["entities"][0]["values"] == [{"value": "Kyiv"}]
    assert (report.added_intents, report.extended_intents, report.added_examples) == (
        ["bye"], ["greet"], 4)
    assert (report.added_entities, report.replaced_entities, report.limits) == (
        ["colour"], ["city"], [])
    # Into nothing at all.
    fresh, report = merge_nlu(None, imported)
    assert [i["name"] for i in fresh["intents"]] == ["greet", "bye"] and report.added_examples == 5


def test_merging_past_the_limits_is_reported() -> None:
    from scenarios.format.nlu import MAX_EXAMPLES, MAX_INTENTS

    many = {"intents": [{"name": f"i{k}", "examples": {"en": [f"phrase {k}"]}}
                        for k in range(MAX_INTENTS + 1)]}
    _, report = merge_nlu({}, many)
    assert report.limits == [f"intents: {MAX_INTENTS + 1} > {MAX_INTENTS}"]
    long = {"intents": [{"name": "a", "examples": {"uk": [f"фраза {k}"
                                                          for k in range(MAX_EXAMPLES + 1)]}}]}
    _, report = merge_nlu({}, long)
    assert report.limits == [f"a (uk): {MAX_EXAMPLES + 1} > {MAX_EXAMPLES}"]


async def test_the_command_merges_into_a_drafts_section(client, make_actor, settings,  # type: ignore[no-untyped-def]
                                                        tmp_path: Path) -> None:
    """`rozmova nlu import --into` in its own process, on the server's database: the draft
    gets the phrases and intents (a new revision, validated), and the bot routes by them once
    published."""
    import asyncio
    import os
    import sys
    import uuid

    from core.security import Role
    from tests.nlu.test_intent_block import named_routing

    owner = await make_actor(Role.owner)
    bot = (await client.post("/api/v1/bots", json={"name": "rasa-into"},
                             headers=owner.headers)).json()
    scenario = (await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                  json={"name": "main", "document": named_routing()},
                                  headers=owner.headers)).json()
    nlu_yml = tmp_path / "nlu.yml"
    nlu_yml.write_text("""version: "3.1"
nlu:
- intent: order_status
  examples: |
    - де моя [посилка](item)
    - де моє замовлення
- intent: cancel_order
  examples: |
    - скасуйте замовлення
    - я передумав, скасуйте
    - не треба мені це замовлення
""", encoding="utf-8")
    env = {**os.environ, "ROZMOVA_DATABASE_URL": settings.resolved_database_url,
           "ROZMOVA_DATA_DIR": str(settings.data_dir), "ROZMOVA_ENV": "test",
           "ROZMOVA_SECRET_KEY": settings.secret_key.get_secret_value()
           if hasattr(settings.secret_key, "get_secret_value") else str(settings.secret_key)}

    async def run(*arguments: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "gateway.cli", "nlu", "import", *arguments, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        _, err = await asyncio.wait_for(process.communicate(), 120)
        assert process.returncode is not None
        return process.returncode, err.decode()

    code, err = await run(str(nlu_yml), "--language", "uk", "--into", scenario["id"])
    assert code == 0, err
    assert ("merged into the draft of 'main' (revision 2): 1 intent(s) added, 1 extended, "
            "4 example(s) added; 1 entit(ies) added, 0 replaced") in err, err
    draft = (await client.get(f"/api/v1/scenarios/{scenario['id']}",
                              headers=owner.headers)).json()
    assert draft["revision"] == 2
    intents = {i["name"]: i for i in draft["document"]["nlu"]["intents"]}
    assert intents["order_status"]["examples"]["uk"][-1] == "де моя посилка"
    assert intents["order_status"]["examples"]["uk"][:5] == named_routing()["nlu"][
        "intents"][1]["examples"]["uk"]
    assert intents["cancel_order"]["examples"] == {"uk": ["скасуйте замовлення",
                                                          "я передумав, скасуйте",
                                                          "не треба мені це замовлення"]}
    assert [e["name"] for e in draft["document"]["nlu"]["entities"]] == ["item"]

    code, err = await run(str(nlu_yml), "--into", str(uuid.uuid4()))
    assert code == 2 and "no scenario" in err and "Traceback" not in err, err
    code, err = await run(str(nlu_yml), "--into", scenario["id"], "--out", str(tmp_path / "x"))
    assert code == 2 and "do not go together" in err, err
