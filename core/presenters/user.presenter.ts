import { z } from 'zod';
import type { Actor } from '../actor';
import { SUPPORTED_LOCALES } from '../config.schema';

export const meDto = z.object({
  userid: z.string(),
  name: z.string(),
  locale: z.enum(SUPPORTED_LOCALES),
  provinceAdmin: z.boolean(),
  siteAdminOf: z.array(z.object({ id: z.string(), name: z.string() })),
  supervisorOf: z.array(z.object({ code: z.string(), name: z.string() })),
});
export type MeDTO = z.infer<typeof meDto>;

export function presentMe(actor: Actor, siteNames: Map<string, string>, unitNames: Map<string, string>): MeDTO {
  return {
    userid: actor.user.userid,
    name: actor.user.name,
    locale: actor.user.locale,
    provinceAdmin: actor.isProvinceAdmin,
    siteAdminOf: [...actor.adminSiteIds].map((id) => ({ id, name: siteNames.get(id) ?? id })),
    supervisorOf: actor.supervisedUnits.map((code) => ({ code, name: unitNames.get(code) ?? code })),
  };
}
