"""The shipping documents Mercato prints as PDF: 4x6 labels, packing slips and the day's
manifest for a carrier's driver."""

from __future__ import annotations

from mercato.agents.shipping.documents.label import LabelData, render_label, render_labels
from mercato.agents.shipping.documents.manifest import ManifestData, ManifestRow, render_manifest
from mercato.agents.shipping.documents.packing_slip import (
    PackingSlipData,
    PackingSlipLine,
    render_packing_slip,
)

__all__ = [
    "LabelData",
    "ManifestData",
    "ManifestRow",
    "PackingSlipData",
    "PackingSlipLine",
    "render_label",
    "render_labels",
    "render_manifest",
    "render_packing_slip",
]
