"""The main window: builds the views, docks and menus, hands each controller what it uses, and fits
the layout to the screen. Also the offscreen screenshot used for docs/ and the tests."""
