"""Modal and non-modal dialogs: add or edit a figure, a document, a citation; export choices;
history; help. A dialog returns what the user chose; the controller that opened it does the write."""
