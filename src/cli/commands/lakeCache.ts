// `swb lake cache info|clear`: the columnar snapshots that make lakes re-open fast (in the user cache folder).
import { UserError } from '../../core/errors';
import { clearSnapshots, snapshotUsage, userSnapshotStore } from '../../core/lake/snapshot';
import type { CliIO } from '../io';

const USAGE = 'usage: swb lake cache info|clear';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (rest.length) throw new UserError(`unexpected argument ${rest[0]} (${USAGE})`);
  if (sub !== 'info' && sub !== 'clear')
    throw new UserError(sub ? `unknown lake cache command '${sub}' (${USAGE})` : USAGE);
  const store = userSnapshotStore({ ...io.env, SWB_LAKE_CACHE: undefined });
  if (!store) throw new UserError('no writable cache folder (set SWB_CACHE_DIR)');
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
  if (sub === 'clear') {
    const { files, bytes } = clearSnapshots(store);
    io.stdout(`removed ${files} lake snapshot(s), ${mb(bytes)}, from ${store.dir}\n`);
  } else {
    const { files, bytes } = snapshotUsage(store);
    io.stdout(`${files} lake snapshot(s), ${mb(bytes)} of at most ${mb(store.maxBytes)}, in ${store.dir}\n`);
  }
  return 0;
}
