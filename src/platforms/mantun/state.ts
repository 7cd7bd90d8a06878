/** Per-world device state: what PUT_BOX_CONTROL changed, by box mac and channel addr. */
export interface MantunState {
  channels: Record<string, Record<string, { oc: boolean; updateTime: string }>>;
}

export const initialMantunState = (): MantunState => ({ channels: {} });
