import { AbstractUser } from './abstract-user.js';

/** The stock user model on `auth_user`, for apps that need no extra fields (Django's auth.User). */
export class User extends AbstractUser {}
