"""Files whose bytes depend on their content only: the same case gives the same files.

openpyxl stamps a workbook's document properties and every zip entry with the current time, so
two runs of the same job would give different digests in manifest.json. ``repack`` fixes them.
"""

from __future__ import annotations

import io
import re
import zipfile

__all__ = ["FIXED_STAMP", "ZIP_EPOCH", "fixed_entry", "repack"]

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The time every zip entry is given: the earliest a zip can hold."""
FIXED_STAMP = "2016-04-12T09:30:00Z"
"""The date a workbook's document properties say it was created and modified."""


def fixed_entry(name: str) -> zipfile.ZipInfo:
    """A deflated zip entry whose header depends on ``name`` only: fixed time, permissions and
    system, wherever it is written."""
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    info.create_system = 3
    return info


def repack(archive: bytes) -> bytes:
    """The same zip archive with every entry's time fixed and entries in a stable order.

    openpyxl stamps the document properties and every zip entry with the current time; the
    properties are overwritten here too, so two runs give identical files.
    """
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":
                data = _fixed_core_properties(data)
            target.writestr(fixed_entry(name), data)
    return out.getvalue()


def _fixed_core_properties(xml: bytes) -> bytes:
    stamp = FIXED_STAMP.encode()
    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2", xml
    )
