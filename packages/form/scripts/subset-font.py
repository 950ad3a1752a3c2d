#!/usr/bin/python3
"""Build the SDK's embedded font from Liberation Sans 2.x (SIL OFL 1.1).

Why: the 14 standard PDF fonts cannot encode U+202F (the narrow no-break space
that Intl.NumberFormat('fr-FR') emits) nor many Latin names, and PDF/A needs
embedded fonts. We keep only the Latin repertoire a bordereau needs, and -
because "Liberation" is a Reserved Font Name under the OFL - the derivative is
renamed "S3404 Sans" as the licence requires.

Usage (Debian: apt-get install fonts-liberation2 python3-fonttools):
    /usr/bin/python3 packages/form/scripts/subset-font.py
Writes packages/form/assets/fonts/S3404Sans-{Regular,Bold}.ttf; then run
    node packages/form/scripts/embed-font.mjs
to regenerate src/pdf/internal/font-data.ts.
"""
import os
from fontTools import subset
from fontTools.ttLib import TTFont

SRC = "/usr/share/fonts/truetype/liberation2"
OUT = os.path.join(os.path.dirname(__file__), "..", "assets", "fonts")
# Basic Latin, Latin-1, Latin Extended-A/B, combining marks, Latin Extended
# Additional (Vietnamese names), general punctuation (incl. U+202F), euro sign,
# numero, trade mark, arrows used by the layout, replacement character.
UNICODES = "U+0020-007E,U+00A0-024F,U+0300-036F,U+1E00-1EFF,U+2000-206F,U+20AC,U+2116,U+2122,U+2190-2193,U+2212,U+FFFD"

for style in ("Regular", "Bold"):
    font = TTFont(os.path.join(SRC, f"LiberationSans-{style}.ttf"))
    opts = subset.Options()
    opts.layout_features = ["kern", "liga"]
    opts.name_IDs = ["*"]
    opts.hinting = False
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=subset.parse_unicodes(UNICODES))
    sub.subset(font)
    name = font["name"]
    family = "S3404 Sans"
    ps = f"S3404Sans-{style}"
    for rec in list(name.names):
        if rec.nameID in (1, 16):
            rec.string = family
        elif rec.nameID == 3:
            rec.string = f"{ps};derived from Liberation Sans 2.1.5"
        elif rec.nameID == 4:
            rec.string = f"{family} {style}" if style != "Regular" else family
        elif rec.nameID == 6:
            rec.string = ps
        elif rec.nameID == 5:
            rec.string = "Version 2.1.5 (subset for s3404)"
    font["head"].modified = font["head"].created  # deterministic output
    font.save(os.path.join(OUT, f"{ps}.ttf"))
    print(ps, os.path.getsize(os.path.join(OUT, f"{ps}.ttf")), "bytes")
