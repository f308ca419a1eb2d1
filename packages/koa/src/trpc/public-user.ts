import { isUserActive, type AbstractUser, type Auth } from '@koa-auth/core';

/** What the API shows of a user: never the password hash. */
export interface PublicUser {
  id: number;
  username: string;
  email: string | null;
  phone: string | null;
  firstName: string;
  lastName: string;
  nickname: string;
  avatar: string | null;
  gender: string | null;
  birthday: string | null;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  accountType: string;
  dateJoined: string;
  lastLogin: string | null;
  hasUsablePassword: boolean;
}

/**
 * The public view of `user` (PublicUser): profile fields with nulls and empty strings filled in,
 * dates as ISO strings, `hasUsablePassword` instead of the hash. Never the password hash nor
 * the canonical lookup columns.
 */
export function publicUser(auth: Auth<AbstractUser>, user: AbstractUser): PublicUser {
  return {
    id: user.id,
    username: user.username,
    email: user.email ?? null,
    phone: user.phone ?? null,
    firstName: user.firstName ?? '',
    lastName: user.lastName ?? '',
    nickname: user.nickname ?? '',
    avatar: user.avatar ?? null,
    gender: user.gender ?? null,
    birthday: user.birthday ?? null,
    isActive: isUserActive(user),
    isStaff: Boolean(user.isStaff),
    isSuperuser: Boolean(user.isSuperuser),
    accountType: user.accountType,
    dateJoined: new Date(user.dateJoined).toISOString(),
    lastLogin: user.lastLogin ? new Date(user.lastLogin).toISOString() : null,
    hasUsablePassword: auth.hashers.isPasswordUsable(user.password),
  };
}
