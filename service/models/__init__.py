"""Argos Translate packages: what is installed, installing (index or file), removing, routing."""
