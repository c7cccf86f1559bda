import { Launcher } from './launcher.js';
import { LaunchError, messageOf } from './launch-error.js';
import { launcherOutput } from './output.js';
import { readSettings } from './settings.js';

/**
 * `npm start` (and `npm run dev`, with --watch): NATS and PostgreSQL given,
 * reused or started here, then the four apps and the flow view; Ctrl-C or SIGTERM stops all of
 * it, apps first.
 */
let launcher: Launcher | undefined;
let firstSignalAt: number | undefined;
// npm and tsx pass Ctrl-C on as well: the copies arrive together and count once.
const SAME_SIGNAL_MS = 1_000;

async function shutDown(exitCode: number): Promise<never> {
  const report = launcher?.startedAnything ?? false;
  await launcher?.stop().then(
    () => report && launcherOutput.line('stopped'),
    (error: unknown) => launcherOutput.line(`could not stop everything: ${messageOf(error)}`),
  );
  process.exit(exitCode);
}

function onSignal(signal: NodeJS.Signals): void {
  if (firstSignalAt === undefined) {
    firstSignalAt = Date.now();
    launcherOutput.line(`${signal}: stopping the apps, then the servers started here`);
    void shutDown(0);
  } else if (Date.now() - firstSignalAt > SAME_SIGNAL_MS) {
    launcherOutput.line(`${signal} again: stopping the apps at once`);
    void launcher?.killApps();
  }
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  const settings = readSettings(process.argv.slice(2), process.env);
  launcher = new Launcher(settings, (line) => {
    launcherOutput.line(line);
    void shutDown(1);
  });
  await launcher.start();
} catch (error) {
  if (firstSignalAt === undefined) {
    const line = error instanceof LaunchError ? error.message : `cannot start: ${messageOf(error)}`;
    launcherOutput.line(`✖ ${line}`);
    await shutDown(1);
  }
}
