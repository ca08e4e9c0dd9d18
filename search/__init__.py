"""Search for Sunshine: Chinese analysis, the back-office Whoosh index and the static index step.

Import the submodules directly (``sunshine.search.index``, ``sunshine.search.static_index``);
this package never imports Flask or the models, and importing it loads neither jieba nor Whoosh.
"""
