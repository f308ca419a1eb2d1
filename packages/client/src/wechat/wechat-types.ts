import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { DefaultAppRouter } from '../app-router.js';

// The WeChat procedures' types, taken from the server's router: nothing here is written by hand.
type Inputs = inferRouterInputs<DefaultAppRouter>['wechat'];
type Outputs = inferRouterOutputs<DefaultAppRouter>['wechat'];

/** `login` (sign in or up with WeChat) or `bind` (link WeChat to the logged-in user). */
export type WechatLoginMode = NonNullable<Exclude<Inputs['start'], void | undefined>['mode']>;
/** What `wechat.start` answers. */
export type WechatStart = Outputs['start'];
/** What `wechat.status` answers and `wechat.onStatus` yields. */
export type WechatStatusView = Outputs['status'];
/** One of the statuses of a QR login. */
export type WechatLoginStatus = WechatStatusView['status'];
/** The login to ask about: its state, and in bearer mode the key proving we started it. */
export type WechatLoginRef = Inputs['status'];
