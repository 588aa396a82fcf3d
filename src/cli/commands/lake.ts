import { UserError } from '../../core/errors';
import type { CliIO } from '../io';

export async function run(_argv: string[], _io: CliIO): Promise<number> {
  throw new UserError('swb lake is not available yet in this version');
}
