/** WeChat OAuth emulator: see create-emulator.ts and the package README. */
export { createWechatEmulator } from './create-emulator.js';
export type { RunningEmulator, WechatEmulator, WechatEmulatorOptions } from './create-emulator.js';
export type { AppKind, EmulatorApp, EmulatorAppInput, EmulatorUser } from './config.js';
export type { EmulatorClock } from './clock.js';
export type { CallbackOutcome } from './callback.js';
export type { ApiEndpoint, EmulatorKnobs, FaultKind, KnobController, KnobsPatch } from './knobs.js';
export { PhoneActionError } from './phone.js';
export type { IssueCodeInput, PhoneAction, PhoneActionInput, PhoneActionResult } from './phone.js';
export type { SessionStatus } from './login-sessions.js';
export { DEFAULT_APPS, DEFAULT_USERS, parseUsers, loadUsersFile } from './fixtures.js';
