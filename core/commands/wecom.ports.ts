/**
 * What the WeCom group commands need from the WeCom channel: app chats created through its API client and
 * stored per unit, group robots stored per unit. The composition root (lib/services.ts) builds it from the
 * WeCom settings; without WeCom configured it is a port that answers `wecom_groups_unavailable`.
 */
export interface WecomGroupPort {
  groupOf(unitCode: string): Promise<{ chatid: string; members: string[] } | undefined>;
  /** Active users who administer one of the sites or supervise one of the units. */
  usersWithRoles(q: { siteIds: string[]; unitCodes: string[] }): Promise<string[]>;
  /** Creates the unit's app chat once; `created: false` when it existed already. */
  createGroup(req: { unitCode: string; name: string; owner: string; userlist: string[]; by: string; at: Date }): Promise<{ chatid: string; created: boolean; members: string[] }>;
  /** Throws `wecom_robot_url_invalid` for a URL that is not a group robot webhook. */
  registerRobot(req: { unitCode: string; url: string; by: string; at: Date }): Promise<{ replaced: boolean }>;
}
