/**
 * Defaults every WeChat API client of this package shares (website/OA OAuth and Mini Program):
 * WeChat's public hosts and the per-attempt timing. One home, so the clients cannot drift apart.
 */
export const WECHAT_API_BASE_URL = 'https://api.weixin.qq.com';
export const WECHAT_OPEN_BASE_URL = 'https://open.weixin.qq.com';
/** Per-attempt timeout of an API call, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 5000;
/** First back-off before retrying WeChat's "system busy" (-1), in milliseconds. */
export const DEFAULT_RETRY_DELAY_MS = 200;
