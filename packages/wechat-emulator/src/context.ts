/** The emulator's shared runtime state, handed to every route module. */
import type { CallCounters } from './call-counters.js';
import type { EmulatorClock } from './clock.js';
import type { EmulatorApp, EmulatorUser } from './config.js';
import type { GrantStore } from './grants.js';
import type { KnobController } from './knobs.js';
import type { LoginSessions } from './login-sessions.js';
import type { MiniProgramState } from './mini-program-state.js';

/** The `fetch` the emulator uses to hit callbacks itself. */
export type CallbackFetch = (input: string, init: RequestInit) => Promise<Response>;

export interface EmulatorContext {
  apps: ReadonlyMap<string, EmulatorApp>;
  users: ReadonlyMap<string, EmulatorUser>;
  knobs: KnobController;
  clock: EmulatorClock;
  grants: GrantStore;
  sessions: LoginSessions;
  /** Mini Program codes, session keys, app access tokens and rate windows. */
  miniProgram: MiniProgramState;
  /** API calls per endpoint. */
  calls: CallCounters;
  /** Secret for deriving openids/unionids. */
  seed: string;
  fetch: CallbackFetch;
}
