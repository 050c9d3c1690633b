import { describe, expect, it } from 'vitest';

import { entryTitle } from '../../../src/publish/atom.js';

describe('feed entry titles', () => {
  it('rename OTA\'s older subjects as OTA\'s feeds do, and keep today\'s as they are', () => {
    expect(entryTitle('Start tracking Acme Terms of Service')).toBe('First record of Acme Terms of Service');
    expect(entryTitle('Update Acme Terms of Service')).toBe('Record new changes of Acme Terms of Service');
    expect(entryTitle('Refilter Acme Terms of Service')).toBe('Apply technical or declaration upgrade on Acme Terms of Service');
    expect(entryTitle('Record new changes of Update Inc. Terms of Service')).toBe('Record new changes of Update Inc. Terms of Service');
    expect(entryTitle('First record of Acme Privacy Policy')).toBe('First record of Acme Privacy Policy');
  });
});
