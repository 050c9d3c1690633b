// The validation report as people read it: errors first with their hints, then each terms' live checks.
import { plural } from '../plural.js';
import type { DocumentCheck, ValidationReport } from './validate.js';

const MAX_UNSTABLE_LINES = 6;

function location(file: string, path: string): string {
  return path ? `${file} › ${path}` : file;
}

function describeDocument(document: DocumentCheck): string {
  const parts: string[] = [];
  if (document.characters !== undefined) parts.push(`${document.characters.toLocaleString('en')} characters`);
  for (const match of document.selectors) parts.push(`${match.role} ${match.selector}: ${match.matches}`);
  if (document.skip?.matched === undefined && document.skip) parts.push(`skip rules: ${String(document.skip.rules)}, none matches`);
  return parts.join('; ');
}

export function formatReport(report: ValidationReport): string {
  const lines: string[] = [];
  for (const finding of report.findings) {
    lines.push(`${finding.severity === 'error' ? '✗ error' : '! warning'}  ${location(finding.file, finding.path)}: ${finding.message}`);
    if (finding.hint) lines.push(`    hint: ${finding.hint}`);
  }
  for (const terms of report.terms) {
    const failed = terms.documents.some(document => document.errors.length > 0);
    lines.push(`${failed ? '✗' : '✓'} ${terms.serviceId} · ${terms.termsType}`);
    for (const document of terms.documents) {
      lines.push(`    ${document.location}  (${describeDocument(document)})`);
      for (const error of document.errors) lines.push(`      ✗ ${error}`);
      for (const warning of document.warnings) lines.push(`      ! ${warning}`);
      if (document.unstable) {
        for (const line of document.unstable.first.slice(0, MAX_UNSTABLE_LINES)) lines.push(`        - ${line}`);
        for (const line of document.unstable.second.slice(0, MAX_UNSTABLE_LINES)) lines.push(`        + ${line}`);
      }
    }
  }
  const checked = report.terms.length > 0 ? `, ${report.terms.length} terms fetched` : '';
  lines.push(`${plural(report.services, 'service')} checked${checked}: ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}`);
  return lines.join('\n');
}
