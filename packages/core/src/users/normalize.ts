/**
 * Normalisation of identifiers before they are stored or looked up, so that visually equal
 * input finds the same account (Django's BaseUserManager.normalize_email and
 * AbstractBaseUser.normalize_username).
 */

/** Lower-case the domain part only: the local part may be case-sensitive on the mail server. */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return trimmed;
  return `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}

/** NFKC, so that compatibility characters (full-width letters, ligatures) cannot make look-alike usernames. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC');
}
