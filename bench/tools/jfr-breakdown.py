#!/usr/bin/env python3
"""Where a letters run's CPU goes, from a JFR recording (issue 15):
   jfr print --events jdk.ExecutionSample --stack-depth 64 FILE.jfr | python3 bench/tools/jfr-breakdown.py
Each sample is put in the category of the innermost frame that matches one (leaf first)."""
import re, sys, collections
CATS = [  # (category, frame prefix); checked leaf first, first match wins
    ("font subsetting", ("org.apache.fontbox.ttf.TTFSubsetter", "org.apache.pdfbox.pdmodel.font.TrueTypeEmbedder.subset",
                         "org.apache.pdfbox.pdmodel.font.PDCIDFontType2Embedder")),
    ("QR code (ZXing)", ("com.google.zxing",)),
    ("merge (ChunkConcatenator)", ("fr.publipostage.letters.ChunkConcatenator",)),
    ("PDF writing of chunks (COSWriter)", ("org.apache.pdfbox.pdfwriter",)),
    ("tagging (PDF/UA structure tree)", ("com.openhtmltopdf.pdfboxout.PdfBoxAccessibilityHelper",)),
    ("Velocity", ("org.apache.velocity",)),
    ("database cursor (JDBC, MyBatis)", ("org.postgresql", "org.apache.ibatis", "com.zaxxer")),
    ("XHTML parse", ("com.openhtmltopdf.resource.XMLResource", "com.sun.org.apache.xerces", "javax.xml", "org.jsoup")),
    ("CSS cascade and style", ("com.openhtmltopdf.css", "com.openhtmltopdf.context.StyleReference")),
    ("drawing (output device, text show)", ("com.openhtmltopdf.pdfboxout.PdfBoxFastOutputDevice", "com.openhtmltopdf.pdfboxout.PdfBoxFastLinkManager",
                                             "com.openhtmltopdf.render.displaylist", "com.openhtmltopdf.pdfboxout.PdfBoxTextRenderer",
                                             "org.apache.pdfbox.pdmodel.PDPageContentStream", "com.openhtmltopdf.render.PageBox.paint",
                                             "com.openhtmltopdf.render.AbstractOutputDevice", "com.openhtmltopdf.render.simplepainter")),
    ("layout (boxes, tables, line breaking)", ("com.openhtmltopdf.layout", "com.openhtmltopdf.render", "com.openhtmltopdf.newtable",
                                                "com.openhtmltopdf.pdfboxout.PdfBoxFontResolver", "com.ibm.icu", "java.text.BreakIterator")),
    ("PDFBox other (fonts, COS)", ("org.apache.pdfbox", "org.apache.fontbox")),
    ("OpenHTMLtoPDF other", ("com.openhtmltopdf",)),
    ("letters engine (own code)", ("fr.publipostage",)),
]
counts = collections.Counter(); total = 0; stack = []
def flush():
    global total
    if not stack: return
    total += 1
    for frame in stack:
        for cat, prefixes in CATS:
            if frame.startswith(prefixes):
                counts[cat] += 1; return
    counts["JDK / other"] += 1
for line in sys.stdin:
    if line.startswith("jdk.ExecutionSample"):
        flush(); stack = []
    else:
        m = re.match(r"\s+([\w.$]+)\(", line)
        if m and "stackTrace" not in line: stack.append(m.group(1))
flush()
print(f"| where | share of CPU samples |\n|---|---|")
for cat, n in counts.most_common():
    print(f"| {cat} | {100 * n / total:.1f} % |")
print(f"| (samples) | {total} |")
