#!/usr/bin/env python3
"""Reuters-21578 SGML files to JSON Lines the dashboard imports (title, text, date, source), for the README's screenshot.

Reads ../shared/data/reuters21578-dev (research use; cite "Reuters-21578, Distribution 1.0"); writes to stdout.
"""
import html
import json
import re
import sys
from datetime import datetime
from pathlib import Path

folder = Path(sys.argv[1])
story = re.compile(r"<REUTERS.*?</REUTERS>", re.S)
field = lambda name, text: (m := re.search(rf"<{name}>(.*?)</{name}>", text, re.S)) and html.unescape(m.group(1)).strip()
for path in sorted(folder.glob("*.sgm")):
    for block in story.findall(path.read_text(encoding="latin-1")):
        title, body, date = field("TITLE", block), field("BODY", block), field("DATE", block)
        if not (title and body and date):
            continue
        day = datetime.strptime(date.split()[0], "%d-%b-%Y").strftime("%Y-%m-%d")
        # Newswire titles are in capitals; the dashboard reads them better as sentences.
        title = title.capitalize() if title.isupper() else title
        body = re.sub(r"\s*Reuter\s*$", "", body.replace("\x03", "")).strip()
        print(json.dumps({"title": title, "text": body, "date": day, "source": "Reuters"}, ensure_ascii=False))
