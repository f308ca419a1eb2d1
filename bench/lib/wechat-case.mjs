// WeChat QR login latency case (placeholder until @koa-auth/wechat exports the QR flow).
export async function runWechatCase({ wechatBuilt }) {
  let mod = null;
  if (wechatBuilt) {
    try {
      mod = await import('@koa-auth/wechat');
    } catch {
      mod = null;
    }
  }
  const has = mod && ['createWechat', 'createWechatRouter', 'wechatRoutes'].some((name) => typeof mod[name] === 'function');
  if (!has) return { status: 'not run', note: 'not run: wechat QR flow unavailable' };
  return { status: 'not run', note: 'not run: wechat QR flow unavailable' };
}
