"""The application's verbs: curate, import, export, link the views, notes, versions, store safety.
Each controller receives what it uses (the workspace, the event channel, the selection, a message
sink, the widgets it drives), never the main window."""
