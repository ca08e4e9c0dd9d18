"""Live Markdown preview for the back office's Markdown fields (``static/markdown-preview.js``).

The text is rendered by the publisher's own Markdown converter and sanitizer
(``publisher.markup.render_markdown``), so what staff see while typing is what the public
page will show, and a ``<script>`` or a ``javascript:`` link typed into a field is removed
here exactly as it is on publication. CSRF-protected like every POST.
"""

from __future__ import annotations

from flask import jsonify, request

from sunshine.publisher.markup import render_markdown

from . import bp

#: Longest text previewed (a notice body is rarely a tenth of this).
MAX_CHARS = 50_000


@bp.post("/markdown-preview")
def markdown_preview():
    text = request.form.get("text", "")[:MAX_CHARS]
    response = jsonify(html=str(render_markdown(text)))
    response.headers["Cache-Control"] = "no-store"
    return response
