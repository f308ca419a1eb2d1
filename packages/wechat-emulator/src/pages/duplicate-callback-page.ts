/**
 * Emulates WeChat's in-app browser hitting the callback twice with the same state and different
 * codes (§2): the first URL is requested in the background (with the browser's cookies), then
 * the window navigates to the second.
 */
import { escapeHtml, layout, scriptValue } from './html.js';

export function renderDuplicateCallbackPage(first: string, second: string): string {
  return layout({
    title: '微信登录',
    body: `<p>Redirecting (emulating a duplicate callback)… <a href="${escapeHtml(second)}">continue</a></p>
<script>
(function () {
  var first = ${scriptValue(first)}, second = ${scriptValue(second)};
  function go() { location.replace(second); }
  fetch(first, { credentials: 'include', mode: 'no-cors', redirect: 'manual' }).then(go, go);
})();
</script>`,
  });
}
