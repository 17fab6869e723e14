#!/usr/bin/env python3
"""Where a letters run's CPU goes, by phase of the pipeline (issue 15), from a JFR recording:
   jfr print --events jdk.ExecutionSample --stack-depth 96 FILE.jfr | python3 bench/tools/jfr-phases.py
A sample's phase is the outermost pipeline step on its stack; inside layout, CSS and parsing are
told apart by the innermost frame."""
import re, sys, collections
PHASES = [  # checked root first (outermost wins)
    ("merge of chunks (ChunkConcatenator)", "fr.publipostage.letters.ChunkConcatenator."),
    ("database cursor (JDBC, MyBatis)", "org.apache.ibatis."),
    ("Velocity (letters' XHTML)", "org.apache.velocity."),
    ("document build: XHTML parse", "com.openhtmltopdf.pdfboxout.PdfRendererBuilder.buildPdfRenderer"),
    ("layout", "com.openhtmltopdf.pdfboxout.PdfBoxRenderer.layout"),
    ("drawing (incl. tagging)", "com.openhtmltopdf.pdfboxout.PdfBoxRenderer.createPDFWithoutClosing"),
    ("chunk save: font subsetting", "org.apache.pdfbox.pdmodel.PDDocument.save"),
]
def leaf_kind(stack):
    for f in stack:
        if f.startswith("com.openhtmltopdf.css") or f.startswith("com.openhtmltopdf.context.StyleReference"): return "CSS"
        if f.startswith(("com.openhtmltopdf.resource.XMLResource", "com.sun.org.apache.xerces", "javax.xml")): return "parse"
        if f.startswith("com.openhtmltopdf.pdfboxout.PdfBoxAccessibilityHelper"): return "tagging"
        if f.startswith("com.google.zxing"): return "QR"
        if f.startswith(("org.apache.fontbox.ttf.TTFSubsetter", "org.apache.pdfbox.pdmodel.font")): return "fonts"
        if f.startswith("org.apache.pdfbox.pdfwriter"): return "writer"
    return ""
counts = collections.Counter(); total = 0; stack = []
def flush():
    global total
    if not stack: return
    total += 1
    root_first = list(reversed(stack))
    for name, marker in PHASES:
        if any(f.startswith(marker) for f in root_first):
            kind = leaf_kind(stack)
            if name == "layout" and kind in ("CSS", "parse"): name = "layout: CSS cascade" if kind == "CSS" else "layout: XHTML parse"
            elif name == "drawing (incl. tagging)" and kind in ("tagging", "QR"): name = "drawing: " + ("tagging" if kind == "tagging" else "QR code")
            elif name.startswith("chunk save"): name = "chunk save: font subsetting" if kind == "fonts" else "chunk save: writing objects"
            counts[name] += 1; return
    counts["other (GC-free JDK, engine's own, threads)"] += 1
for line in sys.stdin:
    if line.startswith("jdk.ExecutionSample"):
        flush(); stack = []
    else:
        m = re.match(r"\s+([\w.$]+)\(", line)
        if m: stack.append(m.group(1))
flush()
print("| phase | share of CPU samples |\n|---|---|")
for cat, n in counts.most_common():
    print(f"| {cat} | {100 * n / total:.1f} % |")
print(f"| (samples) | {total} |")
