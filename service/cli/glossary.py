"""``glossa glossary``: look after the termbase and find its terms in text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from service.errors import InputError
from service.fileio import atomic_write_text
from service.languages import SUPPORTED_LANGUAGES

LANG_CHOICE = click.Choice(list(SUPPORTED_LANGUAGES))


def _glossary(ctx: click.Context):
    """The glossary this command works on (the house one, or the one named with --name)."""
    from service.glossary.service import Glossaries

    return Glossaries(ctx.obj["dir"]).get(ctx.obj["name"])


def _store(ctx: click.Context):
    return _glossary(ctx).store


def _emit_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _emit_jsonl(rows: list[dict]) -> None:
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))


def _concept_dict(concept) -> dict:
    from service.glossary.service import concept_to_dict

    return concept_to_dict(concept)


def _read_input(source: str) -> str:
    from service.inputs import decode_text

    if source == "-":
        return decode_text(sys.stdin.buffer.read(), name="stdin")
    path = Path(source)
    if not path.is_file():
        raise InputError(f"no such file: {source}")
    return decode_text(path.read_bytes(), name=source)


def _split_lang(value: str, option: str) -> tuple[str, str]:
    lang, sep, text = value.partition(":")
    if not sep or lang not in SUPPORTED_LANGUAGES or not text.strip():
        raise InputError(f"{option} takes LANG:TEXT with LANG one of {', '.join(SUPPORTED_LANGUAGES)}, got {value!r}")
    return lang, text.strip()


def _parse_forms(values: tuple[str, ...]) -> dict[str, str]:
    from service.glossary.termbase import parse_form_key

    out = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not text.strip():
            raise InputError(f"--form takes CASE[.NUMBER]=TEXT, got {value!r}")
        out[parse_form_key(key)] = text.strip()
    return out


def _default_dir() -> Path:
    from service.config import Settings

    return Settings.from_env().glossary_dir


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""\b
The glossary is a folder of gettext files: glossary.pot lists the concepts (canonical English
term, category, note), en.po/ko.po/ru.po hold each language's rendering. Edit them with these
commands, or with any PO editor (Poedit, Lokalize) - both stay valid. See docs/glossary.md.
\b
Examples:
  glossa glossary list --category person
  glossa glossary show "Kim Jong-un"
  glossa glossary add "Pak Jong-chon" -c person --ko 박정천 --ru "Пак Чон Чхон" --gender m \\
      --note "Secretary of the WPK Central Committee. Source: KCNA."
  echo 'Ким Чен Ына встретили в Москве.' | glossa glossary match --lang ru
  glossa glossary check            (CI runs this; non-zero exit on errors)""",
)
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Glossary folder (default: $GLOSSA_GLOSSARY_DIR or the repository's glossaries/).")
@click.option("--name", "name", default=None, metavar="NAME",
              help="Work on the named glossary NAME (in named/NAME/ under the glossary folder) "
                   "instead of the house glossary; `create-glossary NAME` makes one.")
@click.pass_context
def glossary(ctx: click.Context, directory: Path | None, name: str | None) -> None:
    """Maintain the glossary (PO termbase) and find its terms in text."""
    from service.glossary.service import check_name

    ctx.ensure_object(dict)
    ctx.obj["dir"] = directory or _default_dir()
    ctx.obj["name"] = check_name(name) if name else None


# --- reading ------------------------------------------------------------------------------------


@glossary.command("list")
@click.option("-c", "--category", help="Only this category (person, place, organization, title, document, event, term).")
@click.option("-s", "--search", help="Only concepts whose term, note, rendering or variant contains this text (any case).")
@click.option("--retired", is_flag=True, help="Include retired (obsolete) concepts.")
@click.option("--json", "as_json", is_flag=True, help="One JSON array.")
@click.option("--jsonl", is_flag=True, help="One JSON object per line.")
@click.pass_context
def list_cmd(ctx, category, search, retired, as_json, jsonl):
    """List concepts with their Korean and Russian renderings."""
    rows = _glossary(ctx).search(search, category=category, include_retired=retired)
    if as_json or jsonl:
        data = [_concept_dict(c) for c in rows]
        _emit_json(data) if as_json else _emit_jsonl(data)
        return
    for c in rows:
        ko = c.renderings.get("ko")
        ru = c.renderings.get("ru")
        flag = " (retired)" if c.retired else ""
        click.echo(f"{c.category:<12} {c.msgid}{flag}  |  ko: {ko.text if ko else '-'}{' (fuzzy)' if ko and ko.fuzzy else ''}"
                   f"  |  ru: {ru.text if ru else '-'}{' (fuzzy)' if ru and ru.fuzzy else ''}")
    click.echo(f"{len(rows)} concept(s)", err=True)


@glossary.command("show")
@click.argument("term")
@click.option("-c", "--category", help="Needed only when the term exists in several categories.")
@click.option("--json", "as_json", is_flag=True, help="Print the concept as JSON.")
@click.pass_context
def show_cmd(ctx, term, category, as_json):
    """Everything about one concept, including the Russian case forms recognition uses."""
    from service.glossary.russian import russian_forms

    concept = _store(ctx).termbase().get(term, category, include_retired=True)
    data = _concept_dict(concept)
    ru = concept.renderings.get("ru")
    if ru is not None:
        data["russian_forms"] = {f"{c}.{n}": f for (c, n), f in russian_forms(ru, concept.category).items()}
    if as_json:
        _emit_json(data)
        return
    click.echo(f"{concept.msgid}  [{concept.category}]{'  (retired)' if concept.retired else ''}")
    if concept.note:
        click.echo(f"  note: {concept.note}")
    for lang, r in concept.renderings.items():
        extras = []
        if r.fuzzy:
            extras.append("fuzzy: proposed, not enforced")
        if r.gender:
            extras.append(f"gender {r.gender}")
        if r.indeclinable:
            extras.append("indeclinable")
        click.echo(f"  {lang}: {r.text}" + (f"  ({'; '.join(extras)})" if extras else ""))
        for v in r.variants:
            click.echo(f"      variant: {v}")
        for key, form in r.forms.items():
            click.echo(f"      form override {key}: {form}")
    if "russian_forms" in data:
        click.echo("  ru forms: " + "; ".join(f"{k} {v}" for k, v in data["russian_forms"].items()))


# --- writing ------------------------------------------------------------------------------------


def _rendering_options(f):
    for option in reversed([
        click.option("--en", help="English rendering when it differs from the term itself."),
        click.option("--ko", help="Korean rendering (as Korean media write it)."),
        click.option("--ru", help="Russian rendering, in the nominative."),
        click.option("--variant", "variants", multiple=True, metavar="LANG:TEXT",
                     help="Another spelling to recognise, e.g. 'en:Kim Jong Un' (repeatable)."),
        click.option("--gender", type=click.Choice(["m", "f", "n"]), help="Gender of the Russian rendering (declension of names)."),
        click.option("--indeclinable/--declinable", default=None, help="The Russian rendering never changes form (КНДР, Ким Чжу Э)."),
        click.option("--form", "forms", multiple=True, metavar="CASE[.NUM]=TEXT",
                     help="Override one Russian form, e.g. 'gen=реки Туманной' (cases nom gen dat acc ins pre; .pl for plural)."),
        click.option("--fuzzy", "fuzzy", multiple=True, type=LANG_CHOICE, help="Mark LANG's rendering as proposed: recognised nowhere, enforced nowhere (repeatable)."),
        click.option("--note", help="Note and source (who uses this rendering)."),
    ]):
        f = option(f)
    return f


@glossary.command("add")
@click.argument("term")
@click.option("-c", "--category", required=True, type=click.Choice(["person", "place", "organization", "title", "document", "event", "term"]), help="What kind of thing the term names.")
@_rendering_options
@click.option("--json", "as_json", is_flag=True, help="Print the added concept as JSON.")
@click.pass_context
def add_cmd(ctx, term, category, en, ko, ru, variants, gender, indeclinable, forms, fuzzy, note, as_json):
    """Add a concept: TERM is the canonical English term."""
    from service.glossary.termbase import Concept, Rendering

    texts = {"en": en or term, "ko": ko, "ru": ru}
    per_lang: dict[str, list[str]] = {}
    for value in variants:
        lang, text = _split_lang(value, "--variant")
        per_lang.setdefault(lang, []).append(text)
    renderings = {}
    for lang, text in texts.items():
        if text is None:
            if lang in per_lang:
                raise InputError(f"variants for {lang} need a {lang} rendering (--{lang})")
            continue
        extra = {}
        if lang == "ru":
            extra = {"gender": gender, "indeclinable": bool(indeclinable), "forms": _parse_forms(forms)}
        renderings[lang] = Rendering(text=text.strip(), variants=tuple(per_lang.get(lang, ())), fuzzy=lang in fuzzy, **extra)
    if ru is None and (gender or forms or indeclinable):
        raise InputError("--gender, --form and --indeclinable describe the Russian rendering: give --ru too")
    concept = _glossary(ctx).add(Concept(msgid=term.strip(), category=category, note=note or "", renderings=renderings))
    if as_json:
        _emit_json(_concept_dict(concept))
    else:
        click.echo(f"added {concept.msgid} [{concept.category}]")


@glossary.command("update")
@click.argument("term")
@click.option("-c", "--category", help="Needed only when the term exists in several categories.")
@_rendering_options
@click.option("--remove-variant", "remove_variants", multiple=True, metavar="LANG:TEXT", help="Stop recognising this spelling.")
@click.option("--clear-form", "clear_forms", multiple=True, metavar="CASE[.NUM]", help="Drop a Russian form override.")
@click.option("--approve", multiple=True, type=LANG_CHOICE, help="Clear the fuzzy mark of LANG: the rendering is enforced from now on.")
@click.option("--clear", "clear_langs", multiple=True, type=LANG_CHOICE, help="Remove LANG's rendering altogether.")
@click.option("--json", "as_json", is_flag=True, help="Print the updated concept as JSON.")
@click.pass_context
def update_cmd(ctx, term, category, en, ko, ru, variants, gender, indeclinable, forms, fuzzy, note,
               remove_variants, clear_forms, approve, clear_langs, as_json):
    """Change a concept's renderings, variants, flags or note (only what you pass changes)."""
    from service.glossary.service import ConceptEdit

    edit = ConceptEdit(
        note=note,
        texts={lang: text for lang, text in {"en": en, "ko": ko, "ru": ru}.items() if text is not None},
        add_variants=[_split_lang(v, "--variant") for v in variants],
        remove_variants=[_split_lang(v, "--remove-variant") for v in remove_variants],
        fuzzy=set(fuzzy), approve=set(approve), clear=set(clear_langs),
        gender=gender, indeclinable=indeclinable, forms=_parse_forms(forms), clear_forms=list(clear_forms),
    )
    concept = _glossary(ctx).update(term, category, edit)
    if as_json:
        _emit_json(_concept_dict(concept))
    else:
        click.echo(f"updated {concept.msgid} [{concept.category}]")


@glossary.command("remove")
@click.argument("term")
@click.option("-c", "--category", help="Needed only when the term exists in several categories.")
@click.pass_context
def remove_cmd(ctx, term, category):
    """Retire a concept. Its entries stay in the files as obsolete (#~) for history; `add` brings
    it back."""
    concept = _glossary(ctx).remove(term, category)
    click.echo(f"retired {concept.msgid} [{concept.category}]")


# --- quality ------------------------------------------------------------------------------------


@glossary.command("check")
@click.option("--strict", is_flag=True, help="Treat warnings (untranslated, no note, ...) as errors too.")
@click.option("--no-msgfmt", is_flag=True, help="Skip `msgfmt --check` (it is skipped anyway when gettext is not installed).")
@click.option("--json", "as_json", is_flag=True, help="Print the issues as a JSON array.")
@click.pass_context
def check_cmd(ctx, strict, no_msgfmt, as_json):
    """Validate the glossary: PO syntax (msgfmt --check), duplicate concepts, a spelling claimed by
    two concepts, renderings that recognition would not find again, untranslated entries.
    Exits 1 when there are errors (or warnings with --strict), so CI can run it."""
    from service.glossary.check import msgfmt_available

    issues = _glossary(ctx).check(use_msgfmt=not no_msgfmt)
    errors = [i for i in issues if i.severity == "error" or strict]
    if as_json:
        _emit_json([i.to_dict() for i in issues])
    else:
        for issue in issues:
            click.echo(str(issue) + (f" ({issue.msgid})" if issue.msgid else ""))
        note = "" if no_msgfmt or msgfmt_available() else " (msgfmt not installed: PO syntax checked by polib only)"
        click.echo(f"{len([i for i in issues if i.severity == 'error'])} error(s), "
                   f"{len([i for i in issues if i.severity == 'warning'])} warning(s){note}", err=True)
    if errors:
        ctx.exit(1)


@glossary.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@click.pass_context
def stats_cmd(ctx, as_json):
    """How many concepts per category, and how complete each language is."""
    termbase = _store(ctx).termbase()
    concepts = termbase.concepts()
    by_category: dict[str, int] = {}
    for c in concepts:
        by_category[c.category] = by_category.get(c.category, 0) + 1
    langs = {}
    for lang in SUPPORTED_LANGUAGES:
        rendered = [c.renderings[lang] for c in concepts if lang in c.renderings]
        langs[lang] = {
            "rendered": len(rendered),
            "fuzzy": sum(1 for r in rendered if r.fuzzy),
            "variants": sum(len(r.variants) for r in rendered),
            "missing": len(concepts) - len(rendered) if lang != "en" else 0,
        }
    data = {
        "concepts": len(concepts),
        "retired": len(termbase.concepts(include_retired=True)) - len(concepts),
        "categories": dict(sorted(by_category.items())),
        "languages": langs,
        "version": termbase.version,
    }
    if as_json:
        _emit_json(data)
        return
    click.echo(f"{data['concepts']} concepts ({data['retired']} retired), version {data['version']}")
    click.echo("  " + ", ".join(f"{k} {v}" for k, v in data["categories"].items()))
    for lang, d in langs.items():
        click.echo(f"  {lang}: {d['rendered']} rendered, {d['fuzzy']} fuzzy, {d['variants']} variants, {d['missing']} missing")


@glossary.command("missing")
@click.option("-l", "--lang", "langs", multiple=True, type=click.Choice(["ko", "ru"]), help="Only this language (repeatable; default ko and ru).")
@click.option("--fuzzy/--no-fuzzy", default=True, help="Also list renderings that are only proposed (default: yes).")
@click.option("--json", "as_json", is_flag=True, help="One JSON array.")
@click.option("--jsonl", is_flag=True, help="One JSON object per line.")
@click.pass_context
def missing_cmd(ctx, langs, fuzzy, as_json, jsonl):
    """Concepts that lack a Korean or Russian rendering (or have only a proposed one)."""
    rows = []
    for c in _store(ctx).termbase().concepts():
        for lang in langs or ("ko", "ru"):
            r = c.renderings.get(lang)
            if r is None:
                rows.append({"term": c.msgid, "category": c.category, "lang": lang, "status": "missing"})
            elif r.fuzzy and fuzzy:
                rows.append({"term": c.msgid, "category": c.category, "lang": lang, "status": "fuzzy", "proposed": r.text})
    if as_json or jsonl:
        _emit_json(rows) if as_json else _emit_jsonl(rows)
        return
    for row in rows:
        extra = f" (proposed: {row['proposed']})" if row["status"] == "fuzzy" else ""
        click.echo(f"{row['lang']}  {row['status']:<8} {row['term']} [{row['category']}]{extra}")
    click.echo(f"{len(rows)} gap(s)", err=True)


# --- exchange -----------------------------------------------------------------------------------


@glossary.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["po", "csv", "tsv", "tbx", "deepl-csv", "google-csv"]),
              help="Default: from the file name.")
@click.option("-l", "--lang", type=LANG_CHOICE, help="PO: the language of the msgstrs (default: the file's Language header).")
@click.option("--source", type=LANG_CHOICE, default="en", show_default=True, help="CSV/TSV: language of column 1.")
@click.option("--target", type=LANG_CHOICE, help="CSV/TSV: language of column 2 (required for tables).")
@click.option("-c", "--category", default="term", show_default=True, help="Category for new concepts when the file has none (CSV/TSV, PO without msgctxt).")
@click.option("--keep-existing", is_flag=True, help="Where a concept already has a rendering, keep it (the imported one becomes a variant).")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def import_cmd(ctx, file, fmt, lang, source, target, category, keep_existing, dry_run, as_json):
    """Merge terms from a PO/POT, a two-column CSV/TSV (DeepL, Amazon Translate), DeepL's
    multilingual CSV, Google's equivalent-term-set CSV or a TBX file. Concepts are matched by
    their English term whatever the category; nothing is written unless all of it is valid."""
    from service.glossary import exchange
    from service.inputs import decode_text

    fmt = fmt or exchange.guess_format(file)
    text = decode_text(file.read_bytes(), name=file.name, max_bytes=64 * 1024 * 1024)
    if fmt in ("csv", "tsv") and target is None:
        raise InputError("a CSV/TSV import needs --target LANG (the language of column 2)")
    report = _glossary(ctx).import_text(text, fmt, lang=target if fmt in ("csv", "tsv") else lang, source=source,
                                       category=category, overwrite=not keep_existing, dry_run=dry_run)
    if as_json:
        _emit_json({**report.to_dict(), "dry_run": dry_run})
    else:
        prefix = "would add" if dry_run else "added"
        click.echo(f"{prefix} {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}")
        for line in report.recategorised:
            click.echo(f"note: {line}", err=True)


@glossary.command("export")
@click.option("-f", "--format", "fmt", type=click.Choice(["po", "pot", "csv", "tsv", "tbx", "tbx3", "deepl-csv", "google-csv"]),
              default="tbx", show_default=True)
@click.option("-l", "--lang", type=LANG_CHOICE, help="PO: which language's file.")
@click.option("--source", type=LANG_CHOICE, default="en", show_default=True, help="CSV/TSV: language of column 1.")
@click.option("--target", type=LANG_CHOICE, help="CSV/TSV: language of column 2.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here (default: stdout).")
@click.pass_context
def export_cmd(ctx, fmt, lang, source, target, output):
    """Write the glossary as PO/POT, a two-column CSV/TSV (source, target; no header, as DeepL
    takes it; source variants as extra rows; proposed renderings left out), DeepL's multilingual
    CSV, Google's equivalent-term-set CSV, or TBX-Basic with every language (tbx: the 2008
    martif dialect; tbx3: TBX v3)."""
    if fmt == "po" and lang is None:
        raise InputError("--format po needs --lang (or use --format pot)")
    if fmt in ("csv", "tsv") and (target is None or target == source):
        raise InputError("a CSV/TSV export needs --target LANG (different from --source)")
    exported = _glossary(ctx).export(fmt, lang=lang, source=source, target=target)
    if output:
        atomic_write_text(output, exported.text)
    else:
        click.echo(exported.text, nl=False)


@glossary.command("glossaries")
@click.option("--json", "as_json", is_flag=True, help="One JSON array.")
@click.pass_context
def glossaries_cmd(ctx, as_json):
    """List the house glossary and the named ones, with their sizes."""
    from service.glossary.service import Glossaries

    rows = Glossaries(ctx.obj["dir"]).list_all()
    if as_json:
        _emit_json(rows)
        return
    for row in rows:
        click.echo(f"{row['name']:<24} {row['concepts']:>6} concept(s)  {row['description']}")


@glossary.command("create-glossary")
@click.argument("name")
@click.option("--description", default="", help="What the glossary is for.")
@click.pass_context
def create_glossary_cmd(ctx, name, description):
    """Create an empty named glossary NAME (then use `glossa glossary --name NAME add ...`)."""
    from service.glossary.service import Glossaries

    Glossaries(ctx.obj["dir"]).create(name, description=description)
    click.echo(f"created glossary {name}")


@glossary.command("delete-glossary")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def delete_glossary_cmd(ctx, name, yes):
    """Delete the named glossary NAME and its files (the house glossary cannot be deleted)."""
    from service.glossary.service import Glossaries

    glossaries = Glossaries(ctx.obj["dir"])
    glossaries.get(name)
    if not yes:
        click.confirm(f"delete glossary {name} and all its concepts?", abort=True)
    glossaries.delete(name)
    click.echo(f"deleted glossary {name}")


# --- corpus tools -------------------------------------------------------------------------------


@glossary.command("suggest")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-l", "--lang", "langs", multiple=True, type=LANG_CHOICE, help="Only these languages (repeatable; default all).")
@click.option("--min-count", default=2, show_default=True, help="Ignore names seen fewer times.")
@click.option("-n", "--limit", default=50, show_default=True, help="Show at most this many.")
@click.option("--json", "as_json", is_flag=True, help="One JSON array.")
@click.option("--jsonl", is_flag=True, help="One JSON object per line.")
@click.pass_context
def suggest_cmd(ctx, files, langs, min_count, limit, as_json, jsonl):
    """Names in a corpus of articles that the glossary lacks, most frequent first: capitalised
    sequences (English, Russian, grouped by lemma), Korean names and institutions."""
    from service.glossary.suggest import suggest
    from service.inputs import decode_text

    texts = [decode_text(f.read_bytes(), name=str(f)) for f in files]
    found = suggest(texts, _store(ctx).termbase(), langs=tuple(langs) or SUPPORTED_LANGUAGES, min_count=min_count)[:limit]
    rows = [s.to_dict() for s in found]
    if as_json or jsonl:
        _emit_json(rows) if as_json else _emit_jsonl(rows)
        return
    for s in found:
        others = f"  (also {', '.join(s.forms[1:4])})" if len(s.forms) > 1 else ""
        click.echo(f"{s.count:>5}  {s.lang}  {s.text}{others}")


@glossary.command("match")
@click.argument("source", default="-")
@click.option("-l", "--lang", type=LANG_CHOICE, help="Language of the text (default: guessed from its script).")
@click.option("--include-fuzzy", is_flag=True, help="Also recognise proposed (fuzzy) renderings.")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of matches.")
@click.option("--jsonl", is_flag=True, help="One JSON object per match per line.")
@click.pass_context
def match_cmd(ctx, source, lang, include_fuzzy, as_json, jsonl):
    """Find glossary terms in SOURCE (a file, or - for stdin): each match with the concept's
    term, category, character offsets and the text as written (Russian: its case; Korean: the
    particle after it)."""
    text = _read_input(source)
    lang = lang or _script_language(text)
    matches = _store(ctx).matcher(lang, include_fuzzy=include_fuzzy).find(text)
    rows = [m.to_dict() for m in matches]
    if as_json or jsonl:
        _emit_json(rows) if as_json else _emit_jsonl(rows)
        return
    for m in matches:
        extra = ""
        if m.forms:
            extra = "  " + "/".join(f"{c}.{n}" for c, n in m.forms)
        if m.particle:
            extra = f"  +{m.particle}"
        click.echo(f"{m.start}-{m.end}  {m.surface}  ->  {m.concept.msgid} [{m.concept.category}]{extra}")
    click.echo(f"{len(matches)} match(es)", err=True)


def _script_language(text: str) -> str:
    hangul = sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3")
    cyrillic = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    best = max((hangul, "ko"), (cyrillic, "ru"), (latin, "en"))
    if best[0] == 0:
        raise InputError("cannot tell the language of the text", hint="pass --lang en|ko|ru")
    return best[1]
