"""The pieces of the ``polyfn`` command line (``adapters.cli`` puts them together).

Each subcommand is a :class:`~adapters._cli.command.Command`; reading input,
finding the provider, importing the handler and showing what it answered are
separate modules so ``serve`` and ``samples`` can reuse them. The dev server
behind ``polyfn serve`` (``_local``) is built from those pieces, and only
``serve`` imports it, once the ``serve`` extra is known to be installed.
"""
