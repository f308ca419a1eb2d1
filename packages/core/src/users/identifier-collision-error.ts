import { AuthError } from '../errors.js';
import { formatIdentifierCollisions, type IdentifierCollision } from './identifier-collisions.js';

/**
 * The canonical-identifier migration (or a policy switch) refused to run: some accounts would
 * be one account. Nothing was changed; the message lists them and says what to do.
 */
export class IdentifierCollisionError extends AuthError {
  readonly collisions: readonly IdentifierCollision[];
  constructor(collisions: readonly IdentifierCollision[]) {
    const lines = formatIdentifierCollisions(collisions);
    super(
      'identifier_collision',
      [
        `${collisions.length} group(s) of accounts share an email address or username that differs only by case (or Unicode form):`,
        ...lines.map((line) => `  ${line}`),
        'Nothing was changed, and no account is merged or deleted automatically. For each group, decide which account keeps the',
        'address or name, change it on the others (or delete accounts nobody uses), then run the migration again.',
        'To list the groups without migrating: the `identifier-collisions` command of the koa-auth CLI (@koa-auth/cli).',
      ].join('\n'),
    );
    this.collisions = collisions;
  }
}
