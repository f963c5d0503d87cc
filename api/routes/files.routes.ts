import type { Router } from '@koa/router';
import { loadAnnualReportDraft } from '../../core/annual-report/annual-report.service';
import { annualReportSite } from '../../core/commands/annual-report.command';
import { inspectionExportOf } from '../../core/commands/inspection.command';
import { DomainError } from '../../core/errors';
import type { Deps } from '../../core/ports';
import { buildCtx } from '../../lib/command-context';
import type { ApiMiddleware, ApiState } from '../state';

/**
 * Binary answers, which the JSON command routes cannot give: the annual report draft of a site as `.xlsx`
 * or PDF (art. 36), and the inspection report of a site or a unit as `.xlsx` (art. 28). The permission check is the `annual-report.show` command's own (`annualReportSite`).
 * Mount under the API prefix, after authentication: `mountFileRoutes(api, deps, authenticate(deps))`.
 */
export function mountFileRoutes(router: Router<ApiState>, deps: Deps, auth: ApiMiddleware): void {
  router.get('/annual-reports/:site/:year/:format', auth, async (ctx) => {
    const user = ctx.state.user;
    if (!user) throw new Error('file route reached without an authenticated user');
    const format = ctx.params.format;
    if (format !== 'xlsx' && format !== 'pdf') throw new DomainError('route_not_found', { path: ctx.path }, 404);
    const year = Number(ctx.params.year);
    if (!Number.isInteger(year) || year < 2000 || year > 2200) throw new DomainError('annual_report_year_format', {}, 400);
    const commandCtx = buildCtx(user, 'api', deps, { requestId: ctx.state.requestId, lng: ctx.state.lng });
    const site = await annualReportSite(commandCtx, ctx.params.site ?? '', year);
    const files = await deps.annualReportFiles.render(await loadAnnualReportDraft(deps, site, year), ctx.state.lng);
    const file = files.find((f) => f.format === format);
    if (!file) throw new Error(`the annual report files port wrote no ${format}`);
    ctx.status = 200;
    ctx.type = file.mime;
    ctx.attachment(file.fileName);
    ctx.body = Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength);
  });

  // The inspection report (art. 28) of a site, or of every site under a unit, as `.xlsx`; who may read it is
  // the `inspection.export` command's own rule (`inspectionExportOf`). The unit route comes first: its fixed
  // segment must win over `:site`.
  for (const [path, only] of [['/inspections/units/:target/xlsx', 'unit'], ['/inspections/:target/xlsx', 'site']] as const) {
    router.get(path, auth, async (ctx) => {
      const user = ctx.state.user;
      if (!user) throw new Error('file route reached without an authenticated user');
      const commandCtx = buildCtx(user, 'api', deps, { requestId: ctx.state.requestId, lng: ctx.state.lng });
      const file = await deps.inspectionFiles.xlsx(await inspectionExportOf(commandCtx, ctx.params.target ?? '', only), ctx.state.lng);
      ctx.status = 200;
      ctx.type = file.mime;
      ctx.attachment(file.fileName);
      ctx.body = Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength);
    });
  }
}
