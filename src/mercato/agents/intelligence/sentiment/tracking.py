"""The sentiment part's place in the model registry: its task ("sentiment", scored by
macro-F1, higher is better), and each analysed review recorded as a prediction whose actual
is the sentiment its star rating states (known at once), so the registry's scheduled
evaluation can measure the served model on the store's own reviews and raise drift alerts.

Retraining through the registry is not offered: the served model is the file shipped in
assets/ (retrained by `mercato intel sentiment-train`), the same for every store."""

from __future__ import annotations

from datetime import datetime

from mercato.agents.intelligence.registry import service as registry
from mercato.agents.intelligence.registry.metrics import label_of_rating
from mercato.agents.intelligence.registry.tasks import TaskSpec, register
from mercato.kernel.db import UnitOfWork

TASK = "sentiment"

register(
    TaskSpec(
        task=TASK,
        name="mercato-sentiment",
        metric="macro_f1",
        direction="higher",
        initial_params={"model": "mercato-sentiment", "weights": "assets/model.json"},
    )
)


async def track(uow: UnitOfWork, *, review_id: str, label: str, rating: int, now: datetime) -> None:
    """Record the review's predicted label against its rating's (a re-analysed review
    replaces its prediction)."""
    await registry.record_prediction(
        uow, task=TASK, subject=review_id, now=now, predicted_label=label,
        actual_label=label_of_rating(rating),
    )  # fmt: skip
