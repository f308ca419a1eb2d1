/**
 * Stand-in for `https://res.wx.qq.com/connect/zh_CN/htmledition/js/wxLogin.js` (§1.1), served
 * by the emulator at the same path. Like the real script it replaces the container's content
 * with a 300×400 iframe on `/connect/qrconnect?…&login_type=jssdk`, concatenating
 * `redirect_uri` raw (callers must pass it URL-encoded) and sending no `response_type`.
 */
import { scriptValue } from './html.js';

export const WX_LOGIN_SCRIPT_PATH = '/connect/zh_CN/htmledition/js/wxLogin.js';

/** `origin`: the emulator's origin as seen by the browser, e.g. `http://127.0.0.1:4000`. */
export function wxLoginScript(origin: string): string {
  return `/* WeChat emulator stand-in for wxLogin.js */
(function (global) {
  var ORIGIN = ${scriptValue(origin)};
  function WxLogin(a) {
    var r = 'default';
    if (a.self_redirect === true) r = 'true'; else if (a.self_redirect === false) r = 'false';
    var src = ORIGIN + '/connect/qrconnect?appid=' + a.appid + '&scope=' + a.scope +
      '&redirect_uri=' + a.redirect_uri + '&state=' + (a.state || '') +
      '&login_type=jssdk&self_redirect=' + r;
    if (a.style) src += '&style=' + a.style;
    if (a.href) src += '&href=' + a.href;
    if (a.stylelite) src += '&stylelite=' + a.stylelite;
    if (a.fast_login === 0) src += '&fast_login=0';
    var f = document.createElement('iframe');
    f.src = src;
    f.frameBorder = '0';
    f.allowTransparency = 'true';
    f.scrolling = 'no';
    f.width = '300px';
    f.height = '400px';
    f.setAttribute('allow', 'local-network-access');
    var el = document.getElementById(a.id);
    el.innerHTML = '';
    el.appendChild(f);
  }
  global.WxLogin = WxLogin;
})(window);
`;
}
