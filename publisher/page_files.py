"""Page files: write the generator's rendered pages into a build as Pelican's writer would, and note
the hash of each file written, so that the site manifest need not read it back.

Pelican's ``Writer.write_file`` made a city's full build pay, per page, for a text-mode file
(``io.open``: seven system calls), ``os.makedirs`` (a ``stat`` of the parent and a ``mkdir``) and its
pagination and overwrite bookkeeping. Here a page is the same template context, rendered, encoded as
UTF-8 (what the text-mode file wrote: newlines are ``\\n`` on POSIX) and written with one
``open``/``write``/``fstat``/``close``; each folder is made once. Never imports Flask or the site.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
from typing import Any

from pelican.plugins import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError

from .opendata import Hashed, file_identity

#: Pelican's writer logs each file it writes here (at INFO: seen only with Pelican's ``--verbose``).
_log = logging.getLogger("pelican.writers")
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC


class PageFiles:
    """The pages one build writes (in this process), and the hash of each file as written.

    ``hashed`` maps a file's identity (``opendata.file_identity``) to its size, modification time and
    SHA-256 right after writing: ``write_site_manifest`` takes a file's hash from it only while the
    file on disk still has that identity, size and time (the open data's rule, ``opendata._Hashing``).
    One object per build (``SunshineGenerator.generate_output``): nothing here outlives it.
    """

    def __init__(self, output_path: str, relative_urls: bool) -> None:
        self.output_path = output_path
        self.relative_urls = relative_urls
        self.hashed: dict[int, Hashed] = {}
        #: Folders made (or found) by this object: a build's folders are never removed while it runs.
        self._folders: set[str] = set()

    def write(self, name: str, template: Any, context: dict[str, Any], values: dict[str, Any]) -> None:
        """``Writer.write_file(name, template, context, relative_urls=…, **values)``: the same
        template context (and the same side effect on ``context`` with relative URLs), the same
        bytes, the ``content_written`` signal. A file already there (a page written twice in one
        build, by any process) fails as Pelican's writer fails the second write of a name."""
        localcontext = context.copy()
        localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
        if self.relative_urls:
            relative_url = path_to_url(get_relative_path(name))
            localcontext["SITEURL"] = relative_url
            localcontext["localsiteurl"] = relative_url
        localcontext["output_file"] = name
        localcontext.update(values)
        if localcontext["localsiteurl"]:
            context["localsiteurl"] = localcontext["localsiteurl"]
        data = template.render(localcontext).encode("utf-8")
        path = sanitised_join(self.output_path, name)
        self._write(path, data)
        _log.info('Writing "%s"', path)
        signals.content_written.send(path, context=localcontext)

    def _write(self, path: str, data: bytes) -> None:
        folder = os.path.dirname(path)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        try:
            fd = os.open(path, _FLAGS, 0o666)
        except FileExistsError:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{path}" as Pelican has already written to it previously'
                " (set `override=True` if intended)"
            ) from None
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            stat = os.fstat(fd)  # after the last write: the time a later write would change
        finally:
            os.close(fd)
        self.hashed[file_identity(stat)] = (stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).digest())

    def mark(self) -> int:
        """How many files are noted now (``since``)."""
        return len(self.hashed)

    def since(self, mark: int) -> list[list[int | str]]:
        """The files noted after ``mark``, as JSON for the parent process (``adopt``)."""
        return [[identity >> 64, identity & ((1 << 64) - 1), size, mtime, digest.hex()]
                for identity, (size, mtime, digest) in itertools.islice(self.hashed.items(), mark, None)]

    def adopt(self, noted: list[list[int | str]]) -> None:
        """Files another process of this build wrote (``since`` there)."""
        for dev, ino, size, mtime, digest in noted:
            self.hashed[(int(dev) << 64) | int(ino)] = (int(size), int(mtime), bytes.fromhex(str(digest)))
