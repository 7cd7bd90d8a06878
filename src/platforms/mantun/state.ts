/** What PUT_BOX_CONTROL last set on one channel. */
export interface ChannelLive {
  oc: boolean;
  updateTime: string;
}

/** A switch that changed a channel: when (epoch ms) and to what. */
export type Switch = [at: number, oc: boolean];

/**
 * Per-world device state: what PUT_BOX_CONTROL changed, by box mac and channel addr, and when each channel
 * was switched, so that its energy in past hours counts only the time it was on. `switches` is absent from
 * state saved or exported before it existed; such a channel reads as having had its `oc` all along.
 */
export interface MantunState {
  channels: Record<string, Record<string, ChannelLive>>;
  switches?: Record<string, Record<string, Switch[]>>;
}

/** Switches kept per channel: older ones fold into the state before them (see energy.ts). */
export const SWITCHES_KEPT = 200;

export const initialMantunState = (): MantunState => ({ channels: {}, switches: {} });
