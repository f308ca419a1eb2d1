/** Options shared by every guard (Django's login_url, redirect_field_name and raise_exception). */
export interface GuardOptions {
  /** Where page loads are sent when refused (default `'/login'`). May carry its own query. */
  loginUrl?: string;
  /** Query parameter carrying the current path to the login page (default `'next'`; null: none). */
  redirectField?: string | null;
  /**
   * Path prefixes that are API calls, answered with JSON 401/403 instead of a redirect
   * (default `['/api', '/trpc']`). See {@link wantsHtml} for the full rule.
   */
  apiPrefixes?: readonly string[];
  /**
   * Answer every refusal with Forbidden (403), anonymous users included, on page loads and API
   * calls alike (Django's `raise_exception=True`). Default false: page loads are redirected to
   * the login page and API calls get 401 (anonymous) or 403 (logged in).
   */
  raise?: boolean;
  /** The message of the Forbidden (403) answers (Django's permission_denied_message). */
  message?: string;
}
