/**
 * `text` cut to at most `maxLength` UTF-16 code units (what database VARCHAR limits and zod's
 * `max` count here), never inside a surrogate pair: a half emoji would be invalid UTF-8.
 */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > maxLength) break;
    out += char;
  }
  return out;
}

/** An avatar URL a user record accepts (http(s), at most 1024 characters), else null. */
export function avatarUrl(value: string | null | undefined): string | null {
  if (!value || value.length > 1024) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? value : null;
  } catch {
    return null;
  }
}
