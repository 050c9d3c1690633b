// OTA's authoring rules for service IDs (OTA-FORMAT §1.3): validation warns, tracking accepts any ID.
import type { DeclarationWarning } from '../declarations/index.js';

/** The ASCII form OTA recommends: accents dropped (NFD minus combining marks), `/ \ :` turned into `-`. */
export function suggestedServiceId(id: string): string {
  return id
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[/\\:]/g, '-');
}

/** Warnings for the IDs among `checked`, against every ID of the collection (`all`) for collisions. */
export function serviceIdWarnings(checked: readonly string[], all: readonly string[], fileOf: (id: string) => string): DeclarationWarning[] {
  const warnings: DeclarationWarning[] = [];
  for (const id of checked) {
    const file = fileOf(id);
    if (/[^\x20-\x7e]/.test(id)) {
      const suggestion = suggestedServiceId(id);
      warnings.push({
        file,
        path: '',
        message: /[^\x20-\x7e]/.test(suggestion)
          ? `the service ID "${id}" is not ASCII; OTA's rule asks for an ASCII transliteration of the name`
          : `the service ID "${id}" is not ASCII; OTA's rule would name the file "${suggestion}.json"`,
      });
    } else if (/[\\:]/.test(id)) {
      warnings.push({ file, path: '', message: `the service ID "${id}" contains \\ or :, which OTA's rule turns into -: "${suggestedServiceId(id)}"` });
    }
    if (id.length > 255) warnings.push({ file, path: '', message: `the service ID is ${id.length} characters long (at most 255)` });
    const twins = all.filter(other => other !== id && other.toLowerCase() === id.toLowerCase());
    if (twins.length > 0) {
      warnings.push({
        file,
        path: '',
        message: `the service ID differs from ${twins.map(twin => `"${twin}"`).join(', ')} only by case: they collide on case-insensitive file systems`,
      });
    }
  }
  return warnings;
}
