/**
 * Django's SECRET_KEY for the demo: SECRET_KEY from the environment, else the key kept in
 * `DATA_DIR/secret_key`, created (random, owner-readable only) on first use. Keeping it in a
 * file means sessions and reset links survive restarts without any set-up; production must set
 * SECRET_KEY, and the caller prints a warning whenever the file is used.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config-error.js';

// createAuth's minimum.
const MIN_LENGTH = 32;

export interface SecretKey {
  value: string;
  /** `env`: SECRET_KEY; `file`: read from the key file; `generated`: just written to it. */
  source: 'env' | 'file' | 'generated';
  /** The key file, when one is used. */
  file?: string;
}

export function resolveSecretKey(fromEnv: string | null, dataDir: string): SecretKey {
  if (fromEnv !== null) {
    if (fromEnv.length < MIN_LENGTH) throw new ConfigError(`SECRET_KEY must be at least ${MIN_LENGTH} characters long.`);
    return { value: fromEnv, source: 'env' };
  }
  const file = join(dataDir, 'secret_key');
  const existing = readKeyFile(file);
  if (existing !== null) {
    if (existing.length < MIN_LENGTH) throw new ConfigError(`${file} holds a key shorter than ${MIN_LENGTH} characters: delete it or set SECRET_KEY.`);
    return { value: existing, source: 'file', file };
  }
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(48).toString('base64url');
  try {
    // 'wx': never overwrite a key another process wrote a moment ago.
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return resolveSecretKey(null, dataDir);
    throw error;
  }
  return { value, source: 'generated', file };
}

/** The warning to print when the key comes from the file. */
export function secretKeyWarning(key: SecretKey): string | null {
  if (key.source === 'env') return null;
  const what = key.source === 'generated' ? 'generated a new one and saved it' : 'using the one saved';
  return `SECRET_KEY is not set: ${what} in ${key.file}. Fine for this demo; production must set SECRET_KEY.`;
}

function readKeyFile(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
