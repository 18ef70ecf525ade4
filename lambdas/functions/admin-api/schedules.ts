import { parseScheduleInput } from '../../schedules/domain/schedule';
import { toScheduleView } from '../../schedules/domain/schedule-view';
import type { ScheduleStore } from '../../schedules/schedule-admin';
import { json, parseJsonBody, parsePathParameters, parseQuery, type RouteHandler } from '../../shared/http';
import { SCHEDULE_PK } from '../../shared/model';
import * as z from '../../shared/zod';
import { decodeCursor, encodeCursor, keyPart } from './cursor';
import { ScheduleIdParamsSchema, ScheduleListQuerySchema } from './schemas';

export interface ScheduleRoutesDeps {
  readonly store: ScheduleStore;
  readonly now: () => Date;
}

const cursorKeySchema = z.strictObject({ pk: z.literal(SCHEDULE_PK), sk: keyPart() });

/**
 * Schedules CRUD. Every answer shows the schedule with its next three runs in its own time zone. When
 * Scheduler could not be updated the change is saved as `sync: pending` and the answer is 202 with the
 * reason; the next read of the schedule finishes it.
 */
export const scheduleRoutes = ({ store, now }: ScheduleRoutesDeps): Record<string, RouteHandler> => {
  const view = (result: { item: Parameters<typeof toScheduleView>[0] }, okStatus: number) =>
    json(result.item.syncError ? 202 : okStatus, { schedule: toScheduleView(result.item, now()) });

  return {
    'POST /admin/schedules': async ({ event }) => {
      const spec = parseScheduleInput(parseJsonBody(z.unknown(), event));
      return view(await store.create(spec), 201);
    },
    'GET /admin/schedules': async ({ event }) => {
      const query = parseQuery(ScheduleListQuerySchema, event);
      const page = await store.list({
        limit: query.limit,
        cursor: decodeCursor(query.cursor, cursorKeySchema),
      });
      return json(200, {
        schedules: page.items.map((item) => toScheduleView(item, now())),
        nextCursor: encodeCursor(page.next),
      });
    },
    'GET /admin/schedules/{id}': async ({ event }) => {
      const { id } = parsePathParameters(ScheduleIdParamsSchema, event);
      return json(200, { schedule: toScheduleView(await store.get(id), now()) });
    },
    'PUT /admin/schedules/{id}': async ({ event }) => {
      const { id } = parsePathParameters(ScheduleIdParamsSchema, event);
      const spec = parseScheduleInput(parseJsonBody(z.unknown(), event));
      return view(await store.replace(id, spec), 200);
    },
    'DELETE /admin/schedules/{id}': async ({ event }) => {
      const { id } = parsePathParameters(ScheduleIdParamsSchema, event);
      const result = await store.remove(id);
      if (result.deleted) return { statusCode: 204, headers: {}, body: '' };
      return json(202, { schedule: toScheduleView(result.item, now()) });
    },
  };
};
