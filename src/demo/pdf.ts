// A minimal PDF writer (one Helvetica font, lines of text, 45 lines a page; an empty line leaves a gap, which
// starts a paragraph). The demo site serves PDFs made
// with it, and tests use it too, so no binary fixture has to be kept in the repository.

function escapePdfText(text: string): string {
  return text.replace(/[\\()]/g, match => `\\${match}`).replace(/[^\x20-\x7e]/g, '?');
}

export function makePdf(lines: readonly string[]): Buffer {
  const pages: string[][] = [];
  for (let start = 0; start < Math.max(lines.length, 1); start += 45) pages.push(lines.slice(start, start + 45));
  const objects: string[] = [];
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  const kids: string[] = [];
  let next = 4;
  for (const pageLines of pages) {
    const pageNumber = next++;
    const contentNumber = next++;
    kids.push(`${pageNumber} 0 R`);
    const operations = ['BT', '/F1 11 Tf', '14 TL', '56 780 Td', ...pageLines.map(line => `(${escapePdfText(line)}) Tj T*`), 'ET'];
    const stream = operations.join('\n');
    objects[contentNumber] = `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`;
    objects[pageNumber] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentNumber} 0 R >>`;
  }
  objects[2] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${kids.length} >>`;
  let output = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let number = 1; number < objects.length; number++) {
    offsets[number] = Buffer.byteLength(output, 'latin1');
    output += `${number} 0 obj\n${objects[number] ?? ''}\nendobj\n`;
  }
  const xref = Buffer.byteLength(output, 'latin1');
  output += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let number = 1; number < objects.length; number++) output += `${String(offsets[number]).padStart(10, '0')} 00000 n \n`;
  output += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(output, 'latin1');
}
