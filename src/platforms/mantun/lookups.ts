import { alarmRecords, type AlarmRecord } from './alarms.js';
import type { MantunApp, MantunBox, MantunFixture, MantunProject } from './fixture.js';

/** Lookups over one fixture, built once per load, so a request never scans a list. */
export interface MantunIndex {
  apps: ReadonlyMap<string, MantunApp>;
  users: ReadonlyMap<string, MantunFixture['users'][number]>;
  projects: ReadonlyMap<string, MantunProject>;
  /** Boxes by mac across every project (the first project that has the mac wins), and within each project. */
  boxes: ReadonlyMap<string, MantunBox>;
  boxesOf: ReadonlyMap<string, ReadonlyMap<string, MantunBox>>;
  /** Each box's alarms with their defaults filled in (auto_id, node, type, info). */
  alarms: ReadonlyMap<MantunBox, readonly AlarmRecord[]>;
}

const firstWins = <T>(entries: [string, T][]): Map<string, T> => {
  const map = new Map<string, T>();
  for (const [k, v] of entries) if (!map.has(k)) map.set(k, v);
  return map;
};

export function indexMantun(fixture: MantunFixture): MantunIndex {
  const boxesOf = new Map(fixture.projects.map((p) => [p.projectCode, firstWins(p.boxes.map((b) => [b.mac, b]))]));
  return {
    apps: firstWins(fixture.apps.map((a) => [a.appKey, a])),
    users: firstWins(fixture.users.map((u) => [u.uname, u])),
    projects: firstWins(fixture.projects.map((p) => [p.projectCode, p])),
    boxes: firstWins(fixture.projects.flatMap((p) => p.boxes.map((b): [string, MantunBox] => [b.mac, b]))),
    boxesOf,
    alarms: alarmRecords(fixture),
  };
}
