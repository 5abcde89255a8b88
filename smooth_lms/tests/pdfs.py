"""PDFs read back as text, the way an auditor's tools read them (poppler's pdftotext).

wkhtmltopdf sets text with the font's ligatures, so "ff", "fi" or "fl" in a title or a certificate's code
come back as one character (U+FB00…): the text is normalised (NFKC) to the letters that were printed."""

import subprocess
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def pdf_file(content: bytes) -> Iterator[str]:
	"""The PDF's bytes in a temporary file, for poppler's tools; removed afterwards."""
	with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
		pdf.write(content)
		pdf.flush()
		yield pdf.name


def pdf_text(content: bytes, layout: bool = False) -> str:
	"""The PDF's text (with `layout`, a table's row on one line), ligatures read as their letters."""
	with pdf_file(content) as path:
		return text_of(path, layout)


def text_of(path: str, layout: bool = False) -> str:
	command = ["pdftotext", *(["-layout"] if layout else []), path, "-"]
	text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
	return unicodedata.normalize("NFKC", text)
