// Texts that a page serves instead of its terms: bot and captcha walls, login and cookie walls, maintenance and
// error pages served with 200, placeholders. They are matched only on short texts that the latest version does not
// contain too (a privacy policy may well speak of cookies and captchas; a wall is a few lines).

export interface WallPattern {
  readonly kind: 'bot wall' | 'login wall' | 'cookie wall' | 'maintenance page' | 'error page' | 'placeholder';
  readonly pattern: RegExp;
}

export const WALL_PATTERNS: readonly WallPattern[] = [
  { kind: 'bot wall', pattern: /\bcaptcha\b/i },
  { kind: 'bot wall', pattern: /\bverify(ing)? (that )?you are (a )?(human|not a robot)\b/i },
  { kind: 'bot wall', pattern: /\bare you a (robot|human)\b/i },
  { kind: 'bot wall', pattern: /\bchecking (your browser|if the site connection is secure)\b/i },
  { kind: 'bot wall', pattern: /\bunusual traffic\b/i },
  { kind: 'bot wall', pattern: /\battention required\b/i },
  { kind: 'bot wall', pattern: /\bjust a moment\.\.\./i },
  { kind: 'bot wall', pattern: /\baccess (to this page (has been|is) )?denied\b/i },
  { kind: 'bot wall', pattern: /\b(your )?request (has been|was) blocked\b/i },
  { kind: 'bot wall', pattern: /\benable (javascript|cookies)( and (javascript|cookies))? to continue\b/i },
  { kind: 'login wall', pattern: /\b(please )?(sign|log) ?in to (continue|view|access|see)\b/i },
  { kind: 'login wall', pattern: /\byou (must|need to) be (signed|logged) ?in\b/i },
  { kind: 'cookie wall', pattern: /\b(accept|allow|enable) (all )?cookies to (continue|view|access|see)\b/i },
  { kind: 'maintenance page', pattern: /\b(under|down for|scheduled) maintenance\b/i },
  { kind: 'maintenance page', pattern: /\btemporarily (unavailable|down)\b/i },
  { kind: 'error page', pattern: /\bservice unavailable\b/i },
  { kind: 'error page', pattern: /\b(page|document) (was )?not found\b/i },
  { kind: 'error page', pattern: /\b(error 404|404 not found)\b/i },
  { kind: 'error page', pattern: /\binternal server error\b/i },
  { kind: 'error page', pattern: /\bbad gateway\b/i },
  { kind: 'error page', pattern: /\btoo many requests\b/i },
  { kind: 'error page', pattern: /\bsomething went wrong\b/i },
  { kind: 'placeholder', pattern: /^\W*(loading|please wait)\W*$/i },
];

/** Texts longer than this are never taken for a wall, whatever they say. */
export const WALL_MAX_CHARACTERS = 1000;

/** The first wall pattern the text matches and the latest version does not; undefined when none. */
export function findWall(text: string, latest: string | undefined): WallPattern | undefined {
  if (text.length > WALL_MAX_CHARACTERS) return undefined;
  return WALL_PATTERNS.find(wall => wall.pattern.test(text) && !(latest !== undefined && wall.pattern.test(latest)));
}
