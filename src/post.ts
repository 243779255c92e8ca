// The action's post step: save the cargo cache the main step restored.
import { actionsLog } from './common/log.ts';
import { saveCargoCache } from './run/cargo-cache.ts';

await saveCargoCache(actionsLog);
