// The website app both the emulator and the app instances are configured with.
export const WECHAT_APP = { appid: 'wx000000000be0c0a1', secret: 'bench-website-secret-0123456789ab', openPlatformId: 'bench-open-platform' };
export const WECHAT_USERS = ['xiaoming', 'hanmeimei', 'lilei', 'alice', 'laowang'];
