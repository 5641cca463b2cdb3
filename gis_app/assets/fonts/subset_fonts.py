"""Rebuild the shipped sheet fonts from matplotlib's DejaVu Sans (run by hand, not at run time).

The sheets need Latin and Vietnamese letters, a few symbols (° ′ ″ – γ ©) and digits. DejaVu
Sans has them all but is 750 kB; every PDF embeds a subset, and cutting the font down first
makes that subsetting about ten times faster (it dominated the time to write a sheet). The
subset is renamed "KCN Sheet Sans" so that matplotlib can never confuse it with a DejaVu Sans
installed on the system; the Bitstream Vera/DejaVu licence (LICENSE_DEJAVU) allows modified
copies under a name without "Bitstream" or "Vera".

Usage: ``python gis_app/assets/fonts/subset_fonts.py``
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
from fontTools import subset
from fontTools.ttLib import TTFont

FAMILY = "KCN Sheet Sans"
HERE = Path(__file__).resolve().parent

#: Basic Latin, Latin-1, Latin Extended-A/B, combining marks, γ (grid convergence), Latin Extended
#: Additional (Vietnamese), general punctuation, superscripts, currency and letterlike signs,
#: arrows, math operators (minus), geometric shapes.
UNICODES = (
    list(range(0x20, 0x7F)) + list(range(0xA0, 0x250)) + list(range(0x300, 0x370))
    + [0x3B3] + list(range(0x1E00, 0x1F00)) + list(range(0x2000, 0x2070))
    + list(range(0x2070, 0x20D0)) + list(range(0x2100, 0x2200)) + list(range(0x2190, 0x2200))
    + [0x2212, 0x2248, 0x2264, 0x2265, 0x25A0, 0x25CF]
)


def build(source: str, target: str, style: str) -> None:
    font = TTFont(Path(mpl.get_data_path()) / "fonts" / "ttf" / source)
    options = subset.Options()
    # Vietnamese is written with precomposed letters (NFC) and matplotlib lays text out without
    # OpenType features, so GSUB/GPOS/GDEF are dropped; hinting is irrelevant in a PDF.
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "FFTM", "MATH"]
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    names = font["name"]
    full = f"{FAMILY} {style}" if style != "Regular" else FAMILY
    for record in names.names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = full
        elif record.nameID == 6:
            record.string = full.replace(" ", "")
        elif record.nameID == 3:
            record.string = f"{full}; subset of DejaVu Sans for KCN-GIS"
    font.save(HERE / target)


if __name__ == "__main__":
    build("DejaVuSans.ttf", "KCNSheetSans.ttf", "Regular")
    build("DejaVuSans-Bold.ttf", "KCNSheetSans-Bold.ttf", "Bold")
