import { createPrivateKey } from 'node:crypto';
import { APP, PLATFORM_PUBLIC_KEY } from '../../helpers/sop.js';
import { java, python } from './tools.js';

/**
 * The SOP SDK programs (java/SopClient.java, python/sop_upload.py) as the built-in app runs them against a
 * gateway URL: one business method with its biz_content, and files as `field=path`.
 */

/** What either program prints: the HTTP status, the response key and node, and what it made of the signature. */
export interface SdkAnswer {
  status: number;
  key: string;
  node: Record<string, unknown>;
  signed: boolean;
  /** Java only: whether the node's text verified with the platform public key. */
  signValid?: boolean;
  /** Python only: the request's Content-Type (form or multipart). */
  contentType?: string;
}

/** The app's private key as the Python SDK's rsa package loads it (PKCS#1); the fixtures hold PKCS#8. */
export const APP_KEY_PKCS1 = createPrivateKey({ key: Buffer.from(APP.privateKey, 'base64'), format: 'der', type: 'pkcs8' })
  .export({ format: 'der', type: 'pkcs1' })
  .toString('base64');

export interface SdkRun {
  files?: string[];
  /** The client machine's time zone. */
  tz?: string;
  /** More JVM options (Java only). */
  jvm?: string[];
}

export const javaSdk = (gateway: string, method: string, biz: object, run: SdkRun = {}): Promise<SdkAnswer> =>
  java<SdkAnswer>(
    'SopClient.java',
    [gateway, APP.appId, APP.privateKey, PLATFORM_PUBLIC_KEY, method, JSON.stringify(biz), ...(run.files ?? [])],
    run.tz,
    run.jvm,
  );

export const pythonSdk = (gateway: string, method: string, biz: object, run: SdkRun = {}): Promise<SdkAnswer> =>
  python<SdkAnswer>('sop_upload.py', [gateway, APP.appId, APP_KEY_PKCS1, method, JSON.stringify(biz), ...(run.files ?? [])], run.tz);
