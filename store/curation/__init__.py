"""Changing what the store holds, one undoable action at a time: history (actions, undo, the
`Changes` a write returns), figures and their review (figures), annotations, documents and their
citations, importing documents, re-anchoring to a new version, the anchors' provenance, and the
version checks that refuse a stale edit (stale).
"""
