"""Analysts' conversations: the turns of a chat, kept in SQLite so they survive reloads and restarts.

``conversations.turn`` is what a turn is, ``conversations.codec`` turns it into JSON and back,
``conversations.store`` keeps conversations per user. Nothing here knows about the UI.
"""
