// Decoding of text responses (OTA-FORMAT §5.4): the Content-Type charset, else the first 1024 bytes'
// <meta charset>, <meta http-equiv> or <?xml encoding?>, else UTF-8; with iconv-lite, BOM stripped.
import iconv from 'iconv-lite';

const ALIASES: Readonly<Record<string, string>> = { gb2312: 'gb18030', gbk: 'gb18030' };

const META_CHARSET = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i;
const XML_ENCODING = /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)["']/i;

export function charsetOf(contentType: string, bytes: Uint8Array): string {
  const fromHeader = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1];
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  const fromBody = META_CHARSET.exec(head)?.[1] ?? XML_ENCODING.exec(head)?.[1];
  const name = (fromHeader ?? fromBody ?? 'utf-8').toLowerCase();
  const charset = ALIASES[name] ?? name;
  return iconv.encodingExists(charset) ? charset : 'utf-8';
}

export function decodeText(contentType: string, bytes: Uint8Array): string {
  return iconv.decode(Buffer.from(bytes), charsetOf(contentType, bytes));
}
