"""`rozmova secrets reencrypt`: after a new key is put in front of ROZMOVA_ENCRYPTION_KEYS,
encrypt every organization secret again with it, so that the old key can then be dropped."""

from __future__ import annotations

from typing import Any

import typer

from core.commands import in_transaction

app = typer.Typer(no_args_is_help=True)


@app.command()
def reencrypt() -> None:
    """Encrypt again, with the first key of ROZMOVA_ENCRYPTION_KEYS, every secret that another
    of the keys encrypted. Safe to run twice and while the server runs (each row is rewritten
    in place, values unchanged). Prints how many secrets changed; never a value."""
    from core.config import settings_or_exit
    from core.crypto import DecryptionError, Encryptor
    from gateway.secrets import service

    encryptor = Encryptor.from_settings(settings_or_exit())

    async def action(session: Any) -> int:
        return await service.reencrypt(session=session, encryptor=encryptor)

    try:
        changed = in_transaction(action)
    except DecryptionError as exc:
        # Names the key id only: a secret encrypted with a key no longer in the list.
        typer.echo(f"rozmova: {exc}; put that key back in ROZMOVA_ENCRYPTION_KEYS (after the "
                   "new one) and run this again", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"re-encrypted {changed} secret(s) with key {encryptor.key_id}")
