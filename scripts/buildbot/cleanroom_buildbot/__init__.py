"""cleanroom plans on buildbot: `master.py` configures a master (it needs
buildbot), `cli.py` is what workers run around each node's command, `store.py`
the artifact store they share, `plan.py` the plan they all read."""
