/** The WeChat emulator's public API (re-exports only): see create-emulator.ts and the package README. */
export { createWechatEmulator } from './create-emulator.js';
export type { RunningEmulator, WechatEmulator, WechatEmulatorOptions } from './create-emulator.js';
export type { AppKind, EmulatorApp, EmulatorAppInput, EmulatorPhone, EmulatorUser } from './config.js';
export type { CallCounts } from './call-counters.js';
export type { MiniProgramCodeKind } from './mini-program-state.js';
export type { EmulatorClock } from './clock.js';
export type { CallbackOutcome } from './callback.js';
export type { ApiEndpoint, EmulatorKnobs, FaultKind, KnobController, KnobsPatch } from './knobs.js';
export { PhoneActionError } from './phone.js';
export type { CodeKind, IssueCodeInput, PhoneAction, PhoneActionInput, PhoneActionResult } from './phone.js';
export type { SessionStatus } from './login-sessions.js';
export { DEFAULT_APPS, DEFAULT_USERS, parseUsers, loadUsersFile } from './fixtures.js';
