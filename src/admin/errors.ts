import type { Response } from 'express';

/** The control plane's one error shape: what is wrong and how to fix it. */
export function adminError(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ error, message });
}
