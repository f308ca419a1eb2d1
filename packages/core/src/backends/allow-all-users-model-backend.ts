import type { AbstractUser } from '../models/abstract-user.js';
import { ModelBackend } from './model-backend.js';

/** Django's AllowAllUsersModelBackend: like ModelBackend but inactive users may log in. */
export class AllowAllUsersModelBackend<U extends AbstractUser = AbstractUser> extends ModelBackend<U> {
  override readonly name: string = 'AllowAllUsersModelBackend';

  protected override userCanAuthenticate(): boolean {
    return true;
  }
}
