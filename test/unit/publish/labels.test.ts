// A corpus of real-looking changes per label: each is labelled by the rule the label documents.
import { describe, expect, it } from 'vitest';

import { type ChangeLabel, labelChange } from '../../../src/publish/index.js';

const TERMS = `Terms of Service
================

Last updated: January 5, 2024

## 1. Your account

You must be 16 or older to use the service. See our [Privacy Policy](https://example.com/privacy).

## 2. Payments

* Fees are due monthly.
* Refunds are given within **14 days**.
`;

const CORPUS: readonly { name: string; after: string; label: ChangeLabel }[] = [
  { name: 'list markers', after: TERMS.replace('* Fees are due monthly.\n* Refunds', '- Fees are due monthly.\n- Refunds'), label: 'formatting-only' },
  { name: 'emphasis', after: TERMS.replace('**14 days**', '14 days'), label: 'formatting-only' },
  { name: 'line wrapping and blank lines', after: TERMS.replace('You must be 16 or older to use the service.', 'You must be 16 or older\nto use the service.\n'), label: 'formatting-only' },
  { name: 'heading style', after: TERMS.replace('## 2. Payments', '### 2. Payments'), label: 'formatting-only' },
  { name: 'a link target', after: TERMS.replace('https://example.com/privacy', 'https://example.com/legal/privacy?lang=en'), label: 'links-only' },
  { name: 'the "last updated" date', after: TERMS.replace('January 5, 2024', 'March 12, 2025'), label: 'dates-only' },
  { name: 'an ISO date', after: TERMS.replace('January 5, 2024', '2025-03-12'), label: 'dates-only' },
  { name: 'a day-first date', after: TERMS.replace('January 5, 2024', '12 March 2025'), label: 'dates-only' },
  { name: 'an age limit', after: TERMS.replace('16 or older', '18 or older'), label: 'substantive' },
  { name: 'a refund period', after: TERMS.replace('**14 days**', '**7 days**'), label: 'substantive' },
  { name: 'a new clause', after: `${TERMS}\n## 3. Arbitration\n\nDisputes go to binding arbitration.\n`, label: 'substantive' },
  { name: 'a link text', after: TERMS.replace('[Privacy Policy]', '[Data Policy]'), label: 'substantive' },
  { name: 'a date and a clause together', after: TERMS.replace('January 5, 2024', 'March 12, 2025').replace('monthly', 'weekly'), label: 'substantive' },
];

describe('change labels', () => {
  it.each(CORPUS)('$name → $label', ({ after, label }) => {
    const labelled = labelChange('change', TERMS, after);
    expect(labelled.label).toBe(label);
    expect(labelled.reason.length).toBeGreaterThan(20);
  });

  it('labels first records and technical upgrades from the commit, whatever the text', () => {
    expect(labelChange('first', '', TERMS).label).toBe('first-record');
    expect(labelChange('upgrade', TERMS, TERMS.replace('16', '18')).label).toBe('technical-upgrade');
  });
});
