"""Reading a written Pagefind bundle's pf_meta: the first word of each index chunk."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from sunshine.search.pagefind_meta import PagefindMetaError, chunk_starts, index_chunks
from sunshine.search.static_index import build_static_index
from tests.search.test_static_index import write_site


@pytest.fixture(scope="module")
def chunked_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    patch = pytest.MonkeyPatch()
    patch.setenv("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", "30")
    try:
        site = tmp_path_factory.mktemp("site")
        write_site(site)
        return build_static_index(site).output_dir
    finally:
        patch.undo()


def test_chunks_are_read_in_pagefinds_order_and_in_its_files(chunked_bundle):
    chunks = index_chunks(chunked_bundle)
    assert len(chunks) > 3
    assert [start for start, _ in chunks] == sorted(start for start, _ in chunks)
    assert all(start <= end for start, end in chunks)
    assert len(list((chunked_bundle / "index").glob("*.pf_index"))) == len(chunks)


def test_chunk_starts_leave_out_the_first_chunk(chunked_bundle):
    assert chunk_starts(chunked_bundle) == [start for start, _ in index_chunks(chunked_bundle)[1:]]


def test_a_bundle_without_pf_meta_is_refused_in_chinese_first(tmp_path):
    with pytest.raises(PagefindMetaError, match=r"^Pagefind 索引应有一个 pf_meta 文件，找到 0 个"):
        chunk_starts(tmp_path)


def test_a_pf_meta_without_pagefinds_signature_is_refused(tmp_path):
    (tmp_path / "pagefind.zz_1.pf_meta").write_bytes(gzip.compress(b"something else"))
    with pytest.raises(PagefindMetaError, match=r"^不是 Pagefind 元数据"):
        chunk_starts(tmp_path)


def test_a_pf_meta_that_is_not_gzip_is_refused(tmp_path):
    (tmp_path / "pagefind.zz_1.pf_meta").write_bytes(b"pagefind_dcd")
    with pytest.raises(PagefindMetaError, match=r"^无法读取 Pagefind 元数据"):
        chunk_starts(tmp_path)
