import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { readFileSync } from 'node:fs';
const d = await getDocument({ data: new Uint8Array(readFileSync(process.argv[2])), verbosity: 0 }).promise;
const p = await d.getPage(1); const c = await p.getTextContent();
for (const it of c.items.slice(0, 12)) console.log(JSON.stringify(it.str), it.transform.map(x=>+x.toFixed(1)).join(','), 'h', it.height?.toFixed(1), it.hasEOL);
