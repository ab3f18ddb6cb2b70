"""What the user looks at: the table, tree, document, charts, pivot, conflicts, notes, sources and
facets, with their Qt models. A view reads what it is given and emits what the user did; it never
writes to the store (controllers do) and never imports a controller or the window."""
