import type { AnyPlatform } from '../core/platform.js';
import { mantun } from './mantun/index.js';
import { sop } from './sop/index.js';
import { usercenter } from './usercenter/index.js';
import { zjrc } from './zjrc/index.js';

/** Every platform the sandbox speaks, in the order that decides who keeps a shared root path. */
export const PLATFORMS: readonly AnyPlatform[] = [mantun, usercenter, sop, zjrc];
