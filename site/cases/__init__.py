"""办件: service cases received from the approval system (domain rules, import, queries).

``lifecycle`` holds the rules every way in (back office, import, API) goes
through; nothing here knows about HTTP.
"""
