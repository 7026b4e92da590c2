"""Helpers shared by the tests: real git repositories, workspaces, CLI runners."""
