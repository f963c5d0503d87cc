/** Where the WeCom channel takes a delivery recipient, if it can reach it at all. */
export interface GroupLookups {
  findWecomAppchat(unitCode: string): Promise<{ status?: string } | null>;
  findWecomRobot(unitCode: string): Promise<unknown>;
}

/**
 * Maps a delivery recipient to a WeCom send target: a person (registry userid) as is; a unit's group
 * (`room:<unit>`, as notices address groups) to its app chat (`group:<unit>`) when the app created one, else
 * to its group robot (`robot:<unit>`) when one is registered; undefined when WeCom cannot reach it, so the
 * delivery engine asks the next channel (Wechaty rooms).
 */
export async function wecomTarget(to: string, lookups: GroupLookups): Promise<string | undefined> {
  if (!to.includes(':')) return to;
  const [kind, unit] = [to.slice(0, to.indexOf(':')), to.slice(to.indexOf(':') + 1)];
  if (kind === 'group' || kind === 'robot') return to;
  if (kind !== 'room' || !unit) return undefined;
  const chat = await lookups.findWecomAppchat(unit);
  if (chat && chat.status === 'active') return `group:${unit}`;
  if (await lookups.findWecomRobot(unit)) return `robot:${unit}`;
  return undefined;
}
