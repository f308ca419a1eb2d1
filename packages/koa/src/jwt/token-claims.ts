import { z } from 'zod';
import { isTokenId } from './token-keys.js';

// Signed tokens are trusted only after the signature checks out, but their claims are still
// parsed strictly: ids end up in store keys and user lookups, so anything unexpected is refused.
const tokenId = z.string().refine(isTokenId);
const userId = z.string().min(1).max(64);
const seconds = z.number().int().nonnegative();

const common = {
  sub: userId,
  fam: tokenId,
  jti: tokenId,
  iat: seconds,
  exp: seconds,
};

/** The claims of a verified access token (`typ: 'access'`). */
export const accessClaims = z.object({
  ...common,
  typ: z.literal('access'),
  /** The backend that authenticated the user: users are loaded through it. */
  bkd: z.string().min(1).max(200),
});
export type AccessClaims = z.infer<typeof accessClaims>;

/** The claims of a verified refresh token (`typ: 'refresh'`). */
export const refreshClaims = z.object({
  ...common,
  typ: z.literal('refresh'),
});
export type RefreshClaims = z.infer<typeof refreshClaims>;
