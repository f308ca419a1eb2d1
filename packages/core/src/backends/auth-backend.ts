import type { AnonymousUser } from '../anonymous-user.js';
import type { Auth, AnyUser } from '../auth.js';
import type { AbstractUser } from '../models/abstract-user.js';

/**
 * What a backend may know of the request being authenticated. Core knows nothing of Koa: the
 * Koa package fills this from ctx. `getUser` is lazy so that asking costs nothing unless used.
 */
export interface AuthRequest {
  /** The user already logged in on this request (for binding a social account to it). */
  getUser?(): Promise<AbstractUser | AnonymousUser>;
  /** The client address, for throttling and audit. */
  ip?: string;
  /** A request header, lower-case name. */
  header?(name: string): string | undefined;
}

/** Options of `withPerm`. */
export interface WithPermOptions {
  isActive?: boolean | null;
  includeSuperusers?: boolean;
  obj?: unknown;
}

/**
 * An authentication backend (Django's AUTHENTICATION_BACKENDS entry). `accepts` declares the
 * credential shape it handles: the chain skips the backend for any other shape instead of
 * inspecting signatures. Permission methods are optional: a backend without them grants nothing.
 * They are asked about every user, the anonymous user and inactive users included (as in
 * Django), so that object-permission backends can grant to them; ModelBackend refuses both.
 */
export interface AuthBackend<C = unknown, U extends AbstractUser = AbstractUser> {
  /** Stable name stored in sessions; renaming it logs out sessions made through it. */
  readonly name: string;
  /** True when `credentials` has the shape this backend authenticates. */
  accepts(credentials: unknown): credentials is C;
  /** The user these credentials identify, or null. Throw PermissionDenied to stop the chain. */
  authenticate(auth: Auth<U>, request: AuthRequest | null, credentials: C): Promise<U | null>;
  /** The user with this id if this backend still allows them (used on every session load). */
  getUser(auth: Auth<U>, id: number | string): Promise<U | null>;
  getUserPermissions?(auth: Auth<U>, user: AnyUser<U>, obj?: unknown): Promise<Set<string>>;
  getGroupPermissions?(auth: Auth<U>, user: AnyUser<U>, obj?: unknown): Promise<Set<string>>;
  getAllPermissions?(auth: Auth<U>, user: AnyUser<U>, obj?: unknown): Promise<Set<string>>;
  hasPerm?(auth: Auth<U>, user: AnyUser<U>, perm: string, obj?: unknown): Promise<boolean>;
  hasModulePerms?(auth: Auth<U>, user: AnyUser<U>, appLabel: string): Promise<boolean>;
  withPerm?(auth: Auth<U>, perm: string, options: WithPermOptions): Promise<U[]>;
}
