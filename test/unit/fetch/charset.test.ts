import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';

import { charsetOf, decodeText } from '../../../src/fetch/charset.js';

describe('charset detection', () => {
  it('prefers the Content-Type charset, then <meta charset>, then http-equiv, then the XML declaration', () => {
    const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));
    expect(charsetOf('text/html; charset=ISO-8859-1', bytes('<meta charset="utf-8">'))).toBe('iso-8859-1');
    expect(charsetOf('text/html', bytes('<meta charset="windows-1251">'))).toBe('windows-1251');
    expect(charsetOf('text/html', bytes('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'))).toBe('koi8-r');
    expect(charsetOf('text/xml', bytes('<?xml version="1.0" encoding="Shift_JIS"?>'))).toBe('shift_jis');
    expect(charsetOf('text/html', bytes('<p>nothing</p>'))).toBe('utf-8');
    expect(charsetOf('text/html; charset=gb2312', bytes(''))).toBe('gb18030');
    expect(charsetOf('text/html; charset=no-such-charset', bytes(''))).toBe('utf-8');
  });

  it('decodes windows-1251 declared only in a meta tag, and strips a UTF-8 BOM', () => {
    const page = '<html><head><meta charset="windows-1251"></head><body>Условия использования</body></html>';
    expect(decodeText('text/html', iconv.encode(page, 'windows-1251'))).toBe(page);
    expect(decodeText('text/html', new Uint8Array(Buffer.from('\ufeffhello', 'utf8')))).toBe('hello');
  });
});
