"""The ``glossa`` command. Each subcommand lives in its own module and is imported only when run,
so ``glossa --help`` stays fast and importing the CLI loads no model."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import click

from service import __version__
from service.errors import GlossaError, InputError

# name -> (module, attribute, one-line help). Kept here so `glossa --help` lists everything
# without importing any subcommand.
SUBCOMMANDS: dict[str, tuple[str, str, str]] = {
    "translate": ("service.cli.translate", "translate", "Translate text between en, ko and ru."),
    "detect": ("service.cli.detect", "detect", "Identify the language of a text."),
    "models": ("service.cli.models", "models", "List, install, remove and verify Argos models."),
    "glossary": ("service.cli.glossary", "glossary", "Maintain the glossary and find terms in text."),
    "batch": ("service.cli.batch", "batch", "Translate a folder of articles into other languages."),
    "serve": ("service.cli.serve", "serve", "Start the HTTP service."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, spec in SUBCOMMANDS.items() if _available(spec[0])]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        spec = SUBCOMMANDS.get(name)
        if spec is None or not _available(spec[0]):
            return None
        module = importlib.import_module(spec[0])
        return getattr(module, spec[1])

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUBCOMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""\b
Examples:
  glossa models ensure                      install models (demo models when offline)
  glossa translate -t ru article.txt        English/Korean article -> Russian
  echo '김정은은 평양에서 올가 류비모바와 만났다.' | glossa translate -t en
  glossa detect --json article.txt
Run `glossa COMMAND --help` for each command's options.""",
)
@click.version_option(__version__, prog_name="glossa")
def cli() -> None:
    """Glossa: offline translation and glossary service for English, Korean and Russian news."""


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; GlossaErrors become one line on stderr and a non-zero exit, never a traceback."""
    try:
        result = cli.main(args=argv, prog_name="glossa", standalone_mode=False)
    except GlossaError as exc:
        click.echo(f"glossa: error: {exc}", err=True)
        return 2 if isinstance(exc, InputError) else 1
    except click.exceptions.Abort:
        click.echo("glossa: aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        click.echo("glossa: interrupted", err=True)
        return 130
    except Exception as exc:  # a bug: still one line for the user, the traceback on request
        if os.environ.get("GLOSSA_DEBUG"):
            raise
        click.echo(f"glossa: internal error: {type(exc).__name__}: {exc} "
                   "(this is a bug; rerun with GLOSSA_DEBUG=1 for the traceback and report it)", err=True)
        return 70
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
