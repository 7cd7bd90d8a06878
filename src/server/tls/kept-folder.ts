import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the local CA and the certificate it issues are kept: per user, so one trust-store entry serves every project. */
export function certificateHome(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'oauth-platform-sandbox');
}

/** A file to publish: its text, and whether only its owner may read it (a private key). */
export type KeptFiles = Record<string, { text: string; secret?: boolean }>;

/**
 * Writes `files` into a fresh folder, then renames it to `dir`, so a reader sees the old folder or the new,
 * never half of one. The folder it replaces is set aside, not deleted: another sandbox may be reading it.
 * False when another start published its own folder first (the caller reads that one).
 */
export function publishFolder(home: string, dir: string, files: KeptFiles, now: number): boolean {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const fresh = join(home, `.new-${process.pid}-${now}`);
  mkdirSync(fresh, { mode: 0o700 });
  for (const [name, { text, secret }] of Object.entries(files)) writeFileSync(join(fresh, name), text, { mode: secret ? 0o600 : 0o644 });
  if (existsSync(dir)) {
    try {
      renameSync(dir, `${dir}.old-${process.pid}-${now}`);
    } catch {
      // Another start set it aside first.
    }
  }
  try {
    renameSync(fresh, dir);
    return true;
  } catch {
    rmSync(fresh, { recursive: true, force: true });
    return false;
  }
}
