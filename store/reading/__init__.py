"""Reading a document as a careful reader would: its own facts (facts), document datasets (datasets),
citation editing (citation), and what each stated figure means (h6's meaning modules).

Nothing here changes a document's text: anchors count its code points, so only the citation
fields and the figures' meaning are filled in. No Qt.
"""
