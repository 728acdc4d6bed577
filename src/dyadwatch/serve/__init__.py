"""Show: ``dyadwatch watch`` (scheduled acquire -> code -> store -> analyse, alerts) and the local web app
(``dyadwatch serve``). See docs/live.md."""
