import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { ScheduleItem } from '../../shared/model';
import { specOf } from '../domain/schedule-view';
import type { SchedulerMirror } from '../ports';
import { type SchedulerTarget, scheduleCommandInput } from './scheduler-commands';

const nameIs = (error: unknown, name: string) => error instanceof Error && error.name === name;

/** The schedules mirrored to EventBridge Scheduler, in the group and with the target the stack set up. */
export class EventBridgeSchedulerMirror implements SchedulerMirror {
  constructor(
    private readonly deps: {
      readonly scheduler: Pick<SchedulerClient, 'send'>;
      readonly target: SchedulerTarget;
    },
  ) {}

  async upsert(item: ScheduleItem, clientToken: string): Promise<void> {
    const input = scheduleCommandInput(item.scheduleId, specOf(item), this.deps.target);
    try {
      await this.deps.scheduler.send(new UpdateScheduleCommand({ ...input, ClientToken: clientToken }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException || nameIs(error, 'ResourceNotFoundException')))
        throw error;
      try {
        await this.deps.scheduler.send(new CreateScheduleCommand({ ...input, ClientToken: clientToken }));
      } catch (createError) {
        // Created by a concurrent sync between our two calls: update it to this version after all.
        if (!(createError instanceof ConflictException || nameIs(createError, 'ConflictException')))
          throw createError;
        await this.deps.scheduler.send(new UpdateScheduleCommand({ ...input, ClientToken: clientToken }));
      }
    }
  }

  async remove(scheduleId: string, clientToken: string): Promise<void> {
    try {
      await this.deps.scheduler.send(
        new DeleteScheduleCommand({
          Name: scheduleId,
          GroupName: this.deps.target.groupName,
          ClientToken: clientToken,
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException || nameIs(error, 'ResourceNotFoundException')))
        throw error;
    }
  }
}
