import { lambdaEntry } from '../../shared/lambda-entry';
import { createHandler } from './handler';

export const handler = lambdaEntry(() => createHandler(process.env));
