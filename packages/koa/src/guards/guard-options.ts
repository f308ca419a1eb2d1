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
   * Page loads only: when a *logged-in* user fails the check, answer 403 instead of redirecting
   * to the login page (default false, like Django). Anonymous users are always redirected, and
   * API calls always get 401 (anonymous) or 403 (logged in).
   */
  raise?: boolean;
}
