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
 * never half of one. A folder already there is replaced only while `stillUnusable()` says so: another start
 * may have published a good one since this one looked. The folder replaced is set aside, not deleted:
 * another sandbox may be reading it. False when another start's folder stays (the caller reads that one).
 */
export function publishFolder(home: string, dir: string, files: KeptFiles, now: number, stillUnusable: () => boolean): boolean {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const fresh = join(home, `.new-${process.pid}-${now}`);
  mkdirSync(fresh, { mode: 0o700 });
  for (const [name, { text, secret }] of Object.entries(files)) writeFileSync(join(fresh, name), text, { mode: secret ? 0o600 : 0o644 });
  const drop = () => (rmSync(fresh, { recursive: true, force: true }), false);
  if (existsSync(dir)) {
    if (!stillUnusable()) return drop();
    try {
      renameSync(dir, `${dir}.old-${process.pid}-${now}`);
    } catch {
      // Another start set it aside first.
    }
  }
  try {
    // Fails when another start published in the meantime: renaming onto a folder that is not empty is refused.
    renameSync(fresh, dir);
    return true;
  } catch {
    return drop();
  }
}
