"""Tables of the UN ideal-point estimates (derived from ``un_votes`` and ``un_roll_calls``).

``un_ideal_points`` holds one estimate per state and UN General Assembly
session from the last fit; ``un_ideal_point_fits`` says what that fit read
(a fingerprint of the vote tables), with which priors, how long it took and
whether it converged. ``dyadwatch idealpoints`` refits when the fingerprint
no longer matches the stored votes (analysis/idealpoints.py). Neither table
is filled by a reader: ingest never writes them.
"""

from __future__ import annotations

from dyadwatch.store.schema import TableSpec, register_table

UN_IDEAL_POINTS = register_table(TableSpec(
    name="un_ideal_points",
    columns=(
        ("iso3", "VARCHAR"),
        ("session", "INTEGER"),        # UNGA session (1 = 1946)
        ("year", "INTEGER"),           # 1945 + session: the calendar year the session opened
        ("ideal_point", "DOUBLE"),     # posterior mode, US-positive orientation
        ("sd", "DOUBLE"),              # Laplace posterior sd
        ("lo", "DOUBLE"),              # 95 % interval, lower end
        ("hi", "DOUBLE"),              # 95 % interval, upper end
        ("n_votes", "INTEGER"),        # yes/abstain/no votes the state cast in the session
        ("fit_id", "INTEGER"),
    ),
    key=("iso3", "session"),
    doc="one state's UN General Assembly ideal point in one session (Bailey, Strezhnev & Voeten 2017 model)",
    with_batch=False,
))

UN_IDEAL_POINT_FITS = register_table(TableSpec(
    name="un_ideal_point_fits",
    columns=(
        ("fit_id", "INTEGER"),
        ("fitted_at", "TIMESTAMP"),
        ("fingerprint", "VARCHAR"),    # vote and roll-call counts and last batches, model version
        ("n_votes", "BIGINT"),
        ("n_roll_calls", "INTEGER"),
        ("n_items", "INTEGER"),        # roll calls after bridging identical resolutions
        ("n_bridged", "INTEGER"),      # roll calls that share an item with another session's
        ("priors", "VARCHAR"),         # JSON
        ("iterations", "INTEGER"),
        ("converged", "BOOLEAN"),
        ("seconds", "DOUBLE"),
        ("log_posterior", "DOUBLE"),
    ),
    key=("fit_id",),
    doc="one ideal-point fit: what it read, its priors, how it converged",
    with_batch=False,
))
