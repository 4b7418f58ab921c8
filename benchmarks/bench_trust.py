"""Trust benchmarks: the publish gate on a busy draft, importing and exporting signed events.

Keys are in memory here (the keyring round trip is measured once, separately, only when a
Secret Service is reachable), so the numbers are the ledger's and the gate's own cost.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from benchmarks.harness import Report


def run(report: Report) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="gl-bench-trust-"))
    os.environ.setdefault("GREENLIGHT_HOME", str(tmp / "home"))
    from desktop.review.findings import Finding, Severity
    from desktop.store import DraftStore
    from desktop.store.database import open_database
    from desktop.trust.events import public_key_text
    from desktop.trust.gate import check_publish
    from desktop.trust.ledger import Ledger
    from desktop.trust.roster import Member, pin_root, roster_payload
    from desktop.trust.workflow import approve, submit

    lead_key, writer_key = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    lead_pub, writer_pub = (public_key_text(k.public_key()) for k in (lead_key, writer_key))
    lead = Ledger(open_database(tmp / "lead.db"), key=lead_key)
    writer = Ledger(open_database(tmp / "writer.db"), key=writer_key)
    for ledger, name, pub in ((lead, "lead", lead_pub), (writer, "writer", writer_pub)):
        pin_root(ledger.db, lead_pub)
        ledger.db.execute(
            "INSERT INTO identity (id, name, public_key, keyring_service, keyring_user, created) "
            "VALUES (1, ?, ?, 'bench', 'bench', '2024-01-01T00:00:00Z')",
            [name, pub],
        )
    members = [Member("lead", lead_pub, 4), Member("writer", writer_pub, 1)]
    writer.import_event(lead.append("roster.signed", roster_payload("Bench", 1, members)).to_json())

    # 200 drafts, each submitted and approved: 600 writer events + 200 lead events.
    store = DraftStore(writer.db)
    drafts = [store.create(f"Post {i}: see you at the fair on Saturday.").id for i in range(200)]
    for d in drafts:
        submit(writer.db, d, ledger=writer)
    exported = tmp / "writer-out"
    writer.export_to(exported)
    lead.import_from(exported)
    for d in drafts:
        approve(lead.db, d, ledger=lead)
    lead_out = tmp / "lead-out"
    lead.export_to(lead_out)
    writer.import_from(lead_out)

    findings = [Finding("Brand.Tone", Severity.WARNING, "m", 0, 4, 1, 1, tags=("sensitive",))]
    report.measure(
        "gate: check_publish (800 events in ledger)",
        lambda: check_publish(writer.db, drafts[100], findings=findings),
        budget_ms=50,
    )
    n_events = len(lead.events())

    def fresh_import() -> None:
        ledger = Ledger(
            open_database(tmp / f"import-{os.urandom(4).hex()}.db"), key=Ed25519PrivateKey.generate()
        )
        pin_root(ledger.db, lead_pub)
        ledger.import_from(lead_out)
        ledger.import_from(exported)

    report.measure(f"import {n_events} event files into a new profile", fresh_import, runs=3, warmup=0)
    report.measure("export: re-export (all files exist already)", lambda: writer.export_to(exported), runs=10)
