"""generate(): what gets written, and what does not."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING, Any

import pytest

from actionpact.contracts import ProjectConfig, generate, interaction_origins
from actionpact.contracts._config import ConsumerSplit
from actionpact.core.errors import ContractError, DefinitionError, SpecError

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e

SECRET = "s3cr3t-token-value"


def definition(
    name: str = "CRM Lookup",
    *,
    url: str = "https://crm.example.com/customers?phone=$esc.url(${input.phone})",
    method: str = "GET",
    translation: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    template: str = '{"customerId": ${customerId}, "tier": ${tier}}',
    output: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "name": name,
        "integrationType": "custom-rest-actions",
        "actionType": "custom",
        "config": {
            "request": {
                "requestUrlTemplate": url,
                "requestType": method,
                "headers": headers
                if headers is not None
                else {"Authorization": "Bearer ${credentials.apiToken}"},
                "requestTemplate": "${input.rawRequest}",
            },
            "response": {
                "translationMap": translation
                if translation is not None
                else {"customerId": "$.customers[0].id", "tier": "$.customers[0].tier"},
                "translationMapDefaults": defaults or {},
                "successTemplate": template,
            },
        },
        "contract": {
            "input": {
                "inputSchema": {
                    "type": "object",
                    "required": ["phone"],
                    "properties": {"phone": {"type": "string"}},
                }
            },
            "output": {
                "successSchema": output
                or {
                    "type": "object",
                    "properties": {
                        "customerId": {"type": "string"},
                        "tier": {"type": "string", "enum": ["gold", "silver"]},
                    },
                }
            },
        },
        "secure": False,
    }


def write(folder: Path, name: str, data: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, indent=2) if not isinstance(data, str) else data)
    return path


def config() -> ProjectConfig:
    return ProjectConfig()


# --------------------------------------------------------------------------- basics


def test_bundled_examples_all_get_contracts(tmp_path: Path, examples_dir: Path) -> None:
    result = generate([examples_dir], out=tmp_path, config=config())
    assert result.success, [(a.name, a.reason) for a in result.failed]
    assert {(p.consumer, p.provider) for p in result.pairs} == {
        ("genesys-data-actions", "crm.example.com"),
        ("genesys-data-actions", "genesys-cloud-platform-api"),
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "genesys-data-actions-crm.example.com.json",
        "genesys-data-actions-genesys-cloud-platform-api.json",
    ]
    by_name = {a.name: a for a in result.actions}
    lookup = by_name["CRM - Lookup Customer By Phone"]
    assert [e.name for e in lookup.examples] == [
        "known caller",
        "caller with no account manager",
        "unknown caller",
    ]
    assert lookup.examples[0].output["accountManager"] == "Grace Hopper"
    assert lookup.examples[2].expected_failure
    assert lookup.examples[2].step == 8
    assert lookup.coverage == 100.0


def test_two_runs_are_byte_identical(tmp_path: Path, examples_dir: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    generate([examples_dir], out=first, config=config())
    generate([examples_dir], out=second, config=config(), batch_size=1, workers=1)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_the_pact_holds_only_what_the_action_reads(tmp_path: Path) -> None:
    source = tmp_path / "defs"
    write(source, "lookup.json", definition())
    write(
        source,
        "lookup.spec.yaml",
        """
examples:
  - name: gold customer
    given: {state: a customer exists, params: {phone: "+13175550123"}}
    input: {phone: "+13175550123"}
    response:
      body:
        total: 1
        customers:
          - {id: C-1, tier: gold, name: Ada, createdAt: "2020-01-01"}
    expect:
      output: {customerId: C-1, tier: gold}
""",
    )
    result = generate([source], out=tmp_path / "pacts", config=config())
    assert result.success, result.failed
    pact = json.loads(next((tmp_path / "pacts").iterdir()).read_text())
    (interaction,) = pact["interactions"]
    assert interaction["response"]["body"]["content"] == {
        "customers": [{"id": "C-1", "tier": "gold"}]
    }
    rules = interaction["response"]["matchingRules"]["body"]
    assert rules["$.customers"]["matchers"] == [{"match": "type", "min": 1}]
    assert rules["$.customers[*].tier"]["matchers"] == [
        {"match": "regex", "regex": "^(gold|silver)$"}
    ]
    assert interaction["providerStates"] == [
        {"name": "a customer exists", "params": {"phone": "+13175550123"}}
    ]
    assert interaction["request"]["query"] == {"phone": ["+13175550123"]}


def test_secrets_never_enter_a_pact(tmp_path: Path) -> None:
    source = tmp_path / "defs"
    write(
        source,
        "lookup.json",
        definition(
            headers={
                "Authorization": "Bearer ${credentials.apiToken}",
                "X-API-Key": SECRET,
                "Accept": "application/json",
            }
        ),
    )
    generate([source], out=tmp_path / "pacts", config=config())
    text = next((tmp_path / "pacts").iterdir()).read_text()
    assert SECRET not in text
    pact = json.loads(text)
    request = pact["interactions"][0]["request"]
    assert request["headers"]["Authorization"] == ["Bearer <credentials.apiToken>"]
    assert request["headers"]["X-API-Key"] == ["<redacted>"]
    header_rules = request["matchingRules"]["header"]
    assert header_rules["Authorization"]["matchers"] == [{"match": "regex", "regex": "^Bearer .+$"}]
    assert header_rules["X-API-Key"]["matchers"] == [{"match": "regex", "regex": "^.+$"}]
    assert request["headers"]["Accept"] == ["application/json"]


def test_interactions_record_their_definition(tmp_path: Path) -> None:
    source = tmp_path / "defs"
    write(source, "lookup.json", definition())
    result = generate([source], out=tmp_path / "pacts", config=config())
    pact = json.loads(next((tmp_path / "pacts").iterdir()).read_text())
    origin = interaction_origins(pact)["CRM Lookup: derived example"]
    assert origin.definition == "CRM Lookup"
    assert origin.content_hash == result.actions[0].content_hash
    assert origin.derived
    assert origin.example == "derived example"
    assert origin.source is not None
    assert origin.source.endswith("defs/lookup.json")


def test_v3_keeps_origins_in_the_metadata(tmp_path: Path) -> None:
    source = tmp_path / "defs"
    write(source, "lookup.json", definition())
    result = generate([source], out=tmp_path / "pacts", config=config(), specification="V3")
    assert result.specification == "V3"
    pact = json.loads(next((tmp_path / "pacts").iterdir()).read_text())
    assert pact["metadata"]["pactSpecification"]["version"] == "3.0.0"
    assert "comments" not in pact["interactions"][0]
    origins = interaction_origins(pact)
    assert origins["CRM Lookup: derived example"].definition == "CRM Lookup"


def test_consumers_split_reads_and_writes(tmp_path: Path) -> None:
    source = tmp_path / "defs"
    write(source, "read.json", definition("Read"))
    write(source, "write.json", definition("Write", method="POST"))
    split = ProjectConfig(consumers=ConsumerSplit("ivr-reads", "ivr-writes"))
    result = generate([source], out=tmp_path / "pacts", config=split)
    assert sorted(p.consumer for p in result.pairs) == ["ivr-reads", "ivr-writes"]


def test_spec_consumer_and_provider_win(tmp_path: Path) -> None:
    source = tmp_path / "defs"
    write(source, "lookup.json", definition())
    write(source, "lookup.spec.yaml", "consumer: ivr\nprovider: crm\n")
    result = generate([source], out=tmp_path / "pacts", config=config(), consumer="other")
    assert [(p.consumer, p.provider) for p in result.pairs] == [("ivr", "crm")]
    assert (tmp_path / "pacts" / "ivr-crm.json").is_file()


def test_middleware_reshapes_the_response_and_the_pact_is_on_the_provider(
    tmp_path: Path,
) -> None:
    source = tmp_path / "defs"
    write(source, "lookup.json", definition(translation={"customerId": "$.id", "tier": "$.t"}))
    write(
        source,
        "lookup.spec.yaml",
        """
middleware: '{"id": data.customer.ref, "t": data.customer.level}'
examples:
  - name: wrapped
    input: {phone: "+13175550123"}
    response:
      body: {data: {customer: {ref: C-9, level: silver}}}
    expect:
      output: {customerId: C-9, tier: silver}
""",
    )
    result = generate([source], out=tmp_path / "pacts", config=config())
    assert result.success, result.failed
    pact = json.loads(next((tmp_path / "pacts").iterdir()).read_text())
    body = pact["interactions"][0]["response"]["body"]["content"]
    assert body == {"data": {"customer": {"ref": "C-9", "level": "silver"}}}


# --------------------------------------------------------------------------- failures


def test_an_action_failing_its_example_is_listed_and_the_others_written(tmp_path: Path) -> None:
    source = tmp_path / "defs"
    write(source, "good.json", definition("Good"))
    # The template reads a variable the translation map does not set: step 10 fails.
    write(source, "bad.json", definition("Bad", template='{"customerId": ${nope}}'))
    result = generate([source], out=tmp_path / "pacts", config=config())
    assert not result.success
    (bad,) = result.failed
    assert bad.name == "Bad"
    assert bad.status == "failed"
    assert bad.step == 10
    assert "$nope has not been set" in (bad.reason or "")
    pact = json.loads(
        (tmp_path / "pacts" / "genesys-data-actions-crm.example.com.json").read_text()
    )
    assert [i["description"] for i in pact["interactions"]] == ["Good: derived example"]


def test_expectations_that_do_not_hold_fail_the_action(tmp_path: Path) -> None:
    source = tmp_path / "defs"
    write(source, "lookup.json", definition())
    write(
        source,
        "lookup.spec.yaml",
        """
examples:
  - name: wrong
    input: {phone: "+13175550123"}
    response: {body: {customers: [{id: C-1, tier: gold}]}}
    expect:
      output: {customerId: C-2, teir: gold}
      jsonata: ['tier = "silver"']
  - name: not failing
    input: {phone: "+13175550123"}
    response: {body: {customers: [{id: C-1, tier: gold}]}}
    expect:
      fails: {step: 8}
""",
    )
    result = generate([source], out=tmp_path / "pacts", config=config(), check=True)
    wrong, not_failing = result.actions[0].examples
    assert wrong.error is not None
    assert 'output.customerId is "C-1", expected "C-2"' in wrong.error
    assert "output.teir is missing; did you mean 'tier'?" in wrong.error
    assert "expect.jsonata 'tier = \"silver\"' gave false" in wrong.error
    assert not_failing.error is not None
    assert "expected the action to fail at step 8, but it succeeded" in not_failing.error


def test_unsupported_definitions_are_reported(tmp_path: Path) -> None:
    source = tmp_path / "defs"
    write(source, "lambda.json", definition("Lambda", url="your-lambda-function-arn"))
    result = generate([source], out=tmp_path / "pacts", config=config())
    (action,) = result.actions
    assert action.status == "unsupported"
    assert "placeholder" in (action.reason or "")
    assert not (tmp_path / "pacts").exists()


def test_min_coverage(tmp_path: Path) -> None:
    source = tmp_path / "defs"
    output = {
        "type": "object",
        "properties": {"customerId": {"type": "string"}, "never": {"type": "string"}},
    }
    write(
        source, "lookup.json", definition(output=output, template='{"customerId": ${customerId}}')
    )
    result = generate([source], out=tmp_path / "pacts", config=config(), min_coverage=60)
    (action,) = result.actions
    assert action.ok
    assert action.coverage == 50.0
    assert action.uncovered == ("never",)
    assert result.below_coverage == (action,)
    assert not result.success
    assert generate([source], out=tmp_path / "p2", config=config(), min_coverage=50).success


# --------------------------------------------------------------------------- nothing written


def test_check_writes_nothing(tmp_path: Path, examples_dir: Path) -> None:
    result = generate([examples_dir], out=tmp_path / "pacts", config=config(), check=True)
    assert result.success
    assert not result.written
    assert all(p.file is None for p in result.pairs)
    assert not (tmp_path / "pacts").exists()


def test_an_invalid_file_leaves_the_output_as_it_was(tmp_path: Path, examples_dir: Path) -> None:
    out = tmp_path / "pacts"
    generate([examples_dir], out=out, config=config())
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    source = tmp_path / "defs"
    shutil.copytree(examples_dir, source)
    # One spec has a typo: the whole run stops before writing anything.
    spec = source / "crm-lookup-by-phone.spec.yaml"
    spec.write_text(
        spec.read_text().replace("    expect:\n      output:", "    expct:\n      output:", 1)
    )
    with pytest.raises(SpecError, match="did you mean 'expect'"):
        generate([source], out=out, config=config())
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not list(out.glob(".*.tmp"))


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path, examples_dir: Path) -> None:
    out = tmp_path / "pacts"
    # A folder where one pact should go: renaming the finished file onto it fails.
    (out / "genesys-data-actions-genesys-cloud-platform-api.json").mkdir(parents=True)
    with pytest.raises(ContractError, match=r"cannot write the pact .*: Is a directory"):
        generate([examples_dir], out=out, config=config())
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_a_definition_that_does_not_compile_stops_the_run(tmp_path: Path) -> None:
    source = tmp_path / "defs"
    write(source, "good.json", definition("Good"))
    write(source, "broken.json", definition("Broken", template='{"customerId": #if(}'))
    out = tmp_path / "pacts"
    with pytest.raises(DefinitionError, match=r"broken\.json"):
        generate([source], out=out, config=config())
    assert not out.exists()
    relaxed = generate([source], out=out, config=config(), strict=False)
    assert [a.status for a in relaxed.actions] == ["invalid", "ok"]
    # Every invalid definition is named, not only the first.
    write(source, "worse.json", definition("Worse", url="/x/${input.phone"))
    with pytest.raises(DefinitionError, match=r"and 1 more invalid definition\(s\): .*worse\.json"):
        generate([source], out=out, config=config())


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"lookup.spec.yaml": "examples: [{name: a}]\n"}, "no definition lookup.json beside"),
        (
            {
                "lookup.json": definition(),
                "lookup.spec.yaml": "actions:\n  CRM Lookp: {examples: [{name: a}]}\n",
            },
            "no action named 'CRM Lookp' in the definition file; did you mean 'CRM Lookup'?",
        ),
        (
            {
                "lookup.json": definition(),
                "lookup.spec.yaml": "examples:\n  - name: a\n    expect: {jsonata: ['x = ']}\n",
            },
            "examples[0].expect.jsonata[0]",
        ),
    ],
)
def test_spec_problems_found_with_the_definition(
    tmp_path: Path, files: dict[str, Any], message: str
) -> None:
    source = tmp_path / "defs"
    for name, content in files.items():
        write(source, name, content)
    with pytest.raises(SpecError) as caught:
        generate([source], out=tmp_path / "pacts", config=config())
    assert message in str(caught.value)
    assert caught.value.line is not None or "beside" in message


def test_forked_shards_write_the_same_bytes(
    tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes (a fork, in a fresh interpreter where forking is safe) or one: same pacts."""
    import subprocess
    import sys

    forked, single = tmp_path / "forked", tmp_path / "single"
    script = (
        "import sys\n"
        "from actionpact.contracts import ProjectConfig, generate\n"
        "from actionpact.contracts._shard import fork_is_safe\n"
        "assert fork_is_safe()\n"
        "r = generate([sys.argv[1]], out=sys.argv[2], config=ProjectConfig(), strict=False,"
        " processes=2)\n"
        "print(sum(a.ok for a in r.actions))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(corpus_dir), str(forked)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "134"
    monkeypatch.chdir(tmp_path)  # pacts name sources relative to the current directory
    generate([corpus_dir], out=single, config=config(), strict=False, processes=1)
    names = sorted(p.name for p in single.iterdir())
    assert names == sorted(p.name for p in forked.iterdir())
    for name in names:
        assert (single / name).read_bytes() == (forked / name).read_bytes(), name
