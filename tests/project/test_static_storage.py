"""Production links the hashed static files (kpmi_si.static_storage), each URL worked out once per
process: the links must stay what WhiteNoise's storage gives, follow a new collectstatic, and a file
missing from the manifest must keep failing loudly rather than be remembered."""

from __future__ import annotations

import pytest
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from kpmi_si.static_storage import StaticFilesStorage


def _collect(tmp_path, source, storage) -> None:
    from django.contrib.staticfiles.finders import FileSystemFinder

    with override_settings(STATICFILES_DIRS=[source]):
        finder = FileSystemFinder()
        paths = {}
        for path, found_in in finder.list([]):
            if storage.exists(path):
                storage.delete(path)
            with found_in.open(path) as handle:
                storage.save(path, handle)
            paths[path] = (storage, path)
        list(storage.post_process(paths))


@override_settings(DEBUG=False)
def test_static_urls_are_whitenoises_and_follow_a_new_collectstatic(tmp_path):
    source = tmp_path / "source"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text("body { color: green; }")
    target = tmp_path / "static"
    storage = StaticFilesStorage(location=target, base_url="/static/")
    _collect(tmp_path, source, storage)
    plain = CompressedManifestStaticFilesStorage(location=target, base_url="/static/")
    first = storage.url("css/site.css")
    assert first == storage.url("css/site.css") == plain.url("css/site.css") != "/static/css/site.css"

    (source / "css" / "site.css").write_text("body { color: red; }")
    _collect(tmp_path, source, storage)
    renewed = CompressedManifestStaticFilesStorage(location=target, base_url="/static/")
    assert storage.url("css/site.css") == renewed.url("css/site.css") != first  # not the remembered one

    for _ in range(2):
        with pytest.raises(ValueError):
            storage.url("css/missing.css")
