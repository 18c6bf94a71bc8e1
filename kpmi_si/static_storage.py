"""The static files storage of production (DEBUG off): WhiteNoise's compressed manifest storage, with
each file's URL worked out once per process. Every page links the same few files ({% static %} in
base.html: stylesheets, scripts, icons), and each tag looked the name up in the manifest, split,
quoted and joined the URL again (README, Benchmark, issue #16). The manifest does not change while a
process runs, except when collectstatic writes a new one, which starts over."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name: str, force: bool = False) -> str:
        from django.conf import settings

        if settings.DEBUG:  # unhashed names while debugging (Django's rule), nothing kept
            return super().url(name, force)
        try:
            return self._urls[name, force]
        except KeyError:
            # A name missing from the manifest raises (manifest_strict), and is not kept.
            url = self._urls[name, force] = super().url(name, force)
            return url

    def post_process(self, *args: Any, **kwargs: Any) -> Any:
        self._urls = {}  # collectstatic hashes the files anew: forget what the old manifest said
        yield from super().post_process(*args, **kwargs)
        self._urls = {}
