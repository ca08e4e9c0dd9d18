"""The attachment store: a private folder of files named by the SHA-256 of their bytes.

``<SUNSHINE_ATTACHMENTS_DIR>/<sha256>``, flat. The same bytes are stored once however often they
are uploaded, and a stored file is never changed (only one that no longer has its hash is
replaced by a fresh upload), so a published address always means the same file. An upload is streamed into a temporary file in the store (hashed and counted as it is
written, stopped as soon as it is too large), checked, then renamed into place: a crash leaves
at most a ``.incoming-*`` file, never a half-written attachment. The folder is 0700 and the
files 0600, like the rest of the instance's private data (``private_files``); the publisher,
run by the same account, reads them. Never touches the database.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sunshine.contract.files import is_sha256

from ..private_files import PRIVATE_DIR

CHUNK = 64 * 1024
INCOMING_PREFIX = ".incoming-"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class TooLarge(ValueError):
    """The upload is larger than the limit (``size`` counts what was read before stopping)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


@dataclass(frozen=True)
class Received:
    """An upload written to a temporary file of the store, not yet kept."""

    path: Path
    sha256: str
    size: int


class AttachmentStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_of(self, sha256: str) -> Path:
        """Where the file with this hash is (or would be) stored."""
        if not is_sha256(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256

    def has(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def _ensure_root(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        if stat.S_IMODE(self.root.stat().st_mode) != PRIVATE_DIR:
            self.root.chmod(PRIVATE_DIR)

    def receive(self, stream: BinaryIO, max_bytes: int) -> Received:
        """Copy ``stream`` into a temporary file (0600) of the store, hashing it; TooLarge past
        ``max_bytes`` (nothing is left behind then)."""
        self._ensure_root()
        fd, name = tempfile.mkstemp(dir=self.root, prefix=INCOMING_PREFIX)
        path = Path(name)
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(size)
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return Received(path, digest.hexdigest(), size)

    def keep(self, received: Received) -> Path:
        """Make a received file the stored file of its hash (atomically). A stored file that still
        has that hash is kept as it is (the temporary one removed); one that lost it (a damaged
        disk, a hand edit) is replaced, so uploading the file again repairs the store."""
        target = self.path_of(received.sha256)
        if target.is_file() and file_sha256(target) == received.sha256:
            self.discard(received)
        else:
            os.replace(received.path, target)
            dir_fd = os.open(self.root, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        return target

    def discard(self, received: Received) -> None:
        received.path.unlink(missing_ok=True)
