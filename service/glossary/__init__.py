"""The glossary: PO termbase, recognition in source text, rendering and enforcement."""
