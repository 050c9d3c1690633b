import { describe, expect, it } from 'vitest';

import { entryTitle } from '../../../src/publish/atom.js';
import { checkAtomFeed } from '../../helpers/atom-checks.js';

describe('feed entry titles', () => {
  it('rename OTA\'s older subjects as OTA\'s feeds do, and keep today\'s as they are', () => {
    expect(entryTitle('Start tracking Acme Terms of Service')).toBe('First record of Acme Terms of Service');
    expect(entryTitle('Update Acme Terms of Service')).toBe('Record new changes of Acme Terms of Service');
    expect(entryTitle('Refilter Acme Terms of Service')).toBe('Apply technical or declaration upgrade on Acme Terms of Service');
    expect(entryTitle('Record new changes of Update Inc. Terms of Service')).toBe('Record new changes of Update Inc. Terms of Service');
    expect(entryTitle('First record of Acme Privacy Policy')).toBe('First record of Acme Privacy Policy');
  });
});

describe('the feed checks of the tests (RFC 4287 MUSTs, two parsers)', () => {
  const valid = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Demo</title>
  <id>tag:opentermsarchive.org,2026:feed:demo</id>
  <updated>2026-01-01T00:00:00.000Z</updated>
  <link rel="self" type="application/atom+xml" href="https://example.org/feed.xml"/>
  <author><name>Engine</name></author>
  <entry>
    <id>tag:opentermsarchive.org,2026:version:demo:git:abc</id>
    <link rel="alternate" type="text/html" href="https://example.org/changes/a.html"/>
    <title>Change</title>
    <updated>2026-01-01T00:00:00.000Z</updated>
    <content type="html">&lt;p&gt;text&lt;/p&gt;</content>
  </entry>
</feed>`;

  it('accept a valid feed, and refuse each broken MUST with its reason', () => {
    expect(checkAtomFeed(valid).entries).toHaveLength(1);
    const broken: [string, string, RegExp][] = [
      ['<id>tag:opentermsarchive.org,2026:feed:demo</id>', '<id>tag:opentermsarchive.org,2026:feed:demo:Terms of Service</id>', /not a valid tag URI/],
      ['<updated>2026-01-01T00:00:00.000Z</updated>\n  <link', '<link', /has 0 atom:updated/],
      ['<author><name>Engine</name></author>', '', /no atom:author/],
      ['<content type="html">&lt;p&gt;text&lt;/p&gt;</content>', '<content type="html"><p>text</p></content>', /must be escaped text/],
      ['<title>Change</title>', '<title>Change</title><title>Again</title>', /has 2 atom:title/],
      ['href="https://example.org/changes/a.html"/>', 'href="https://example.org/changes/a.html"/><link rel="alternate" type="text/html" href="https://example.org/b.html"/>', /two alternate links/],
      ['<updated>2026-01-01T00:00:00.000Z</updated>\n    <content', '<updated>1 January 2026</updated>\n    <content', /not an RFC 3339 date-time/],
    ];
    for (const [from, to, reason] of broken) expect(() => checkAtomFeed(valid.replace(from, to))).toThrow(reason);
  });
});
