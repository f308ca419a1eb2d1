import type { Auth } from '../auth.js';
import { ImproperlyConfigured, ValidationError } from '../errors.js';
import type { AbstractUser } from '../models/abstract-user.js';
import { PhoneCodes } from '../sms/phone-codes.js';
import { toE164 } from '../users/phone-number.js';
import type { AuthRequest } from './auth-backend.js';
import { UserTableBackend } from './user-table-backend.js';

/**
 * A phone number and the SMS login code sent to it. `sessionKey` is the secret binding of the
 * browser that asked for the code (@koa-auth/koa keeps one per session): a code redeemed with
 * another binding is refused. Events mask `code` and `sessionKey` (cleanseCredentials).
 */
export interface PhoneCodeCredentials {
  /** Any common format; normalised to E.164 in the auth's phone region. */
  phone: string;
  code: string;
  sessionKey: string;
  /**
   * Create an account for a phone no user has (SMS sign-up). The caller decides: @koa-auth/koa
   * sets it from `sms.allowSignUp`. Default false: unknown numbers are refused.
   */
  signUp?: boolean;
}

/** Options of {@link PhoneCodeBackend}: the lifetime and tries of every SMS code of the auth. */
export interface PhoneCodeBackendOptions {
  /** How long a code is accepted, in seconds. Default 300. */
  codeTtlSeconds?: number;
  /** Tries a code survives; the next finds it dead. Default 5. */
  maxAttempts?: number;
}

const signedUp = new WeakSet<object>();

/**
 * SMS verification-code login: `authenticate({ phone, code, sessionKey })` consumes a `login`
 * code issued by {@link PhoneCodeBackend.phoneCodes} for that phone and browser, and returns the
 * active user with that phone, or (with `signUp`) a new account holding it (username = the
 * E.164 number unless the model logs in by phone, unusable password). Sessions load and
 * permissions come from the user table, as with ModelBackend. The backend is also the one home
 * of the codes' settings: the koa SMS procedures issue and check every purpose's codes through
 * {@link phoneCodes}.
 */
export class PhoneCodeBackend<U extends AbstractUser = AbstractUser> extends UserTableBackend<PhoneCodeCredentials, U> {
  readonly name: string = 'PhoneCodeBackend';
  private readonly options: PhoneCodeBackendOptions;
  private readonly codes = new WeakMap<Auth<U>, PhoneCodes>();

  constructor(options: PhoneCodeBackendOptions = {}) {
    super();
    this.options = { ...options };
  }

  /** The PhoneCodeBackend configured on `auth`, or undefined when the chain has none. */
  static of<U extends AbstractUser>(auth: Auth<U>): PhoneCodeBackend<U> | undefined {
    return auth.backends.find((backend): backend is PhoneCodeBackend<U> => backend instanceof PhoneCodeBackend);
  }

  /** True when this user object was created by a PhoneCodeBackend sign-up (a new account, not a login). */
  static signedUp(user: object): boolean {
    return signedUp.has(user);
  }

  /** The codes of `auth` (its store and current secret, this backend's lifetime and tries); one instance per auth. */
  phoneCodes(auth: Auth<U>): PhoneCodes {
    let codes = this.codes.get(auth);
    if (!codes) {
      const secret = auth.secrets[0];
      if (!secret) throw new ImproperlyConfigured('PhoneCodeBackend needs the auth secret.');
      codes = new PhoneCodes({ store: auth.store, secret, ttlSeconds: this.options.codeTtlSeconds, maxAttempts: this.options.maxAttempts });
      this.codes.set(auth, codes);
    }
    return codes;
  }

  accepts(credentials: unknown): credentials is PhoneCodeCredentials {
    if (typeof credentials !== 'object' || credentials === null) return false;
    const c = credentials as Record<string, unknown>;
    return typeof c.phone === 'string' && typeof c.code === 'string' && typeof c.sessionKey === 'string' && !('password' in c);
  }

  async authenticate(auth: Auth<U>, _request: AuthRequest | null, credentials: PhoneCodeCredentials): Promise<U | null> {
    const phone = toE164(credentials.phone, auth.phoneRegion);
    if (!phone) return null;
    const check = await this.phoneCodes(auth).verify({ phone, purpose: 'login', binding: credentials.sessionKey }, credentials.code);
    if (!check.ok) return null;
    const user = await auth.users.findByIdentifier('phone', phone);
    if (user) return this.userCanAuthenticate(user) ? user : null;
    return credentials.signUp === true ? this.signUp(auth, phone) : null;
  }

  /**
   * A new account for a proven phone. A concurrent sign-up of the same number (another code, the
   * registration form) wins the unique index: then that account is the phone's user.
   */
  protected async signUp(auth: Auth<U>, phone: string): Promise<U | null> {
    const byPhone = auth.userModel.USERNAME_FIELD === 'phone';
    try {
      const user = await auth.users.createUser(byPhone ? { phone, accountType: 'phone' } : { username: phone, phone, accountType: 'phone' });
      signedUp.add(user);
      return user;
    } catch (error) {
      if (!(error instanceof ValidationError) || !(error.fields.phone || error.fields.username)) throw error;
      const existing = await auth.users.findByIdentifier('phone', phone);
      return existing && this.userCanAuthenticate(existing) ? existing : null;
    }
  }
}
